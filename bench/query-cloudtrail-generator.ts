/**
 * Writes synthetic CloudTrail logs in the layout S3 delivers them (AWSLogs/ACCOUNT/CloudTrail/REGION/YYYY/MM/DD/
 * ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_x.json.gz, `{"Records":[...]}`), for benchmarks only: generated at bench time
 * into a temp folder, never committed. Event names, principals and source IPs follow Zipf-like skews (a few hot principals
 * and API calls, a long tail), about 5% of events carry an errorCode.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';

export interface GeneratedCloudTrail {
  root: string;
  files: number;
  events: number;
  bytes: number;
  /** Expected answers, counted while generating (for checking the engine's results). */
  countsByEventName: Map<string, number>;
  countsByPrincipal: Map<string, number>;
}

/** Small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index in [0, n) with probability proportional to 1/(i+1)^s. */
function zipfPicker(n: number, s: number, rand: () => number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) cdf[i] = sum += 1 / Math.pow(i + 1, s);
  return () => {
    const x = rand() * sum;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

const SERVICES = ['ec2', 's3', 'iam', 'sts', 'lambda', 'kms', 'cloudtrail', 'logs', 'dynamodb', 'sqs', 'sns', 'rds', 'ecr', 'ssm', 'secretsmanager'];
const VERBS = ['Describe', 'List', 'Get', 'Create', 'Delete', 'Put', 'Update', 'Attach', 'Detach', 'Start', 'Stop', 'Tag'];
const NOUNS = ['Instances', 'Buckets', 'Users', 'Roles', 'Policy', 'Functions', 'Keys', 'Trails', 'LogGroups', 'Tables', 'Queues', 'Topics', 'Volumes', 'Snapshots', 'AccessKey', 'Parameters', 'Secrets', 'SecurityGroups'];

export async function generateCloudTrail(root: string, totalEvents: number, options: { eventsPerFile?: number; seed?: number } = {}): Promise<GeneratedCloudTrail> {
  const perFile = options.eventsPerFile ?? 1000;
  const rand = rng(options.seed ?? 42);
  const account = '111122223333';
  const regions = ['us-east-1', 'us-west-2', 'eu-west-1'];
  const eventNames: { name: string; source: string }[] = [];
  for (const s of SERVICES) for (const v of VERBS) for (const n of NOUNS) if (eventNames.length < 300 && rand() < 0.2) eventNames.push({ name: v + n, source: `${s}.amazonaws.com` });
  const principals = Array.from({ length: 400 }, (_, i) =>
    i % 3 === 0
      ? { type: 'AssumedRole', arn: `arn:aws:sts::${account}:assumed-role/role-${i}/session-${i}`, principalId: `AROA${String(i).padStart(16, '0')}:session-${i}` }
      : { type: 'IAMUser', arn: `arn:aws:iam::${account}:user/user-${i}`, principalId: `AIDA${String(i).padStart(16, '0')}`, userName: `user-${i}` },
  );
  const pickEvent = zipfPicker(eventNames.length, 1.1, rand);
  const pickPrincipal = zipfPicker(principals.length, 1.0, rand);
  const countsByEventName = new Map<string, number>();
  const countsByPrincipal = new Map<string, number>();
  const start = Date.UTC(2024, 0, 1);
  const span = 30 * 24 * 3600 * 1000;
  let files = 0;
  let bytes = 0;
  for (let done = 0; done < totalEvents; done += perFile) {
    const n = Math.min(perFile, totalEvents - done);
    const region = regions[files % regions.length];
    const t0 = start + Math.floor((done / totalEvents) * span);
    const records: unknown[] = [];
    for (let k = 0; k < n; k++) {
      const ev = eventNames[pickEvent()];
      const p = principals[pickPrincipal()];
      const time = new Date(t0 + k * 50).toISOString().replace(/\.\d{3}Z$/, 'Z');
      const failed = rand() < 0.05;
      countsByEventName.set(ev.name, (countsByEventName.get(ev.name) ?? 0) + 1);
      countsByPrincipal.set(p.arn, (countsByPrincipal.get(p.arn) ?? 0) + 1);
      records.push({
        eventVersion: '1.08',
        userIdentity: {
          type: p.type,
          principalId: p.principalId,
          arn: p.arn,
          accountId: account,
          accessKeyId: `ASIA${String(Math.floor(rand() * 1e12)).padStart(16, '0')}`,
          ...(p.userName ? { userName: p.userName } : { sessionContext: { sessionIssuer: { type: 'Role', arn: p.arn.replace(/assumed-role\/([^/]+)\/.*/, 'role/$1'), accountId: account }, attributes: { creationDate: time, mfaAuthenticated: 'false' } } }),
        },
        eventTime: time,
        eventSource: ev.source,
        eventName: ev.name,
        awsRegion: region,
        sourceIPAddress: `10.${Math.floor(rand() * 4)}.${Math.floor(rand() * 16)}.${Math.floor(rand() * 250)}`,
        userAgent: 'aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64',
        ...(failed ? { errorCode: 'AccessDenied', errorMessage: `User: ${p.arn} is not authorized to perform: ${ev.name}` } : {}),
        requestParameters: { maxResults: 100, filterSet: { items: [{ name: 'tag:env', valueSet: { items: [{ value: 'prod' }] } }] } },
        responseElements: null,
        requestID: `${files}-${k}`,
        eventID: `00000000-0000-4000-8000-${String(done + k).padStart(12, '0')}`,
        readOnly: ev.name.startsWith('Describe') || ev.name.startsWith('List') || ev.name.startsWith('Get'),
        eventType: 'AwsApiCall',
        managementEvent: true,
        recipientAccountId: account,
        eventCategory: 'Management',
        tlsDetails: { tlsVersion: 'TLSv1.3', cipherSuite: 'TLS_AES_128_GCM_SHA256', clientProvidedHostHeader: `${ev.source.split('.')[0]}.${region}.amazonaws.com` },
      });
    }
    const d = new Date(t0);
    const yyyy = String(d.getUTCFullYear());
    const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
    const dd = String(d.getUTCDate()).padStart(2, '0');
    const dir = path.join(root, 'AWSLogs', account, 'CloudTrail', region, yyyy, mm, dd);
    await fs.mkdir(dir, { recursive: true });
    const stamp = `${yyyy}${mm}${dd}T${String(d.getUTCHours()).padStart(2, '0')}${String(d.getUTCMinutes()).padStart(2, '0')}Z`;
    const body = gzipSync(JSON.stringify({ Records: records }), { level: 1 });
    await fs.writeFile(path.join(dir, `${account}_CloudTrail_${region}_${stamp}_${String(files).padStart(6, '0')}.json.gz`), body);
    bytes += body.length;
    files++;
  }
  return { root, files, events: totalEvents, bytes, countsByEventName, countsByPrincipal };
}
