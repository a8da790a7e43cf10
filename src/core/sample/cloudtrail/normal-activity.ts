/**
 * Two ordinary days in the sample account: an application server and a monitoring Lambda working around the
 * clock, a developer, a data engineer, a CI pipeline, an administrator on IAM Identity Center, and the root
 * user signing in once to look at the bill.
 */
import type { Random } from '../prng';
import {
  ACCOUNT,
  BROWSER_UA,
  BUCKETS,
  IPS,
  TRAIL_ARN,
  WINDOWS_BROWSER_UA,
  cliUserAgent,
  makeRole,
  rootIdentity,
  roleSessionIdentity,
  userConsoleIdentity,
  userKeyIdentity,
  type IamUser,
  type Role,
} from './principals';
import { accessKeyId, randomText, type Actor, type TrailRecorder } from './trail-recorder';

const MIN = 60_000;
const HOUR = 60 * MIN;

/** Increasing instants in [from, to) with exponential gaps of mean `meanMs`. */
export function poissonTimes(rng: Random, from: number, to: number, meanMs: number): number[] {
  const out: number[] = [];
  for (let t = from + Math.floor(-Math.log(1 - rng.float()) * meanMs); t < to; t += Math.max(1000, Math.floor(-Math.log(1 - rng.float()) * meanMs))) out.push(t);
  return out;
}

const JAVA_UA = 'aws-sdk-java/2.25.16 Linux/5.10.215-203.850.amzn2.x86_64 OpenJDK_64-Bit_Server_VM/17.0.10+7-LTS Java/17.0.10 vendor/Amazon.com_Inc. io/sync http/Apache cfg/retry-mode/legacy';
const LAMBDA_UA = 'Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.214-223.810.amzn2.x86_64 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython exec-env/AWS_Lambda_python3.12 cfg/retry-mode#legacy Botocore/1.34.69';
export const TERRAFORM_UA =
  'APN/1.0 HashiCorp/1.0 Terraform/1.7.5 (+https://www.terraform.io) terraform-provider-aws/5.46.0 (+https://registry.terraform.io/providers/hashicorp/aws) aws-sdk-go-v2/1.26.1 os/linux lang/go#1.22.1 md/GOOS#linux md/GOARCH#amd64';
const BOTO_UA = 'Boto3/1.34.84 md/Botocore#1.34.84 ua/2.0 os/linux#6.5.0-35-generic md/arch#x86_64 lang/python#3.11.9 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.84';

const INSTANCE_ID = 'i-0a1b2c3d4e5f67890';
const FUNCTIONS = ['acme-api-handler', 'acme-export-worker', 'acme-health-check'];

export interface Cast {
  alice: IamUser;
  bob: IamUser;
  ci: IamUser;
  /** ci-deploy's long-term access key until it is rotated during the incident. */
  ciKey: string;
  carolRole: Role;
}

const objectKey = (rng: Random, t: number) => `exports/${new Date(t).toISOString().slice(0, 10).replace(/-/g, '/')}/customer-${rng.range(10000, 99999)}.csv.gz`;

