import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { flattenToDataset, readDatasetManifest, findDatasetVariants } from '../../../src/core/features';
import type { ProgressEvent } from '../../../src/core/progress';
import { FIXTURES, readSessionsCsv, readSplitCsv } from './dataset-files';

const SMALL = path.join(FIXTURES, 'seed-small.tsv');
const ATTACKER = path.join(FIXTURES, 'seed-attacker.tsv');
const SIX = ['full', 'drop:0.2', 'first:5', 'first:10', 'last:5', 'last:10'];

describe('flattenToDataset', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(tmpdir(), 'secml-ds-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const out = (name: string) => path.join(root, name);

  it('writes the six seed variants, each with SageMaker CSVs, sessions.csv and a manifest', async () => {
    const s = await flattenToDataset([SMALL], out('six'), { variants: SIX });
    assert.deepEqual(readdirSync(out('six')).sort(), ['drop0.2', 'first10', 'first5', 'full', 'last10', 'last5']);
    assert.equal(s.sessions, 300);
    for (const v of s.variants) {
      assert.deepEqual(readdirSync(v.dir).sort(), ['manifest.json', 'sessions.csv', 'test.csv', 'train.csv', 'validation.csv']);
      const m = await readDatasetManifest(v.dir);
      assert.equal(m.kind, 'secml-dataset');
      assert.equal(m.formatVersion, 1);
      assert.equal(m.name, 'six');
      assert.deepEqual(m.variant, { name: v.name, spec: v.spec });
      assert.deepEqual(m.reader, { format: 'seed', strict: false });
      assert.deepEqual(m.vocabulary, [...m.vocabulary].sort());
      assert.deepEqual(m.features, [...m.vocabulary, '__other__', '__duration_s__', '__events_per_min__', '__mean_gap_s__', '__max_gap_s__']);
      assert.equal(m.timeFeatures, true);
      assert.deepEqual(m.split, { ratios: [0.7, 0.15, 0.15], seed: 1 });
      assert.equal(m.sources[0].sha256, createHash('sha256').update(readFileSync(SMALL)).digest('hex'));
      assert.equal(m.sources[0].size, readFileSync(SMALL).length);
      assert.equal(m.counts.events, 3255);
      assert.equal(m.counts.sessions, 300);
      const header = readFileSync(path.join(v.dir, 'sessions.csv'), 'utf8').split('\n')[0];
      assert.equal(header, ['session', 'label', ...m.features].join(','));
      let rows = 0;
      let positives = 0;
      for (const split of ['train', 'validation', 'test'] as const) {
        const data = readSplitCsv(v.dir, `${split}.csv`);
        for (const r of data) {
          assert.equal(r.length, 1 + m.features.length);
          assert.ok(r[0] === 0 || r[0] === 1);
          assert.ok(r.every((x) => Number.isFinite(x) && x >= 0));
        }
        assert.equal(data.length, m.counts.splits[split].sessions);
        assert.equal(data.filter((r) => r[0] === 1).length, m.counts.splits[split].positives);
        rows += data.length;
        positives += m.counts.splits[split].positives;
      }
      assert.equal(rows, 300);
      assert.equal(positives, m.counts.positives);
    }
    // Stratified 70/15/15 of 284 negatives (199/42/43 by largest remainder) and 16 positives (11/2/3), in every variant.
    const splits = s.variants.map((v) => JSON.stringify(v.splits));
    assert.equal(new Set(splits).size, 1);
    assert.deepEqual(s.variants[0].splits, { train: { sessions: 210, positives: 11 }, validation: { sessions: 44, positives: 2 }, test: { sessions: 46, positives: 3 } });
  });

  it('is deterministic for a seed, and the seed changes the split', async () => {
    await flattenToDataset([SMALL], out('a'), { variants: ['drop:0.3', 'full'], seed: 7 });
    await flattenToDataset([SMALL], out('b'), { variants: ['drop:0.3', 'full'], seed: 7 });
    await flattenToDataset([SMALL], out('c'), { variants: ['drop:0.3', 'full'], seed: 8 });
    for (const v of ['drop0.3', 'full']) {
      for (const f of ['train.csv', 'test.csv', 'sessions.csv']) {
        assert.equal(readFileSync(path.join(out('a'), v, f), 'utf8'), readFileSync(path.join(out('b'), v, f), 'utf8'), `${v}/${f}`);
      }
      assert.notEqual(readFileSync(path.join(out('a'), v, 'test.csv'), 'utf8'), readFileSync(path.join(out('c'), v, 'test.csv'), 'utf8'));
    }
  });

  it('drop:P keeps round((1-P) n) events of each session (at least one), chosen independently of file order', async () => {
    const s = await flattenToDataset([SMALL], out('d'), { variants: ['full', 'drop:0.2'] });
    const full = readSessionsCsv(s.variants[0].dir).rows;
    const drop = readSessionsCsv(s.variants[1].dir).rows;
    const total = (r: Record<string, number>) => Object.entries(r).filter(([k]) => !k.startsWith('__') || k === '__other__').reduce((a, [, x]) => a + x, 0);
    let differs = 0;
    for (const [id, f] of full) {
      const d = drop.get(id)!;
      const n = total(f.values);
      assert.equal(total(d.values), Math.max(1, Math.round(0.8 * n)), id);
      for (const k of Object.keys(f.values)) if (!k.startsWith('__')) assert.ok(d.values[k] <= f.values[k]);
      if (JSON.stringify(d.values) !== JSON.stringify(f.values)) differs++;
    }
    assert.ok(differs > 100);
    // Rows in reverse time order (ties keep their file order, which is what "stable" means): every session arrives
    // out of time order, yet each keeps exactly the same events in every variant.
    const lines = readFileSync(SMALL, 'utf8').trimEnd().split('\n');
    const time = (l: string) => l.split('\t')[1];
    const reversed = path.join(root, 'reversed.tsv');
    const rows = lines.slice(1).map((l, i) => ({ l, i }));
    rows.sort((a, b) => (time(a.l) < time(b.l) ? 1 : time(a.l) > time(b.l) ? -1 : a.i - b.i));
    writeFileSync(reversed, [lines[0], ...rows.map((r) => r.l)].join('\n'));
    const r = await flattenToDataset([reversed], out('r'), { variants: ['full', 'drop:0.2', 'last:3', 'middle:4', 'first:2'] });
    assert.ok(r.reordered > 200, `most sessions arrive out of time order (${r.reordered})`);
    const base = await flattenToDataset([SMALL], out('base'), { variants: ['full', 'drop:0.2', 'last:3', 'middle:4', 'first:2'] });
    for (let k = 0; k < 5; k++) {
      const a = readSessionsCsv(base.variants[k].dir).rows;
      const b = readSessionsCsv(r.variants[k].dir).rows;
      for (const [id, row] of a) assert.deepEqual(b.get(id), row, `${base.variants[k].name} ${id}`);
    }
  });

  it('adds an attacker-only file to training only, leaving out sessions that are also in the input', async () => {
    const s = await flattenToDataset([SMALL], out('aug'), { variants: ['full', 'first:5'], augment: ATTACKER });
    assert.deepEqual(s.augment, { sessions: 17, events: s.augment!.events, droppedOverlapping: 3 });
    assert.equal(s.sessions, 300);
    const m = await readDatasetManifest(s.variants[0].dir);
    assert.equal(m.augment!.sessions, 17);
    assert.equal(m.augment!.droppedOverlapping, 3);
    assert.equal(m.augment!.path, ATTACKER);
    assert.equal(m.counts.splits.train.sessions, 210 + 17);
    assert.equal(m.counts.splits.train.positives, 11 + 17);
    assert.equal(readSplitCsv(s.variants[0].dir, 'train.csv').length, 227);
    assert.equal(readSessionsCsv(s.variants[0].dir).rows.size, 300, 'sessions.csv holds the main input only');
    await assert.rejects(flattenToDataset([SMALL], out('aug2'), { augment: SMALL }), /both an input and the augmentation file/);
  });

  it('min:N keeps sessions with at least N events', async () => {
    const s = await flattenToDataset([SMALL], out('min'), { variants: ['first:5,min:5', 'min:20'] });
    assert.deepEqual(s.variants.map((v) => v.name), ['first5_min5', 'full_min20']);
    const full = await flattenToDataset([SMALL], out('full'));
    const lengths = [...readSessionsCsv(full.outDir).rows.values()].map((r) => Object.entries(r.values).filter(([k]) => !k.startsWith('__')).reduce((a, [, x]) => a + x, 0));
    assert.equal(s.variants[0].sessions, lengths.filter((n) => n >= 5).length);
    assert.equal(s.variants[1].sessions, lengths.filter((n) => n >= 20).length);
    assert.equal(full.outDir, out('full'));
    assert.ok(existsSync(path.join(out('full'), 'manifest.json')), 'one variant: the folder itself');
  });

  it('reuses a vocabulary: unseen event types count as __other__ and are reported', async () => {
    const first = await flattenToDataset([SMALL], out('v1'));
    const m = await readDatasetManifest(first.outDir);
    const vocabulary = m.vocabulary.filter((t) => t !== '111' && t !== '607');
    const s = await flattenToDataset([SMALL], out('v2'), { vocabulary });
    assert.deepEqual(Object.keys(s.unseen).sort(), ['111', '607']);
    const m2 = await readDatasetManifest(s.outDir);
    assert.equal(m2.counts.unseenEventTypes, 2);
    assert.deepEqual(m2.vocabulary, vocabulary);
    const a = readSessionsCsv(first.outDir).rows;
    const b = readSessionsCsv(s.outDir).rows;
    for (const [id, r] of a) assert.equal(b.get(id)!.values.__other__, r.values['111'] + r.values['607'], id);
  });

  it('never overwrites by accident, and replaces a dataset when asked', async () => {
    await flattenToDataset([SMALL], out('o'));
    await assert.rejects(flattenToDataset([SMALL], out('o')), (e: { code: string }) => e.code === 'CONFLICT');
    const s = await flattenToDataset([SMALL], out('o'), { overwrite: true, variants: ['first:3'] });
    assert.equal((await readDatasetManifest(s.outDir)).variant.spec, 'first:3');
    mkdirSync(out('docs'));
    writeFileSync(path.join(out('docs'), 'thesis.tex'), 'precious');
    await assert.rejects(flattenToDataset([SMALL], out('docs'), { overwrite: true }), /is not a SecML dataset/);
    assert.equal(readFileSync(path.join(out('docs'), 'thesis.tex'), 'utf8'), 'precious');
    // Hidden entries are content too: a folder holding only .git and .env is not "empty", with or without overwrite.
    mkdirSync(path.join(out('project'), '.git'), { recursive: true });
    writeFileSync(path.join(out('project'), '.env'), 'SECRET=1');
    for (const overwrite of [false, true]) await assert.rejects(flattenToDataset([SMALL], out('project'), { overwrite }), /is not a SecML dataset/);
    assert.deepEqual(readdirSync(out('project')).sort(), ['.env', '.git']);
    // A truly empty folder is filled.
    mkdirSync(out('empty'));
    assert.equal((await flattenToDataset([SMALL], out('empty'))).outDir, out('empty'));
  });

  it('cancels cleanly: no output and no staging folder left behind', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(flattenToDataset([SMALL], out('x'), {}, { signal: controller.signal }), (e: { code: string }) => e.code === 'CANCELLED');
    assert.deepEqual(readdirSync(root), []);
  });

  it('reports progress with events and a rate', async () => {
    const seen: ProgressEvent[] = [];
    await flattenToDataset([SMALL], out('p'), { variants: ['last:3'] }, { onProgress: (p) => seen.push(p) });
    const last = seen[seen.length - 1];
    assert.equal(last.unit, 'events');
    assert.equal(last.done, 3255);
    assert.ok(last.rate! > 0);
    assert.match(last.message!, /3,255 events, 300 sessions/);
  });

  it('reads manifests with clear errors', async () => {
    const s = await flattenToDataset([SMALL], out('m'), { variants: ['full', 'first:2'] });
    assert.deepEqual(await findDatasetVariants(s.outDir), [path.join(s.outDir, 'full'), path.join(s.outDir, 'first2')]);
    await assert.rejects(readDatasetManifest(s.outDir), /holds several variants \(full, first2\)/);
    await assert.rejects(readDatasetManifest(root), (e: { code: string }) => e.code === 'NOT_FOUND');
    const bad = path.join(root, 'bad.json');
    writeFileSync(bad, JSON.stringify({ kind: 'something-else' }));
    await assert.rejects(readDatasetManifest(bad), /"kind" is "something-else", expected "secml-dataset"/);
    const future = JSON.parse(readFileSync(path.join(s.outDir, 'full', 'manifest.json'), 'utf8'));
    writeFileSync(bad, JSON.stringify({ ...future, formatVersion: 99 }));
    await assert.rejects(readDatasetManifest(bad), /format version 99 is newer/);
    writeFileSync(bad, JSON.stringify({ ...future, files: { ...future.files, train: '../../etc/passwd' } }));
    await assert.rejects(readDatasetManifest(bad), /must name files inside the dataset folder/);
  });
});
