/**
 * The seed's queries and the hunting-query library on DuckDB over the real CloudTrail logs of a Stratus Red Team
 * detonation (../shared/datasets/cloudtrail-invictus-stratus/CloudTrail/, 55 files, 2,900 events). Every expected value is
 * computed independently from the raw JSON by a small Python program (no SQL), then compared with the engine's rows.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { SHARED_DATASETS, SYSTEM_PYTHON, commandWorks, requireDataset, requireTool } from '../helpers/tools';
import { DuckDBEngine } from '../../src/core/query/duckdb-engine';
import { collectRows, type QueryValue } from '../../src/core/query/engine';
import { HUNTING_QUERIES, huntingQuery, renderHuntingQuery } from '../../src/core/query/hunting-queries';
import { parseParam } from '../../src/core/query/params';
import { splitStatements } from '../../src/core/query/statements';

const LOGS = `${SHARED_DATASETS}/cloudtrail-invictus-stratus/CloudTrail`;
const ACCOUNT = '218007301253'; // from the delivered file names, as Athena's partition would be

/** Independent expectations, straight from the JSON records. */
const EXPECTATIONS_PY = String.raw`
import json, glob, sys, collections, datetime, math
ev = []
for f in sorted(glob.glob(sys.argv[1] + '/*.json')):
    ev += json.load(open(f))['Records']
def arn(e): return e.get('userIdentity', {}).get('arn')
def epoch(t): return datetime.datetime.strptime(t, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc).timestamp()
def window(t, s):
    w = math.floor(epoch(t) / s) * s
    return datetime.datetime.fromtimestamp(w, datetime.timezone.utc).strftime('%Y-%m-%d %H:%M:%S+00')
def j(v, k): return (v or {}).get(k) if isinstance(v, dict) else None
out = {}
out['events'] = len(ev)
out['byName'] = collections.Counter(e['eventName'] for e in ev)
out['principals'] = len({arn(e) for e in ev if arn(e)})
out['createUser'] = sorted([[e['eventTime'], e['eventSource'], e['eventName'], arn(e)] for e in ev if e['eventName'].startswith('CreateUser')])
out['model'] = [[e['eventTime'], arn(e), e['eventName']] for e in sorted(ev, key=lambda e: (e['eventTime'], e['eventID']))]
out['root'] = len([e for e in ev if e['userIdentity'].get('type') == 'Root' and not e['userIdentity'].get('invokedBy')])
out['noMfa'] = sorted([[e['eventTime'], arn(e)] for e in ev if e['eventName'] == 'ConsoleLogin'
    and j(e.get('additionalEventData'), 'MFAUsed') == 'No' and j(e.get('responseElements'), 'ConsoleLogin') == 'Success'])
iam = {'CreateUser', 'CreateAccessKey', 'CreateLoginProfile', 'UpdateLoginProfile', 'AttachUserPolicy', 'PutUserPolicy', 'AddUserToGroup'}
out['iam'] = [[e['eventTime'], e['eventName'], arn(e), j(e.get('requestParameters'), 'userName')]
    for e in sorted(ev, key=lambda e: (e['eventTime'], e['eventID'])) if e['eventSource'] == 'iam.amazonaws.com' and e['eventName'] in iam]
tamper = {'StopLogging', 'DeleteTrail', 'UpdateTrail', 'PutEventSelectors', 'DeleteFlowLogs', 'DeleteLogGroup', 'DeleteDetector', 'DisableOrganizationAdminAccount'}
out['tamper'] = [[e['eventTime'], e['eventName'], e.get('errorCode')] for e in sorted(ev, key=lambda e: (e['eventTime'], e['eventID'])) if e['eventName'] in tamper]
denied = {'AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'Client.UnauthorizedOperation'}
bursts = collections.defaultdict(list)
for e in ev:
    if e.get('errorCode') in denied: bursts[(arn(e), window(e['eventTime'], 300))].append(e)
out['denied'] = sorted([[k[0], k[1], len(v), len({x['eventName'] for x in v})] for k, v in bursts.items() if len(v) >= 5], key=lambda r: (-r[2], r[0] or '', r[1]))
pairs = collections.Counter((arn(e), e['sourceIPAddress']) for e in ev if arn(e) and not e['sourceIPAddress'].endswith('.amazonaws.com') and e['sourceIPAddress'] != 'AWS Internal')
tot = collections.Counter(); ips = collections.Counter()
for (a, ip), n in pairs.items(): tot[a] += n; ips[a] += 1
out['rare'] = sorted([[a, ip, n, tot[a]] for (a, ip), n in pairs.items() if ips[a] > 1 and n / tot[a] <= 0.01], key=lambda r: (r[2] / r[3], r[0], r[1]))
recon = collections.defaultdict(list)
for e in ev:
    if e.get('readOnly') is True and arn(e): recon[(arn(e), window(e['eventTime'], 600))].append(e['eventName'])
out['recon'] = sorted([[k[0], k[1], len(set(v)), len(v)] for k, v in recon.items() if len(set(v)) >= 20], key=lambda r: (-r[2], r[0], r[1]))
print(json.dumps(out))
`;

