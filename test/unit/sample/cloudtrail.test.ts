import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { SampleWorkspaceSummary } from '../../../src/core/sample/sample-workspace';
import { hashTree, sharedWorkspace } from './fixture';

type CtRecord = Record<string, any>;

const NAME = /^AWSLogs\/(\d{12})\/CloudTrail\/([a-z]{2}-[a-z]+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{12})_CloudTrail_([a-z]{2}-[a-z]+-\d)_(\d{8})T(\d{4})Z_[A-Za-z0-9]{16}\.json\.gz$/;
/** Fields every API-call record of the real dataset has (shared/datasets/cloudtrail-invictus-stratus). */
const COMMON = ['eventVersion', 'userIdentity', 'eventTime', 'eventSource', 'eventName', 'awsRegion', 'sourceIPAddress', 'userAgent', 'requestParameters', 'responseElements', 'eventID', 'readOnly', 'eventType', 'managementEvent', 'recipientAccountId', 'eventCategory'];

describe('sample/cloudtrail', function () {
  this.timeout(120_000);
  let ws: SampleWorkspaceSummary;
  const files: { rel: string; bytes: Buffer; records: CtRecord[] }[] = [];
  let all: CtRecord[] = [];

  before(async () => {
    ws = await sharedWorkspace();
    for (const rel of hashTree(ws.outDir).keys()) {
      if (!rel.startsWith('AWSLogs/')) continue;
      const bytes = readFileSync(path.join(ws.outDir, rel));
      const doc = JSON.parse(gunzipSync(bytes).toString('utf8'));
      assert.deepEqual(Object.keys(doc), ['Records'], rel);
      files.push({ rel, bytes, records: doc.Records });
    }
    all = files.flatMap((f) => f.records);
  });

  it('lays files out as CloudTrail delivers them, with deterministic gzip headers', () => {
    assert.equal(files.length, ws.cloudTrail.files);
    assert.ok(files.length > 50);
    for (const f of files) {
      const m = NAME.exec(f.rel);
      assert.ok(m, `bad path ${f.rel}`);
      const [, account, region, y, mo, d, account2, region2, ymd] = m;
      assert.equal(account, account2);
      assert.equal(region, region2);
      assert.equal(`${y}${mo}${d}`, ymd);
      assert.ok(f.records.length > 0);
      for (const r of f.records) assert.equal(r.awsRegion, region);
      assert.deepEqual([...f.bytes.subarray(0, 4)], [0x1f, 0x8b, 8, 0], 'gzip magic, deflate, no flags (no file name)');
      assert.equal(f.bytes.readUInt32LE(4), 0, 'mtime 0');
    }
    assert.equal(all.length, ws.cloudTrail.events);
    assert.ok(all.length > 1500 && all.length < 8000, `${all.length} events`);
  });

  it('writes records with the fields and shapes of real CloudTrail', () => {
    for (const r of all) {
      for (const k of COMMON) assert.ok(k in r, `${r.eventName} lacks ${k}`);
      assert.match(r.eventTime, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
      assert.match(r.eventID, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.match(r.eventSource, /\.amazonaws\.com$/);
      assert.equal(typeof r.readOnly, 'boolean');
      assert.equal(r.recipientAccountId, ws.cloudTrail.account);
      if (r.errorCode) assert.equal(typeof r.errorMessage, 'string');
      if (r.eventCategory === 'Data') {
        assert.equal(r.managementEvent, false);
        assert.equal(r.resources.at(-1).type, 'AWS::S3::Bucket');
        assert.equal(typeof r.additionalEventData.bytesTransferredOut, 'number');
      }
      const id = r.userIdentity;
      if (id.type === 'IAMUser') {
        assert.equal(typeof id.userName, 'string');
        // A failed console sign-in carries no ARN, as in real CloudTrail.
        if (!(r.eventName === 'ConsoleLogin' && r.errorCode)) assert.match(id.arn, /^arn:aws:iam::\d{12}:user\//);
      }
      if (id.type === 'AssumedRole') {
        assert.match(id.arn, /^arn:aws:sts::\d{12}:assumed-role\/[^/]+\/.+/);
        assert.equal(id.sessionContext.sessionIssuer.type, 'Role');
        assert.match(id.accessKeyId, /^ASIA[A-Z0-9]{16}$/);
      }
    }
    const types = new Set(all.map((r) => r.userIdentity.type));
    for (const t of ['IAMUser', 'AssumedRole', 'Root', 'AWSService']) assert.ok(types.has(t), `no ${t} events`);
    assert.ok(all.some((r) => r.userIdentity.arn?.includes('AWSReservedSSO_')), 'no IAM Identity Center session');
    assert.ok(new Set(all.map((r) => r.eventName)).size > 30);
  });

  it('holds the attack story for the hunting queries to find', () => {
    const ip = ws.cloudTrail.story.attackerIp;
    const intruder = all.filter((r) => r.sourceIPAddress === ip);
    assert.equal(intruder.length, ws.cloudTrail.attackEvents);
    const names = new Set(intruder.map((r) => r.eventName));
    for (const n of ['GetCallerIdentity', 'ListBuckets', 'GetObject', 'CreateUser', 'CreateAccessKey', 'AttachUserPolicy', 'StopLogging']) assert.ok(names.has(n), `no ${n}`);
    assert.ok(intruder.filter((r) => r.eventName === 'GetObject' && !r.errorCode).length >= 150);
    assert.ok(intruder.filter((r) => r.errorCode === 'AccessDenied').length >= 20);
    // The leaked key belongs to a user who also works normally from elsewhere.
    const leaked = ws.cloudTrail.story.leakedUser;
    assert.ok(all.some((r) => r.userIdentity.userName === leaked && r.sourceIPAddress !== ip));
    assert.ok(intruder.some((r) => r.userIdentity.userName === leaked));
    // Nothing is recorded while the trail is stopped; the administrator restarts it.
    const { stoppedLogging, restartedLogging } = ws.cloudTrail.story;
    assert.ok(all.every((r) => r.eventTime <= stoppedLogging || r.eventTime >= restartedLogging));
    assert.ok(all.some((r) => r.eventName === 'StartLogging' && r.eventTime === restartedLogging));
    assert.ok(all.some((r) => r.eventName === 'ConsoleLogin' && r.userIdentity.type === 'Root'));
  });
});
