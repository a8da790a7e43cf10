import { strict as assert } from 'node:assert';
import { detectFormat, sniffLogFile } from '../../../src/core/logs';
import { ctRecord, readAll, SEED_HEADER, seedRow, TempDir } from './log-files';

describe('log readers', () => {
  let dir: TempDir;
  beforeEach(() => (dir = new TempDir()));
  afterEach(() => dir.remove());

  describe('seed session TSV', () => {
    it('reads sessions, types, times, labels and line numbers; columns are found by name', async () => {
      const f = dir.write('a.txt', ['Act\tSessionNo\tBadActor\tLogTime', '111\t7\t0\t2019-07-01 08:00:00', '', '402\t8\t1\t2019-07-01 08:00:05'].join('\n'));
      const { events, issues } = await readAll([f], { format: 'seed' });
      assert.equal(issues.count, 0);
      assert.deepEqual(
        events.map((e) => [e.session, e.type, e.time, e.label, e.line]),
        [
          ['7', '111', Date.UTC(2019, 6, 1, 8), 0, 2],
          ['8', '402', Date.UTC(2019, 6, 1, 8, 0, 5), 1, 4],
        ],
      );
    });
    it('accepts a headerless file in the seed column order', async () => {
      const f = dir.write('a.txt', seedRow(1, '2019-07-01 08:00:00', 111, 0) + '\n');
      assert.equal((await readAll([f], { format: 'seed' })).events.length, 1);
    });
    it('reads .gz files and folders recursively, in name order', async () => {
      dir.writeGzip('logs/b/2.txt.gz', [SEED_HEADER, seedRow(2, '2019-07-01 08:00:00', 112, 0)].join('\n'));
      dir.write('logs/a.txt', [SEED_HEADER, seedRow(1, '2019-07-01 08:00:00', 111, 0)].join('\n'));
      dir.write('logs/.hidden.txt', 'junk');
      dir.write('logs/notes.md', 'junk');
      const { events } = await readAll([dir.root + '/logs'], { format: 'seed' });
      assert.deepEqual(events.map((e) => e.session), ['1', '2']);
      assert.match(events[1].file, /2\.txt\.gz$/);
    });
  });

  describe('mapped CSV', () => {
    it('maps columns by name (any case) or 1-based number, detects the delimiter', async () => {
      const f = dir.write('h.csv', 'BlockId,Seq,EventId,Label\nblk_1,0,E5,0\nblk_1,1,E7,1\n');
      const { events } = await readAll([f], { format: 'csv', columns: { session: 'blockid', event: '3', label: 'Label' } });
      assert.deepEqual(events.map((e) => [e.session, e.type, e.label, e.line]), [
        ['blk_1', 'E5', 0, 2],
        ['blk_1', 'E7', 1, 3],
      ]);
      assert.ok(Number.isNaN(events[0].time));
      const t = dir.write('h.tsv', 'user;action;when\nu1;login;2024-01-01T00:00:00Z\n');
      const r = await readAll([t], { format: 'csv', columns: { session: 'user', event: 'action', time: 'when' } });
      assert.equal(r.events[0].time, Date.UTC(2024, 0, 1));
    });
    it('says which column is missing, listing the header', async () => {
      const f = dir.write('h.csv', 'a,b\n1,2\n');
      await assert.rejects(readAll([f], { format: 'csv', columns: { session: 'a', event: 'zz' } }), (e: Error) => /event column "zz" is not in the header \(columns: "a", "b"\)/.test(e.message));
    });
    it('splits sessions at an inactivity gap when asked', async () => {
      const f = dir.write('g.csv', 'who,what,when\nu,a,2024-01-01T00:00:00Z\nu,b,2024-01-01T00:10:00Z\nu,c,2024-01-01T02:00:00Z\n');
      const { events } = await readAll([f], { format: 'csv', columns: { session: 'who', event: 'what', time: 'when' }, sessionGapMinutes: 30 });
      assert.deepEqual(events.map((e) => e.session), ['u@2024-01-01T00:00:00Z', 'u@2024-01-01T00:00:00Z', 'u@2024-01-01T02:00:00Z']);
    });
  });

  describe('CloudTrail', () => {
    it('reads delivery files ({"Records":[...]}, gzipped or not) and JSON lines, with record lines and extras', async () => {
      const pretty = JSON.stringify({ Records: [ctRecord(), ctRecord({ eventName: 'GetObject', errorCode: 'AccessDenied', eventTime: '2023-07-10T11:43:00Z' })] }, null, 2);
      const a = dir.write('ct/a.json', pretty);
      dir.writeGzip('ct/b.json.gz', JSON.stringify({ Records: [ctRecord({ userIdentity: { type: 'AWSService', invokedBy: 'ec2.amazonaws.com' } })] }));
      dir.write('ct/c.jsonl', JSON.stringify(ctRecord({ userIdentity: { principalId: 'P9' } })) + '\n');
      dir.write('ct/CloudTrail-Digest/d.json', '{"digestStartTime":"x"}');
      const { events, issues } = await readAll([dir.root + '/ct'], { format: 'cloudtrail' });
      assert.equal(issues.count, 0);
      assert.equal(events.length, 4);
      const alice = events.filter((e) => e.session.startsWith('arn:aws:iam::111122223333:user/alice@'));
      assert.equal(alice.length, 2);
      assert.equal(alice[0].session, 'arn:aws:iam::111122223333:user/alice@2023-07-10T11:42:36Z');
      assert.deepEqual(alice.map((e) => e.type), ['s3.amazonaws.com:ListBuckets', 's3.amazonaws.com:GetObject']);
      assert.equal(alice[1].errorCode, 'AccessDenied');
      assert.equal(alice[0].sourceIPAddress, '10.0.0.1');
      assert.equal(alice[0].eventTime, '2023-07-10T11:42:36Z');
      assert.equal(alice[0].file, a);
      assert.equal(alice[0].line, pretty.split('\n').findIndex((l, i) => i > 0 && l.trim() === '{') + 1);
      assert.ok(events.some((e) => e.session.startsWith('AWSService:ec2.amazonaws.com@')));
      assert.ok(events.some((e) => e.session.startsWith('P9@')));
    });
    it('orders each principal by time and cuts sessions at the gap (default 30 minutes)', async () => {
      const recs = ['12:00:00', '11:00:00', '11:20:00', '12:31:00'].map((t) => ctRecord({ eventTime: `2023-07-10T${t}Z` }));
      const f = dir.write('a.json', JSON.stringify({ Records: recs }));
      const sessions = (await readAll([f], { format: 'cloudtrail' })).events.map((e) => e.session.split('@')[1]);
      assert.deepEqual(sessions, ['2023-07-10T11:00:00Z', '2023-07-10T11:00:00Z', '2023-07-10T12:00:00Z', '2023-07-10T12:31:00Z']);
      const wide = (await readAll([f], { format: 'cloudtrail', sessionGapMinutes: 60 })).events.map((e) => e.session.split('@')[1]);
      assert.deepEqual(new Set(wide).size, 1);
    });
  });

  describe('format detection (by content)', () => {
    it('tells seed, CloudTrail and CSV apart, and offers a CSV header', async () => {
      assert.equal(await detectFormat(dir.write('x.log', SEED_HEADER + '\n' + seedRow(1, '2019-07-01 08:00:00', 1, 0))), 'seed');
      assert.equal(await detectFormat(dir.write('y.txt', seedRow(1, '2019-07-01 08:00:00', 1, 0))), 'seed');
      assert.equal(await detectFormat(dir.writeGzip('z.gz', JSON.stringify({ Records: [ctRecord()] }))), 'cloudtrail');
      assert.equal(await detectFormat(dir.write('l.jsonl', JSON.stringify(ctRecord()))), 'cloudtrail');
      const sniff = await sniffLogFile(dir.write('h.csv', '\ufeff"BlockId",EventId,Label\r\nb,E1,0\r\n'));
      assert.deepEqual([sniff.format, sniff.columns, sniff.delimiter], ['csv', ['BlockId', 'EventId', 'Label'], ',']);
      await assert.rejects(detectFormat(dir.write('n.json', '{"hello": 1}')), /JSON, but not CloudTrail/);
      await assert.rejects(detectFormat(dir.write('e.txt', '')), /empty/);
    });
  });
});
