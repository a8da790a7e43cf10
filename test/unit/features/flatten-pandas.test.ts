import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { flattenToDataset } from '../../../src/core/features';
import { hasPythonModule, requireTool, SYSTEM_PYTHON } from '../../helpers/tools';
import { FIXTURES, readSessionsCsv } from './dataset-files';

const VARIANTS = ['full', 'first:5', 'last:5', 'middle:3', 'first:10,min:5', 'last:10'];

describe('flattening equals a pandas pivot (seed fixture, session by session)', function () {
  let out: string;
  let reference: Record<string, Record<string, { label: number; counts: Record<string, number>; time: number[] }>>;

  before(function () {
    requireTool(this, 'pandas', () => hasPythonModule('pandas'), 'apt-get install python3-pandas');
    const fixture = path.join(FIXTURES, 'seed-small.tsv');
    reference = JSON.parse(execFileSync(SYSTEM_PYTHON, [path.join(__dirname, 'pandas_flatten.py'), fixture, ...VARIANTS], { encoding: 'utf8', maxBuffer: 64 << 20 }));
    out = mkdtempSync(path.join(tmpdir(), 'secml-pandas-'));
  });
  after(() => out && rmSync(out, { recursive: true, force: true }));

  it('gives the same sessions, labels, counts and time features for every variant', async function () {
    const summary = await flattenToDataset([path.join(FIXTURES, 'seed-small.tsv')], path.join(out, 'ds'), { variants: VARIANTS });
    assert.equal(summary.variants.length, VARIANTS.length);
    assert.ok(summary.reordered >= 3, 'the fixture has sessions out of time order');
    for (const v of summary.variants) {
      const ref = reference[v.spec];
      assert.ok(ref, `pandas computed ${v.spec}`);
      const { header, rows } = readSessionsCsv(v.dir);
      assert.deepEqual([...rows.keys()].sort(), Object.keys(ref).sort(), `${v.spec}: same sessions`);
      const vocab = header.slice(2, header.indexOf('__other__'));
      for (const [id, r] of Object.entries(ref)) {
        const ours = rows.get(id)!;
        assert.equal(ours.label, String(r.label), `${v.spec} ${id}: label`);
        for (const t of vocab) assert.equal(ours.values[t], r.counts[t] ?? 0, `${v.spec} ${id}: count of ${t}`);
        assert.equal(ours.values.__other__, 0);
        const times = [ours.values.__duration_s__, ours.values.__events_per_min__, ours.values.__mean_gap_s__, ours.values.__max_gap_s__];
        times.forEach((x, k) => assert.ok(Math.abs(x - r.time[k]) <= 0.0005 + 1e-9 * Math.abs(r.time[k]), `${v.spec} ${id}: time feature ${k}: ${x} vs ${r.time[k]}`));
      }
    }
  });
});
