import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { flattenForScoring, flattenToDataset, readDatasetManifest } from '../../../src/core/features';
import { FIXTURES, readSessionsCsv } from './dataset-files';

const SMALL = path.join(FIXTURES, 'seed-small.tsv');

describe('flattenForScoring', () => {
  let root: string;
  before(() => (root = mkdtempSync(path.join(tmpdir(), 'secml-score-'))));
  after(() => rmSync(root, { recursive: true, force: true }));

  it("gives the training rows back, in the model's feature order, with session summaries", async () => {
    const s = await flattenToDataset([SMALL], path.join(root, 'ds'), { variants: ['first:5'] });
    const m = await readDatasetManifest(s.outDir);
    const features = [...m.features].reverse();
    const table = await flattenForScoring([SMALL], { reader: m.reader, vocabulary: m.vocabulary, features, variant: m.variant.spec });
    assert.equal(table.n, 300);
    assert.deepEqual(table.features, features);
    assert.equal(table.rows.length, 300 * features.length);
    assert.deepEqual(table.unseen, {});
    assert.equal(table.skipped.count, 0);
    const expected = readSessionsCsv(s.outDir).rows;
    table.sessions.forEach((sess, i) => {
      const row = expected.get(sess.id)!;
      assert.equal(String(sess.label), row.label);
      assert.equal(table.labels![i], Number(row.label));
      features.forEach((f, j) => assert.ok(Math.abs(table.rows[i * features.length + j] - row.values[f]) < 1e-3, `${sess.id} ${f}`));
    });
    const first = table.sessions[0];
    assert.equal(first.file, SMALL);
    assert.equal(first.firstLine, 2);
    assert.ok(first.firstTime! <= first.lastTime!);
    // Session 5003 arrives out of time order: its summary is in time order all the same.
    const s5003 = table.sessions.find((x) => x.id === '5003')!;
    assert.equal(s5003.firstEvents[0], '119');
    assert.equal(s5003.firstTime, Date.UTC(2019, 6, 1, 7, 59));
    assert.ok(s5003.firstEvents.length <= 5 && s5003.lastEvents.length <= 5);
  });

  it('keeps the vocabulary: unseen types go to __other__ and are counted; no labels gives null', async () => {
    const f = path.join(root, 'new.tsv');
    writeFileSync(f, ['SessionNo\tLogTime\tAct', '1\t2019-07-01 08:00:00\t111', '1\t2019-07-01 08:01:00\t999', '1\t2019-07-01 08:03:00\t999', '2\t2019-07-01 08:00:00\tzzz'].join('\n'));
    const t = await flattenForScoring([f], { reader: { format: 'seed' }, vocabulary: ['111', '112'], features: ['111', '112', '__other__', '__duration_s__'] });
    assert.deepEqual(Array.from(t.rows), [1, 0, 2, 180, 0, 0, 1, 0]);
    assert.deepEqual(t.unseen, { '999': 2, zzz: 1 });
    assert.equal(t.labels, null);
    assert.deepEqual(t.sessions[0].firstEvents, ['111', '999', '999']);
    assert.deepEqual(t.sessions[0].lastEvents, ['111', '999', '999']);
    assert.equal(t.sessions[0].label, undefined);
    await assert.rejects(flattenForScoring([f], { reader: { format: 'seed' }, vocabulary: ['111'], features: ['111', 'bogus'] }), (e: { code: string }) => e.code === 'MODEL_FORMAT');
  });
});
