import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  existingSampleEntries,
  generateSampleWorkspace,
  sampleWorkspaceEntries,
  type SampleWorkspaceSummary,
} from '../../../src/core/sample/sample-workspace';
import { hashTree, sharedWorkspace, tempDir } from './fixture';

describe('sample/workspace', function () {
  this.timeout(120_000);

  describe('determinism', () => {
    let a: string;
    let b: string;
    let c: string;
    before(async () => {
      [a, b, c] = [tempDir('a'), tempDir('b'), tempDir('c')];
      await generateSampleWorkspace(a, { seed: 7, scale: 0.2 });
      await generateSampleWorkspace(b, { seed: 7, scale: 0.2 });
      await generateSampleWorkspace(c, { seed: 8, scale: 0.2 });
    });

    it('gives byte-identical files for the same seed and scale', () => {
      const ha = hashTree(a);
      const hb = hashTree(b);
      assert.ok(ha.size > 100, `only ${ha.size} files`);
      assert.deepEqual([...hb.entries()], [...ha.entries()]);
    });

    it('gives different files for a different seed', () => {
      const ha = hashTree(a);
      const hc = hashTree(c);
      for (const f of ['known-attacker.txt', 'mixed-1.txt', 'single.txt']) assert.notEqual(hc.get(f), ha.get(f), f);
      const trail = (h: Map<string, string>) => [...h.keys()].filter((k) => k.startsWith('AWSLogs/')).join('\n');
      assert.notEqual(trail(hc), trail(ha));
    });

    it('leaves no staging folder behind', () => {
      assert.deepEqual(readdirSync(a).filter((n) => n.startsWith('.')), []);
    });
  });

  describe('the experiment spec, queries and README', () => {
    let ws: SampleWorkspaceSummary;
    before(async () => {
      ws = await sharedWorkspace();
    });

    it('writes sample.secml.json with exactly the agreed keys, naming files that exist', () => {
      const spec = JSON.parse(readFileSync(path.join(ws.outDir, 'sample.secml.json'), 'utf8'));
      assert.deepEqual(Object.keys(spec), ['name', 'description', 'input', 'variants', 'split', 'seed', 'timeFeatures', 'hyperparameters', 'overrides', 'backend', 'maxConcurrentRuns', 'evaluation']);
      assert.equal(spec.name, 'harvest-bag-of-events');
      assert.deepEqual(spec.input, { files: ['mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt'], format: 'seed', augment: ['known-attacker.txt'] });
      assert.deepEqual(spec.variants, ['full', 'drop:0.2', 'first:5', 'first:10', 'last:5', 'last:10']);
      assert.deepEqual(spec.split, { train: 0.7, validation: 0.15, test: 0.15 });
      assert.deepEqual(spec.hyperparameters, { max_depth: 5, eta: 0.2, gamma: 4, min_child_weight: 6, subsample: 0.7, num_round: 50, objective: 'binary:logistic', eval_metric: 'aucpr' });
      assert.deepEqual([spec.seed, spec.timeFeatures, spec.overrides, spec.backend, spec.maxConcurrentRuns], [42, true, {}, 'local', 2]);
      assert.deepEqual(spec.evaluation, { files: ['single.txt'] });
      for (const f of [...spec.input.files, ...spec.input.augment, ...spec.evaluation.files]) assert.ok(existsSync(path.join(ws.outDir, f)), f);
    });

    it('writes hunting queries over the cloudtrail table and a README with the counts', () => {
      const sql = readFileSync(path.join(ws.outDir, 'queries/hunting.sql'), 'utf8');
      const statements = sql.split(';').filter((s) => /\bSELECT\b/i.test(s));
      assert.ok(statements.length >= 2);
      for (const s of statements) assert.match(s, /FROM cloudtrail/);
      const readme = readFileSync(path.join(ws.outDir, 'README.md'), 'utf8');
      assert.match(readme, /sample\.secml\.json/);
      const single = ws.sessionLogs.find((f) => f.file === 'single.txt')!;
      assert.ok(readme.includes(single.rows.toLocaleString('en-US')));
    });
  });

  describe('overwriting', () => {
    it('refuses to overwrite sample files without force, and leaves them untouched', async () => {
      const dir = tempDir('conflict');
      writeFileSync(path.join(dir, 'README.md'), 'my own readme\n');
      writeFileSync(path.join(dir, 'notes.txt'), 'unrelated\n');
      await assert.rejects(generateSampleWorkspace(dir, { seed: 1, scale: 0.05 }), (e: any) => e.code === 'CONFLICT' && /README\.md/.test(e.message) && /--force/.test(e.message));
      assert.equal(readFileSync(path.join(dir, 'README.md'), 'utf8'), 'my own readme\n');
      assert.deepEqual(readdirSync(dir).sort(), ['README.md', 'notes.txt']);
      assert.deepEqual(await existingSampleEntries(dir), ['README.md']);
    });

    it('overwrites with force, keeping unrelated files', async () => {
      const dir = tempDir('force');
      await generateSampleWorkspace(dir, { seed: 1, scale: 0.05 });
      writeFileSync(path.join(dir, 'notes.txt'), 'unrelated\n');
      const before = hashTree(dir);
      await generateSampleWorkspace(dir, { seed: 2, scale: 0.05, force: true });
      const after = hashTree(dir);
      assert.equal(after.get('notes.txt'), before.get('notes.txt'));
      assert.notEqual(after.get('mixed-1.txt'), before.get('mixed-1.txt'));
      // The old CloudTrail files (other random names) are gone, not mixed with the new ones.
      const trail = (h: Map<string, string>) => [...h.keys()].filter((k) => k.startsWith('AWSLogs/'));
      assert.equal(trail(after).filter((k) => before.has(k)).length, 0);
      assert.deepEqual(await existingSampleEntries(dir), sampleWorkspaceEntries());
    });
  });

  describe('cancellation and bad options', () => {
    it('stops when cancelled and leaves the folder as it was', async () => {
      const dir = tempDir('cancel');
      writeFileSync(path.join(dir, 'notes.txt'), 'unrelated\n');
      const controller = new AbortController();
      let reports = 0;
      const work = {
        signal: controller.signal,
        onProgress: () => {
          if (++reports === 1) controller.abort();
        },
      };
      await assert.rejects(generateSampleWorkspace(dir, { seed: 3, scale: 2 }, work), (e: any) => e.code === 'CANCELLED');
      assert.deepEqual(readdirSync(dir), ['notes.txt']);
    });

    it('rejects a bad seed or scale with an actionable message', async () => {
      const dir = tempDir('bad');
      await assert.rejects(generateSampleWorkspace(dir, { scale: 0 }), (e: any) => e.code === 'BAD_ARGUMENT' && /scale/.test(e.message));
      await assert.rejects(generateSampleWorkspace(dir, { seed: 1.5 }), (e: any) => e.code === 'BAD_ARGUMENT' && /seed/.test(e.message));
    });
  });
});