interface Expected {
  events: number;
  byName: Record<string, number>;
  principals: number;
  createUser: string[][];
  model: (string | null)[][];
  root: number;
  noMfa: string[][];
  iam: (string | null)[][];
  tamper: (string | null)[][];
  denied: (string | number)[][];
  rare: (string | number)[][];
  recon: (string | number)[][];
}

describe('DuckDB: the seed queries and hunting library on real CloudTrail logs', function () {
  let engine: DuckDBEngine;
  let expected: Expected;

  before(async function () {
    requireDataset(this, LOGS);
    requireDataset(this, `${SHARED_DATASETS}/sec351`);
    requireTool(this, 'python3 (Debian)', () => commandWorks(SYSTEM_PYTHON, ['-c', 'import json']), 'apt-get install python3');
    expected = JSON.parse(execFileSync(SYSTEM_PYTHON, ['-c', EXPECTATIONS_PY, LOGS], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }));
    engine = await DuckDBEngine.open({ logs: [LOGS] });
  });
  after(async () => engine?.dispose());

  async function rows(id: string, params?: string[]): Promise<QueryValue[][]> {
    const q = huntingQuery(id)!;
    const values = (params ?? q.params.map((p) => p.example)).map(parseParam);
    const exec = await engine.run({ sql: q.sql, params: values });
    const r = await collectRows(exec);
    await exec.close();
    return r.rows;
  }

  it('the view holds every event with its partition columns', async () => {
    assert.equal(engine.logs?.files, 55);
    const exec = await engine.run({ sql: 'select count(*), count(distinct eventname), count(distinct useridentity.arn), min(account), max(account), min("timestamp") from cloudtrail' });
    const [[n, names, principals, a1, a2, ts]] = (await collectRows(exec)).rows;
    assert.equal(n, expected.events);
    assert.equal(names, Object.keys(expected.byName).length);
    assert.equal(principals, expected.principals);
    assert.equal(a1, ACCOUNT);
    assert.equal(a2, ACCOUNT);
    assert.equal(ts, '2023/07/10');
  });

  it('seed: count and event-name frequency of one account/region/month partition', async () => {
    assert.deepEqual(await rows('seed-count-partition', [ACCOUNT, 'us-east-1', '07']), [[expected.events]]);
    assert.deepEqual(await rows('seed-count-partition', [ACCOUNT, 'us-east-1', '08']), [[0]]);
    const freq = await rows('seed-eventname-frequency', [ACCOUNT, 'us-east-1', '07']);
    assert.deepEqual(Object.fromEntries(freq), expected.byName);
    const sorted = Object.entries(expected.byName).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    assert.deepEqual(freq, sorted);
  });

  it('seed: CreateUser% count, details, and the date-range form', async () => {
    assert.deepEqual(await rows('seed-eventname-prefix-count'), [[expected.createUser.length]]);
    const details = await rows('seed-eventname-details');
    assert.deepEqual(details, expected.createUser.map(([t, src, name, arn]) => [ACCOUNT, t, src, name, arn]));
    assert.deepEqual(await rows('seed-eventname-date-range'), details);
    assert.deepEqual(await rows('seed-eventname-date-range', ['us-east-1', '07', '2023-07-11', '2023-07-12', 'CreateUser%']), []);
  });

  it('seed: the modelling pull returns (time, principal, call) for every event in order', async () => {
    const pull = await rows('seed-modeling-dataset');
    assert.equal(pull.length, expected.events);
    assert.deepEqual(pull, expected.model);
  });

  it('root activity, console logins without MFA', async () => {
    assert.equal((await rows('root-activity')).length, expected.root);
    const noMfa = await rows('console-login-without-mfa');
    assert.deepEqual(
      noMfa.map((r) => [r[0], r[1]]),
      expected.noMfa,
    );
    assert.equal(noMfa.length, 1);
    assert.match(String(noMfa[0][1]), /stratus-red-team/);
  });

  it('IAM persistence: CreateUser, CreateAccessKey, CreateLoginProfile, AttachUserPolicy with their target users', async () => {
    const r = await rows('iam-persistence');
    assert.deepEqual(
      r.map((x) => [x[0], x[1], x[2], x[3]]),
      expected.iam,
    );
    const byName = r.reduce<Record<string, number>>((m, x) => ((m[String(x[1])] = (m[String(x[1])] ?? 0) + 1), m), {});
    assert.deepEqual(byName, { CreateUser: 4, CreateLoginProfile: 2, CreateAccessKey: 2, AttachUserPolicy: 1 });
  });

  it('logging tampering: StopLogging, DeleteTrail, event selectors, flow logs, log groups', async () => {
    const r = await rows('logging-tampering');
    assert.deepEqual(
      r.map((x) => [x[0], x[1], x[5]]),
      expected.tamper,
    );
    assert.equal(r.filter((x) => x[1] === 'StopLogging').length, 3);
    assert.equal(r.filter((x) => x[1] === 'DeleteTrail').length, 3);
  });

  it('AccessDenied bursts per principal in 5-minute windows', async () => {
    const r = await rows('access-denied-bursts', ['num:5']);
    assert.deepEqual(
      r.map((x) => [x[0], x[1], x[2], x[3]]),
      expected.denied,
    );
    assert.ok(r.length >= 1);
  });

  it('rare source IPs per principal', async () => {
    const r = await rows('rare-source-ips-per-principal', ['num:0.01']);
    assert.deepEqual(
      r.map((x) => [x[0], x[1], x[2], x[3]]),
      expected.rare,
    );
  });

  it('discovery bursts: many distinct read-only calls in 10 minutes', async () => {
    const r = await rows('recon-bursts', ['num:20']);
    assert.deepEqual(r, expected.recon);
    assert.ok(r.length >= 1);
  });

  it("every snippet as inserted into a file (title comment + SQL) runs on a renamed table", async () => {
    const aliased = await DuckDBEngine.open({ logs: [LOGS], tableAliases: ['cloudtrail_logs'] });
    try {
      for (const q of HUNTING_QUERIES) {
        const [stmt] = splitStatements(renderHuntingQuery(q, 'cloudtrail_logs'));
        assert.match(stmt.text, /from cloudtrail_logs/);
        const exec = await aliased.run({ sql: stmt.text, params: q.params.map((p) => parseParam(p.example)) });
        await collectRows(exec);
        await exec.close();
      }
    } finally {
      await aliased.dispose();
    }
  });

  it("runs the seed's SQL file unchanged, top to bottom: CREATE TABLE aliases the view, ALTER TABLE is a no-op", async () => {
    const sql = readFileSync(`${SHARED_DATASETS}/sec351/eda/SEC351-Athena-CT-query-4x4.sql`, 'utf8');
    const statements = splitStatements(sql);
    const results: QueryValue[][][] = [];
    for (const s of statements) {
      const exec = await engine.run({ sql: s.text, source: { file: 'SEC351.sql', line: s.line } });
      results.push((await collectRows(exec)).rows);
    }
    // The seed's queries name the workshop's accounts (266533154659, ...), not this log's; July and us-east-1 do match.
    assert.deepEqual(results[2], [[0]], 'count for account 266533154659');
    assert.deepEqual(results[3], []);
    assert.deepEqual(results[4], [[0]]);
    assert.deepEqual(results[5], []);
    assert.deepEqual(results[6], []);
    assert.deepEqual(results[7], []);
    // The same statements with this log's account substituted return the real answers.
    const adapted = statements.slice(2).map((s) => s.text.replace(/'266533154659'/g, `'${ACCOUNT}'`));
    const count = (await collectRows(await engine.run({ sql: adapted[0] }))).rows;
    assert.deepEqual(count, [[expected.events]]);
    const weekly = (await collectRows(await engine.run({ sql: adapted[3].replace("date '2019-07-01' AND date '2019-07-07'", "date '2023-07-10' AND date '2023-07-11'") }))).rows;
    assert.equal(weekly.length, expected.createUser.length);
  });
});
