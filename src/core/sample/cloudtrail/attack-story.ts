/**
 * The incident in the sample CloudTrail: ci-deploy's access key leaks and is used from a new address with a
 * Kali Linux CLI. The intruder checks who they are, looks around (IAM, buckets, instances in regions the
 * account never uses), copies the customer-exports bucket, hammers a bucket it may not read (AccessDenied
 * bursts), creates a backdoor administrator with its own key, and stops the trail. The administrator turns
 * logging back on and cleans up; nothing is recorded while the trail is stopped.
 */
import type { Random } from '../prng';
import { ACCOUNT, BUCKETS, IPS, TRAIL_ARN, cliUserAgent, makeUser, userKeyIdentity } from './principals';
import { adminActor, type Cast } from './normal-activity';
import { accessKeyId, uniqueId, type Actor, type TrailRecorder } from './trail-recorder';

const MIN = 60_000;
const HOUR = 60 * MIN;
const KALI_OS = 'Linux/6.6.9-amd64';
const KALI_EXE = 'x86_64.kali.2024';
export const BACKDOOR_USER = 'svc-backup';

export interface AttackTimeline {
  /** First and last event of the intruder (ms). */
  start: number;
  end: number;
  /** The trail is stopped after `stoppedAt` and logging again from `restartedAt`: events in between are not delivered. */
  stoppedAt: number;
  restartedAt: number;
  /** ci-deploy's new key, issued during the clean-up. */
  rotatedKey: string;
}

/** IAM responses' date style in CloudTrail, e.g. `May 14, 2024 2:38:12 PM`. */
const consoleDate = (ms: number) => {
  const d = new Date(ms);
  const mon = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ')[d.getUTCMonth()];
  const h = d.getUTCHours() % 12 || 12;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${mon} ${d.getUTCDate()}, ${d.getUTCFullYear()} ${h}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
};

