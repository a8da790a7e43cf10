import { strict as assert } from 'node:assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { flattenToDataset, readDatasetManifest } from '../../../src/core/features';
import { requireDataset, SHARED_DATASETS } from '../../helpers/tools';
import { readSessionsCsv } from './dataset-files';

const CLOUDTRAIL = path.join(SHARED_DATASETS, 'cloudtrail-invictus-stratus');
const HDFS = path.join(SHARED_DATASETS, 'hdfs100k');

function sumCounts(values: Record<string, number>): number {
  return Object.entries(values)
    .filter(([k]) => !k.startsWith('__') || k === '__other__')
    .reduce((a, [, v]) => a + v, 0);
}

describe('real public datasets flatten to the expected sessions and events', function () {
  let out: string;
  before(function () {
    requireDataset(this, CLOUDTRAIL);
    requireDataset(this, HDFS);
    out = mkdtempSync(path.join(tmpdir(), 'secml-real-'));
  });
  after(() => out && rmSync(out, { recursive: true, force: true }));

  // Expected numbers computed independently (Python json + sorting, see the commit message): 2,900 records, 262
  // eventSource:eventName pairs, 21 principals (13 with an ARN, 8 AWS services), one session each at a 30-minute gap,
  // 34 sessions at a 5-minute gap.
  it('CloudTrail (Stratus Red Team attack, 55 delivery files): 2,900 events, 21 sessions at 30 min, 34 at 5 min', async () => {
    const s = await flattenToDataset([path.join(CLOUDTRAIL, 'CloudTrail')], path.join(out, 'ct30'));
    assert.equal(s.format, 'cloudtrail');
    assert.equal(s.files, 55);
    assert.equal(s.events, 2900);
    assert.equal(s.sessions, 21);
    assert.equal(s.vocabulary, 262);
    assert.equal(s.skipped.count, 0);
    assert.equal(s.unlabelled, 21);
    const { rows } = readSessionsCsv(s.outDir);
    assert.equal([...rows.values()].reduce((a, r) => a + sumCounts(r.values), 0), 2900);
    const benjamin = [...rows.entries()].find(([id]) => id.startsWith('arn:aws:iam::123837392027:user/benjamin@'));
    assert.ok(benjamin, 'a session of user/benjamin');
    assert.ok(benjamin![1].values.__duration_s__ > 0);
    const m = await readDatasetManifest(s.outDir);
    assert.equal(m.reader.sessionGapMinutes, 30);
    assert.equal(m.labels, 'none');
    assert.equal(m.sources.length, 55);
    assert.match(m.sources[0].sha256, /^[0-9a-f]{64}$/);
    const five = await flattenToDataset([path.join(CLOUDTRAIL, 'CloudTrail')], path.join(out, 'ct5'), { reader: { format: 'cloudtrail', sessionGapMinutes: 5 } });
    assert.equal(five.sessions, 34);
    assert.equal(five.events, 2900);
  });

  it('the labelled flat CloudTrail view as a mapped CSV: 13 ARN sessions, 7 with detonation events, 77 rows without an ARN', async () => {
    const csv = path.join(CLOUDTRAIL, 'invictus_events_flat_labels.csv');
    const reader = { format: 'csv' as const, columns: { session: 'userIdentity_arn', event: 'eventName', time: 'eventTime', label: 'label_stratus_detonation' }, sessionGapMinutes: 30 };
    const s = await flattenToDataset([csv], path.join(out, 'flat'), { reader });
    assert.equal(s.events, 2823);
    assert.equal(s.sessions, 13);
    assert.equal(s.positives, 7);
    assert.equal(s.skipped.count, 77);
    assert.deepEqual(s.skipped.first[0], { file: csv, line: 197, reason: 'empty userIdentity_arn (session)' });
    await assert.rejects(flattenToDataset([csv], path.join(out, 'flat-strict'), { reader: { ...reader, strict: true } }), (e: { code: string; line: number }) => e.code === 'LOG_FORMAT' && e.line === 197);
  });

  it('HDFS 100k (Loghub): 104,815 events, 7,940 block sessions, 313 anomalous, 19 event ids; lengths match the session file', async () => {
    const s = await flattenToDataset([path.join(HDFS, 'hdfs100k_events.csv')], path.join(out, 'hdfs'), {
      reader: { columns: { session: 'BlockId', event: 'EventId', label: 'Label' } },
      variants: ['full', 'first:5'],
    });
    assert.equal(s.format, 'csv');
    assert.equal(s.events, 104815);
    assert.equal(s.sessions, 7940);
    assert.equal(s.positives, 313);
    assert.equal(s.vocabulary, 19);
    assert.equal(s.timeFeatures, false);
    const full = readSessionsCsv(s.variants[0].dir).rows;
    const first5 = readSessionsCsv(s.variants[1].dir).rows;
    // hdfs100k_sessions.csv: BlockId,Label,Split,NumEvents,EventSequence (built independently by deep-loglizer).
    const lines = readFileSync(path.join(HDFS, 'hdfs100k_sessions.csv'), 'utf8').trimEnd().split(/\r?\n/).slice(1);
    assert.equal(lines.length, 7940);
    for (const line of lines) {
      const [block, label, , num, seq] = line.split(',');
      const ours = full.get(block)!;
      assert.ok(ours, block);
      assert.equal(ours.label, label, `${block} label`);
      assert.equal(sumCounts(ours.values), Number(num), `${block} events`);
      const expected: Record<string, number> = {};
      for (const e of seq.split(' ')) expected[e] = (expected[e] ?? 0) + 1;
      for (const [e, n] of Object.entries(expected)) assert.equal(ours.values[e], n, `${block} ${e}`);
      const head: Record<string, number> = {};
      for (const e of seq.split(' ').slice(0, 5)) head[e] = (head[e] ?? 0) + 1;
      for (const [e, n] of Object.entries(head)) assert.equal(first5.get(block)!.values[e], n, `${block} first5 ${e}`);
    }
  });
});
