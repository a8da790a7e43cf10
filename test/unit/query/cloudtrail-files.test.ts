import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { isSkippedInLogFolder, listInputFiles } from '../../../src/core/logs/input-files';
import { cloudTrailSources, findAwsLogsFolders, findCloudTrailFiles } from '../../../src/core/query/cloudtrail-files';
import { ctRecord, readAll, TempDir } from '../logs/log-files';

const ACCOUNT = '111122223333';
const DAY = path.join('us-east-1', '2023', '07', '10');
const LOG_NAME = `${ACCOUNT}_CloudTrail_us-east-1_20230710T1200Z_abc123.json.gz`;
const DIGEST_NAME = `${ACCOUNT}_CloudTrail-Digest_us-east-1_trail_us-east-1_20230710T120000Z.json.gz`;
const INSIGHT_NAME = `${ACCOUNT}_CloudTrail-Insight_us-east-1_20230710T1200Z_def456.json.gz`;

const records = JSON.stringify({ Records: [ctRecord(), ctRecord({ eventName: 'GetObject' }), ctRecord({ eventName: 'PutObject' })] });
const digest = JSON.stringify({ awsAccountId: ACCOUNT, digestStartTime: '2023-07-10T11:00:00Z', digestEndTime: '2023-07-10T12:00:00Z', logFiles: [] });
// An Insights event as CloudTrail delivers it: a Records file, but of unusual-activity summaries, not API calls.
const insight = JSON.stringify({
  Records: [
    {
      eventVersion: '1.08',
      eventTime: '2023-07-10T11:42:00Z',
      awsRegion: 'us-east-1',
      eventID: 'a1b2c3d4-0000-0000-0000-000000000000',
      eventType: 'AwsCloudTrailInsight',
      recipientAccountId: ACCOUNT,
      sharedEventID: 'e5f6a7b8-0000-0000-0000-000000000000',
      insightDetails: { state: 'Start', eventSource: 'ec2.amazonaws.com', eventName: 'RunInstances', insightType: 'ApiCallRateInsight' },
      eventCategory: 'Insight',
    },
  ],
});

describe('CloudTrail log files: digests and Insights are not API-call records', () => {
  let d: TempDir;
  beforeEach(() => {
    d = new TempDir();
  });
  afterEach(() => d.remove());

  it('names the entries every log-folder walk skips', () => {
    for (const name of ['.git', '.secml', 'node_modules', 'CloudTrail-Digest', 'CloudTrail-Insight', DIGEST_NAME, INSIGHT_NAME]) assert.equal(isSkippedInLogFolder(name), true, name);
    for (const name of ['AWSLogs', 'CloudTrail', LOG_NAME, 'events.jsonl', 'CloudTrail-Digest-notes.txt']) assert.equal(isSkippedInLogFolder(name), false, name);
  });

  for (const layout of ['side by side in one folder', 'in an AWSLogs tree'] as const) {
    it(`both walkers keep only the records, ${layout}`, async () => {
      let logFile: string;
      if (layout === 'side by side in one folder') {
        logFile = d.writeGzip(path.join('logs', LOG_NAME), records);
        d.writeGzip(path.join('logs', DIGEST_NAME), digest);
        d.writeGzip(path.join('logs', INSIGHT_NAME), insight);
      } else {
        const account = path.join('logs', 'AWSLogs', ACCOUNT);
        logFile = d.writeGzip(path.join(account, 'CloudTrail', DAY, LOG_NAME), records);
        d.writeGzip(path.join(account, 'CloudTrail-Digest', DAY, DIGEST_NAME), digest);
        d.writeGzip(path.join(account, 'CloudTrail-Insight', DAY, INSIGHT_NAME), insight);
      }
      const folder = path.join(d.root, 'logs');

      // Flatten, scoring and analytics read through listInputFiles.
      assert.deepEqual((await listInputFiles([folder], 'cloudtrail')).map((f) => f.path), [logFile]);
      const { events } = await readAll([folder], { format: 'cloudtrail' });
      assert.deepEqual(events.map((e) => e.type).sort(), ['s3.amazonaws.com:GetObject', 's3.amazonaws.com:ListBuckets', 's3.amazonaws.com:PutObject']);

      // The DuckDB cloudtrail view reads through findCloudTrailFiles.
      const found = await findCloudTrailFiles([folder]);
      assert.deepEqual(found.files.map((f) => [f.path, f.format]), [[logFile, 'records']]);
      assert.deepEqual(found.skipped, []);
    });
  }
});

describe('cloudTrailSources: which CloudTrail a workspace means', () => {
  let d: TempDir;
  beforeEach(() => {
    d = new TempDir();
  });
  afterEach(() => d.remove());

  it('uses the configured paths, relative ones from the workspace, blank ones ignored', async () => {
    mkdirSync(path.join(d.root, 'AWSLogs'));
    assert.deepEqual(await cloudTrailSources(['trail', ' ', '/abs/logs'], d.root), [path.join(d.root, 'trail'), '/abs/logs']);
    assert.deepEqual(await cloudTrailSources(['trail'], undefined), ['trail']);
  });

  it('else finds AWSLogs folders a few levels down, not in hidden folders or node_modules', async () => {
    for (const dir of ['AWSLogs', 'a/b/AWSLogs', 'a/b/c/d/AWSLogs', 'a/b/c/d/e/AWSLogs', '.hidden/AWSLogs', 'node_modules/x/AWSLogs', 'AWSLogs-copy']) mkdirSync(path.join(d.root, dir), { recursive: true });
    const expected = [path.join(d.root, 'a', 'b', 'AWSLogs'), path.join(d.root, 'a', 'b', 'c', 'd', 'AWSLogs'), path.join(d.root, 'AWSLogs')];
    assert.deepEqual((await cloudTrailSources([' '], d.root)).sort(), expected.sort());
    assert.deepEqual((await findAwsLogsFolders(d.root, 2)).sort(), [path.join(d.root, 'a', 'b', 'AWSLogs'), path.join(d.root, 'AWSLogs')].sort());
  });

  it('finds nothing without a workspace or AWSLogs folder', async () => {
    assert.deepEqual(await cloudTrailSources([], undefined), []);
    assert.deepEqual(await cloudTrailSources([], d.root), []);
    assert.deepEqual(await findAwsLogsFolders(path.join(d.root, 'missing')), []);
  });
});