const denied = (user: string, action: string, resource: string) => ({
  code: 'AccessDenied',
  message: `User: arn:aws:iam::${ACCOUNT}:user/${user} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
});

export function attackStory(rec: TrailRecorder, rng: Random, cast: Cast, day: number): AttackTimeline {
  const start = day + 14 * HOUR + 2 * MIN + rng.int(MIN);
  let t = start;
  const step = (lo: number, hi: number) => (t += lo + rng.int(hi - lo));
  const intruder = (command: string): Actor => ({ identity: userKeyIdentity(cast.ci, cast.ciKey), ip: IPS.attacker, userAgent: cliUserAgent(KALI_OS, command, KALI_EXE) });

  // Who am I, what can I do.
  rec.call(intruder('sts.get-caller-identity'), t, 'us-east-1', 'sts', 'GetCallerIdentity', { readOnly: true, params: null });
  rec.call(intruder('iam.get-user'), step(4000, 9000), 'us-east-1', 'iam', 'GetUser', { readOnly: true, params: null, error: denied(cast.ci.name, 'iam:GetUser', `user ${cast.ci.name}`) });
  rec.call(intruder('iam.list-attached-user-policies'), step(3000, 8000), 'us-east-1', 'iam', 'ListAttachedUserPolicies', { readOnly: true, params: { userName: cast.ci.name } });
  rec.call(intruder('iam.list-users'), step(3000, 8000), 'us-east-1', 'iam', 'ListUsers', { readOnly: true, params: null });
  rec.call(intruder('iam.list-roles'), step(3000, 8000), 'us-east-1', 'iam', 'ListRoles', { readOnly: true, params: null });
  rec.call(intruder('s3.ls'), step(3000, 8000), 'us-east-1', 's3', 'ListBuckets', { readOnly: true, params: { Host: 's3.amazonaws.com' }, host: 's3.amazonaws.com' });
  rec.call(intruder('ec2.describe-regions'), step(3000, 8000), 'us-east-1', 'ec2', 'DescribeRegions', { readOnly: true, params: { regionSet: {}, allRegions: false } });
  for (const region of ['us-east-1', 'us-east-2', 'us-west-2', 'eu-west-1', 'ap-southeast-1']) {
    rec.call(intruder('ec2.describe-instances'), step(1500, 4000), region, 'ec2', 'DescribeInstances', { readOnly: true, params: { instancesSet: {}, filterSet: {} } });
  }
  rec.call(intruder('secretsmanager.list-secrets'), step(3000, 8000), 'us-east-1', 'secretsmanager', 'ListSecrets', { readOnly: true, params: null, error: denied(cast.ci.name, 'secretsmanager:ListSecrets', '*') });

  // Copy the customer exports; try the finance bucket again and again.
  const sync = intruder('s3.sync');
  rec.s3Data(sync, step(20_000, 40_000), 'us-east-1', 'ListObjects', BUCKETS.exports, undefined, { bytesOut: 48_211 });
  const copies = 200 + rng.int(60);
  for (let i = 0; i < copies; i++) {
    const d = String(1 + rng.int(14)).padStart(2, '0');
    rec.s3Data(sync, step(800, 4500), 'us-east-1', 'GetObject', BUCKETS.exports, `exports/2024/05/${d}/customer-${rng.range(10000, 99999)}.csv.gz`, { bytesOut: rng.range(20_000, 900_000) });
    if (i % 70 === 35) {
      rec.s3Data(sync, step(500, 1500), 'us-east-1', 'ListObjects', BUCKETS.finance, undefined, { error: { code: 'AccessDenied', message: 'Access Denied' } });
      const burst = 15 + rng.int(15);
      for (let j = 0; j < burst; j++) rec.s3Data(sync, step(150, 700), 'us-east-1', 'GetObject', BUCKETS.finance, `reports/2024-Q${1 + rng.int(2)}/${rng.pick(['board-pack', 'payroll', 'forecast', 'audit'])}-${j}.pdf`, { error: { code: 'AccessDenied', message: 'Access Denied' } });
    }
  }

  // A backdoor administrator with its own key.
  const backdoor = makeUser(rng, BACKDOOR_USER);
  const backdoorKey = accessKeyId(rng, false);
  rec.call(intruder('iam.create-user'), step(60_000, 120_000), 'us-east-1', 'iam', 'CreateUser', { readOnly: false, params: { userName: BACKDOOR_USER }, response: { user: { path: '/', userName: BACKDOOR_USER, userId: uniqueId(rng, 'AIDA'), arn: backdoor.arn, createDate: consoleDate(t) } } });
  rec.call(intruder('iam.attach-user-policy'), step(5000, 15_000), 'us-east-1', 'iam', 'AttachUserPolicy', { readOnly: false, params: { userName: BACKDOOR_USER, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } });
  rec.call(intruder('iam.create-access-key'), step(5000, 15_000), 'us-east-1', 'iam', 'CreateAccessKey', { readOnly: false, params: { userName: BACKDOOR_USER }, response: { accessKey: { accessKeyId: backdoorKey, status: 'Active', userName: BACKDOOR_USER, createDate: consoleDate(t) } } });

  // The backdoor key turns the trail off.
  const bd = (command: string): Actor => ({ identity: userKeyIdentity(backdoor, backdoorKey), ip: IPS.attacker, userAgent: cliUserAgent(KALI_OS, command, KALI_EXE) });
  rec.call(bd('sts.get-caller-identity'), step(90_000, 180_000), 'us-east-1', 'sts', 'GetCallerIdentity', { readOnly: true, params: null });
  rec.call(bd('cloudtrail.describe-trails'), step(5000, 15_000), 'us-east-1', 'cloudtrail', 'DescribeTrails', { readOnly: true, params: { includeShadowTrails: true } });
  rec.call(bd('cloudtrail.stop-logging'), step(5000, 15_000), 'us-east-1', 'cloudtrail', 'StopLogging', { readOnly: false, params: { name: TRAIL_ARN } });
  const stoppedAt = t;

  // An alert reaches the administrator; she turns logging back on and cleans up.
  t = day + 16 * HOUR + 20 * MIN + rng.int(10 * MIN);
  const restartedAt = t;
  const carol = adminActor(rng, cast.carolRole, t - 5 * MIN);
  const rotatedKey = accessKeyId(rng, false);
  rec.call(carol, t, 'us-east-1', 'cloudtrail', 'StartLogging', { readOnly: false, params: { name: TRAIL_ARN } });
  rec.call(carol, step(5000, 20_000), 'us-east-1', 'cloudtrail', 'GetTrailStatus', { readOnly: true, params: { name: TRAIL_ARN } });
  rec.call(carol, step(20_000, 60_000), 'us-east-1', 'iam', 'ListUsers', { readOnly: true, params: null });
  rec.call(carol, step(10_000, 30_000), 'us-east-1', 'iam', 'ListAccessKeys', { readOnly: true, params: { userName: BACKDOOR_USER } });
  rec.call(carol, step(10_000, 30_000), 'us-east-1', 'iam', 'UpdateAccessKey', { readOnly: false, params: { userName: BACKDOOR_USER, accessKeyId: backdoorKey, status: 'Inactive' } });
  rec.call(carol, step(10_000, 30_000), 'us-east-1', 'iam', 'DetachUserPolicy', { readOnly: false, params: { userName: BACKDOOR_USER, policyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' } });
  rec.call(carol, step(10_000, 30_000), 'us-east-1', 'iam', 'DeleteAccessKey', { readOnly: false, params: { userName: BACKDOOR_USER, accessKeyId: backdoorKey } });
  rec.call(carol, step(10_000, 30_000), 'us-east-1', 'iam', 'DeleteUser', { readOnly: false, params: { userName: BACKDOOR_USER } });
  rec.call(carol, step(30_000, 90_000), 'us-east-1', 'iam', 'ListAccessKeys', { readOnly: true, params: { userName: cast.ci.name } });
  rec.call(carol, step(10_000, 30_000), 'us-east-1', 'iam', 'UpdateAccessKey', { readOnly: false, params: { userName: cast.ci.name, accessKeyId: cast.ciKey, status: 'Inactive' } });
  rec.call(carol, step(10_000, 30_000), 'us-east-1', 'iam', 'CreateAccessKey', { readOnly: false, params: { userName: cast.ci.name }, response: { accessKey: { accessKeyId: rotatedKey, status: 'Active', userName: cast.ci.name, createDate: consoleDate(t) } } });
  rec.call(carol, step(60_000, 180_000), 'us-east-1', 'iam', 'DeleteAccessKey', { readOnly: false, params: { userName: cast.ci.name, accessKeyId: cast.ciKey } });
  return { start, end: stoppedAt, stoppedAt, restartedAt, rotatedKey };
}