/** The application server (EC2 instance profile), with EC2 refreshing its role credentials every hour. */
function appServer(rec: TrailRecorder, rng: Random, from: number, to: number): void {
  const role = makeRole(rng, 'acme-app-server');
  let actor: Actor | undefined;
  let refreshed = -Infinity;
  for (const t of poissonTimes(rng, from, to, 3 * MIN)) {
    if (t - refreshed >= HOUR) {
      refreshed = t - rng.int(5 * MIN);
      rec.serviceCall('ec2.amazonaws.com', refreshed, 'us-east-1', 'sts.amazonaws.com', 'AssumeRole', { roleArn: role.arn, roleSessionName: INSTANCE_ID }, { credentials: { accessKeyId: accessKeyId(rng, true), sessionToken: randomText(rng, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 64), expiration: new Date(refreshed + 6 * HOUR).toUTCString() } }, [{ accountId: ACCOUNT, type: 'AWS::IAM::Role', ARN: role.arn }]);
      actor = { identity: roleSessionIdentity(rng, role, INSTANCE_ID, refreshed), ip: '10.0.12.34', userAgent: JAVA_UA, vpcEndpointId: 'vpce-0a12b34c56d78e90f' };
    }
    const a = actor!;
    const x = rng.float();
    if (x < 0.4) rec.s3Data(a, t, 'us-east-1', 'GetObject', BUCKETS.exports, objectKey(rng, t - rng.int(3) * 24 * HOUR), { bytesOut: rng.range(20_000, 900_000) });
    else if (x < 0.65) rec.s3Data(a, t, 'us-east-1', 'PutObject', BUCKETS.exports, objectKey(rng, t), { bytesIn: rng.range(20_000, 900_000) });
    else if (x < 0.85) rec.call({ ...a, vpcEndpointId: undefined }, t, 'us-east-1', 'kms', 'Decrypt', { readOnly: true, params: { encryptionAlgorithm: 'SYMMETRIC_DEFAULT' }, resources: [{ accountId: ACCOUNT, type: 'AWS::KMS::Key', ARN: `arn:aws:kms:us-east-1:${ACCOUNT}:key/5b8e3f2a-1c4d-4e6f-9a0b-7c8d9e0f1a2b` }] });
    else if (x < 0.95) rec.call({ ...a, vpcEndpointId: undefined }, t, 'us-east-1', 'ssm', 'GetParameter', { readOnly: true, params: { name: '/acme/app/feature-flags', withDecryption: false } });
    else rec.call({ ...a, vpcEndpointId: undefined }, t, 'us-east-1', 'secretsmanager', 'GetSecretValue', { readOnly: true, params: { secretId: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:acme/app/db-AbCdEf` } });
  }
}

/** A health-check Lambda in two regions, every 15 minutes. */
function healthCheck(rec: TrailRecorder, rng: Random, from: number, to: number): void {
  const role = makeRole(rng, 'acme-health-check-role');
  for (const [region, ip] of [
    ['us-east-1', '10.0.40.17'],
    ['eu-west-1', '10.1.40.17'],
  ] as const) {
    let actor: Actor | undefined;
    let since = -Infinity;
    for (let t = from + rng.int(15 * MIN); t < to; t += 15 * MIN + rng.int(20_000)) {
      if (t - since > 6 * HOUR) {
        since = t;
        actor = { identity: roleSessionIdentity(rng, role, 'acme-health-check', t), ip, userAgent: LAMBDA_UA };
      }
      rec.call(actor!, t, region, 'ec2', 'DescribeInstances', { readOnly: true, params: { instancesSet: {}, filterSet: { items: [{ name: 'tag:service', valueSet: { items: [{ value: 'acme' }] } }] } } });
      rec.call(actor!, t + 400 + rng.int(800), region, 'monitoring', 'GetMetricData', { readOnly: true, params: { startTime: new Date(t - 15 * MIN).toISOString(), endTime: new Date(t).toISOString() }, host: `monitoring.${region}.amazonaws.com` });
    }
  }
}

/** Alice, a developer: console with MFA in the morning, the CLI during the day. */
function developer(rec: TrailRecorder, rng: Random, alice: IamUser, aliceKey: string, day: number, firstDay: boolean): void {
  const login = day + 8 * HOUR + 25 * MIN + rng.int(20 * MIN);
  const consoleActor: Actor = { identity: userConsoleIdentity(rng, alice, login, true), ip: IPS.office, userAgent: BROWSER_UA, console: true };
  if (firstDay) rec.consoleLogin({ identity: { type: 'IAMUser', principalId: alice.principalId, accountId: ACCOUNT, accessKeyId: '', userName: alice.name }, ip: IPS.office, userAgent: BROWSER_UA }, login - 40_000, false, false);
  rec.consoleLogin({ identity: { type: 'IAMUser', principalId: alice.principalId, arn: alice.arn, accountId: ACCOUNT, userName: alice.name }, ip: IPS.office, userAgent: BROWSER_UA }, login, true, true);
  const cli = (command: string): Actor => ({ identity: userKeyIdentity(alice, aliceKey), ip: IPS.office, userAgent: cliUserAgent('Darwin/23.4.0', command) });
  for (const t of poissonTimes(rng, login + MIN, day + 17 * HOUR + 30 * MIN, 4 * MIN)) {
    const fn = rng.pick(FUNCTIONS);
    const x = rng.float();
    if (x < 0.3) {
      rec.call(consoleActor, t, 'us-east-1', 'lambda', 'ListFunctions20150331', { readOnly: true, params: null });
      rec.call(consoleActor, t + 1500, 'us-east-1', 'lambda', 'GetFunction20150331v2', { readOnly: true, params: { functionName: fn } });
    } else if (x < 0.55) {
      rec.call(consoleActor, t, 'us-east-1', 'logs', 'FilterLogEvents', { readOnly: true, params: { logGroupName: `/aws/lambda/${fn}`, startTime: t - HOUR } });
    } else if (x < 0.7) {
      rec.call(consoleActor, t, 'us-east-1', 'cloudformation', 'DescribeStacks', { readOnly: true, params: { stackName: 'acme-app' } });
    } else if (x < 0.85) {
      rec.call(cli('s3.ls'), t, 'us-east-1', 's3', 'ListBuckets', { readOnly: true, params: { Host: 's3.amazonaws.com' }, host: 's3.amazonaws.com' });
      rec.s3Data(cli('s3.cp'), t + 2000, 'us-east-1', 'GetObject', BUCKETS.artifacts, `builds/${fn}/${rng.range(400, 480)}.zip`, { bytesOut: rng.range(2_000_000, 9_000_000) });
    } else if (x < 0.95) {
      rec.call(cli('lambda.update-function-code'), t, 'us-east-1', 'lambda', 'UpdateFunctionCode20150331v2', { readOnly: false, params: { functionName: fn, publish: false, dryRun: false }, response: { functionName: fn, functionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${fn}`, runtime: 'python3.12', state: 'Active' } });
    } else {
      rec.call(consoleActor, t, 'us-east-1', 'ec2', 'DescribeInstances', { readOnly: true, params: { instancesSet: {}, filterSet: {} } });
    }
  }
}

/** Bob, a data engineer: Athena queries and the data lake from his notebook, over the VPN. */
function dataEngineer(rec: TrailRecorder, rng: Random, bob: IamUser, bobKey: string, day: number, firstDay: boolean): void {
  const actor: Actor = { identity: userKeyIdentity(bob, bobKey), ip: IPS.vpn, userAgent: BOTO_UA };
  const times = poissonTimes(rng, day + 10 * HOUR, day + 18 * HOUR + 30 * MIN, 6 * MIN);
  times.forEach((t, i) => {
    const x = rng.float();
    if (x < 0.45) {
      const qid = randomText(rng, '0123456789abcdef', 8) + '-' + randomText(rng, '0123456789abcdef', 4) + '-4' + randomText(rng, '0123456789abcdef', 3) + '-a' + randomText(rng, '0123456789abcdef', 3) + '-' + randomText(rng, '0123456789abcdef', 12);
      rec.call(actor, t, 'us-east-1', 'athena', 'StartQueryExecution', { readOnly: false, params: { queryString: 'SELECT region, count(*) FROM sales.orders WHERE dt = ? GROUP BY 1', workGroup: 'analytics' }, response: { queryExecutionId: qid } });
      const polls = 1 + rng.int(3);
      for (let p = 1; p <= polls; p++) rec.call(actor, t + p * 1200, 'us-east-1', 'athena', 'GetQueryExecution', { readOnly: true, params: { queryExecutionId: qid } });
      rec.call(actor, t + (polls + 1) * 1200, 'us-east-1', 'athena', 'GetQueryResults', { readOnly: true, params: { queryExecutionId: qid, maxResults: 1000 } });
    } else if (x < 0.65) {
      rec.call(actor, t, 'us-east-1', 'glue', 'GetTable', { readOnly: true, params: { databaseName: 'sales', name: rng.pick(['orders', 'customers', 'refunds']) } });
    } else {
      const put = rng.chance(0.3);
      rec.s3Data(actor, t, 'us-east-1', put ? 'PutObject' : 'GetObject', BUCKETS.lake, `curated/orders/dt=${new Date(day).toISOString().slice(0, 10)}/part-${String(rng.int(64)).padStart(5, '0')}.parquet`, put ? { bytesIn: rng.range(1_000_000, 40_000_000) } : { bytesOut: rng.range(1_000_000, 40_000_000) });
    }
    if (firstDay && i === 7) rec.s3Data(actor, t + 5000, 'us-east-1', 'GetObject', BUCKETS.finance, 'reports/2024-Q1/board-pack.pdf', { error: { code: 'AccessDenied', message: 'Access Denied' } });
  });
}

/** The CI pipeline deploying with Terraform a few times a day with ci-deploy's access key. */
export function ciDeploy(rec: TrailRecorder, rng: Random, ci: IamUser, key: string, from: number, to: number, deploys: number): void {
  const actor: Actor = { identity: userKeyIdentity(ci, key), ip: IPS.ci, userAgent: TERRAFORM_UA };
  for (let d = 0; d < deploys; d++) {
    let t = from + Math.floor(((d + rng.float()) / deploys) * (to - from));
    const step = () => (t += 300 + rng.int(2500));
    rec.call(actor, step(), 'us-east-1', 'sts', 'GetCallerIdentity', { readOnly: true, params: null });
    for (const fn of FUNCTIONS) {
      rec.s3Data(actor, step(), 'us-east-1', 'PutObject', BUCKETS.artifacts, `builds/${fn}/${rng.range(480, 520)}.zip`, { bytesIn: rng.range(2_000_000, 9_000_000) });
      rec.call(actor, step(), 'us-east-1', 'lambda', 'GetFunction20150331v2', { readOnly: true, params: { functionName: fn } });
      rec.call(actor, step(), 'us-east-1', 'iam', 'GetRole', { readOnly: true, params: { roleName: `${fn}-role` } });
      if (rng.chance(0.6)) rec.call(actor, step(), 'us-east-1', 'lambda', 'UpdateFunctionCode20150331v2', { readOnly: false, params: { functionName: fn, s3Bucket: BUCKETS.artifacts, publish: true } });
    }
    rec.call(actor, step(), 'us-east-1', 'cloudformation', 'DescribeStacks', { readOnly: true, params: { stackName: 'acme-app' } });
  }
}

/** Carol, the administrator, on an IAM Identity Center permission set (console). */
export function adminActor(rng: Random, carolRole: Role, since: number): Actor {
  return { identity: roleSessionIdentity(rng, carolRole, 'carol@example.com', since), ip: IPS.admin, userAgent: WINDOWS_BROWSER_UA, console: true };
}

function adminReview(rec: TrailRecorder, rng: Random, carolRole: Role, day: number): void {
  let t = day + 13 * HOUR + rng.int(30 * MIN);
  const actor = adminActor(rng, carolRole, t);
  const step = () => (t += 4000 + rng.int(40_000));
  rec.call(actor, step(), 'us-east-1', 'iam', 'ListUsers', { readOnly: true, params: null });
  rec.call(actor, step(), 'us-east-1', 'iam', 'GetAccountSummary', { readOnly: true, params: null });
  rec.call(actor, step(), 'us-east-1', 'cloudtrail', 'DescribeTrails', { readOnly: true, params: { includeShadowTrails: false } });
  rec.call(actor, step(), 'us-east-1', 'cloudtrail', 'GetTrailStatus', { readOnly: true, params: { name: TRAIL_ARN } });
  rec.call(actor, step(), 'us-east-1', 'guardduty', 'ListDetectors', { readOnly: true, params: null });
  for (const region of ['us-east-1', 'eu-west-1']) rec.call(actor, step(), region, 'ec2', 'DescribeInstances', { readOnly: true, params: { instancesSet: {}, filterSet: {} } });
}

/** Root signs in once in the evening to look at the bill. */
function rootBilling(rec: TrailRecorder, rng: Random, day: number): void {
  const t = day + 19 * HOUR + rng.int(30 * MIN);
  const ip = '198.51.100.130';
  rec.consoleLogin({ identity: rootIdentity(rng), ip, userAgent: BROWSER_UA }, t, true, true);
  const actor: Actor = { identity: rootIdentity(rng, t), ip, userAgent: BROWSER_UA, console: true };
  rec.call(actor, t + 20_000, 'us-east-1', 'ce', 'GetCostAndUsage', { readOnly: true, params: { granularity: 'MONTHLY', metrics: ['UnblendedCost'] } });
  rec.call(actor, t + 45_000, 'us-east-1', 'ce', 'GetCostForecast', { readOnly: true, params: { granularity: 'MONTHLY', metric: 'UNBLENDED_COST' } });
  rec.call(actor, t + 80_000, 'us-east-1', 'iam', 'GetAccountSummary', { readOnly: true, params: null });
}

/** Everything ordinary over the days starting at `days[0]` (UTC midnights), except ci-deploy, whose key the story rotates. */
export function normalActivity(rec: TrailRecorder, rng: Random, cast: Cast, days: number[]): void {
  const end = days[days.length - 1] + 24 * HOUR;
  appServer(rec, rng.fork('app'), days[0], end);
  healthCheck(rec, rng.fork('health'), days[0], end);
  const aliceKey = accessKeyId(rng, false);
  const bobKey = accessKeyId(rng, false);
  days.forEach((day, i) => {
    developer(rec, rng.fork(`alice${i}`), cast.alice, aliceKey, day, i === 0);
    dataEngineer(rec, rng.fork(`bob${i}`), cast.bob, bobKey, day, i === 0);
  });
  adminReview(rec, rng.fork('carol'), cast.carolRole, days[0]);
  rootBilling(rec, rng.fork('root'), days[0]);
}
