import { strict as assert } from 'node:assert';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RunStore } from '../../../src/core/experiments/run-store';
import type { MetricsSummary } from '../../../src/core/experiments/run-record';
import { parseExperimentSpec } from '../../../src/core/experiments/spec';
import { listWorkspaceModels, modelsFolder } from '../../../src/core/scoring';

const summary = (rocAuc: number): MetricsSummary => ({ tp: 8, fp: 2, tn: 88, fn: 2, accuracy: 0.96, precision: 0.8, recall: 0.8, f1: 0.8, fpr: 0.02, rocAuc, prAuc: 0.9, recallAtFpr5: 0.75, thresholdAtFpr5: 0.4, threshold: 0.5, positives: 10, negatives: 90 });

/** A model folder as "Train Model on Dataset" writes it (only the manifest matters to the listing). */
async function writeModelFolder(workspace: string, name: string, createdAt: string, rocAuc: number): Promise<string> {
  const dir = path.join(modelsFolder(workspace), name);
  await fs.mkdir(dir, { recursive: true });
  const manifest = { kind: 'secml-model', formatVersion: 1, createdAt, modelFile: 'model.json', features: ['a'], vocabulary: ['a'], reader: {}, variant: { name: 'last5', spec: 'last:5' }, dataset: { dir: '/data/ds/last5', counts: {} }, hyperparameters: {}, trainingCurve: [], bestIteration: 0, numTrees: 1, stoppedEarly: false, trainingSeconds: 0.1, rows: { train: 1, validation: 0, test: 0 }, metrics: { validation: null, test: { rocAuc, recallAtFpr5: 0.5 } }, thresholdAtFpr5: null };
  await fs.writeFile(path.join(dir, 'secml-model.json'), JSON.stringify(manifest));
  return dir;
}

describe('listWorkspaceModels', () => {
  let root: string;
  beforeEach(async () => {
    root = await fs.mkdtemp(path.join(tmpdir(), 'secml-ws-models-'));
  });
  afterEach(() => fs.rm(root, { recursive: true, force: true }));

  it('is empty for a workspace without runs or model folders', async () => {
    assert.deepEqual(await listWorkspaceModels(root), []);
    assert.equal(modelsFolder(root), path.join(root, '.secml', 'models'));
  });

  it('lists completed runs with a model and model folders together, newest first', async () => {
    const store = RunStore.forWorkspace(root);
    const spec = parseExperimentSpec({ name: 'harvest', input: { files: ['a.txt'], format: 'seed' }, variants: ['full', 'last:5', 'first:5', 'drop:0'] }, 'e.secml.json');
    const variants = ['full', 'last5', 'first5', 'drop0'];
    const { runs } = await store.createLaunch(spec, path.join(root, 'e.secml.json'), 'local', variants.map((v) => ({ variant: v, variantSpec: v, hyperparameters: {} })));
    const [full, last5, first5, drop0] = runs;
    const modelDir = (id: string) => path.join(store.runDir('harvest', id), 'model');
    await store.writeRun({ ...full, status: 'completed', modelDir: modelDir(full.id), finishedAt: '2024-05-14T10:00:00.000Z', summary: { test: summary(0.91) } });
    await store.writeRun({ ...last5, status: 'completed', modelDir: modelDir(last5.id), finishedAt: '2024-05-14T12:00:00.000Z', summary: { test: summary(0.93) } });
    await store.writeRun({ ...first5, status: 'failed', finishedAt: '2024-05-14T13:00:00.000Z', error: { code: 'INTERNAL', message: 'x' } });
    // Completed without a local model (as a remote run is): nothing to score with on this machine.
    await store.writeRun({ ...drop0, status: 'completed', finishedAt: '2024-05-14T14:00:00.000Z' });
    const older = await writeModelFolder(root, 'adhoc-old', '2024-05-14T09:00:00.000Z', 0.8);
    const newer = await writeModelFolder(root, 'adhoc-new', '2024-05-14T11:00:00.000Z', 0.85);
    await fs.mkdir(path.join(modelsFolder(root), 'not-a-model'));

    const models = await listWorkspaceModels(root);
    assert.deepEqual(
      models.map((m) => [m.source, m.label]),
      [
        ['run', 'harvest / last5'],
        ['folder', 'adhoc-new'],
        ['run', 'harvest / full'],
        ['folder', 'adhoc-old'],
      ],
    );
    const [run, folder] = models;
    assert.equal(run.id, `harvest/${last5.id}`);
    assert.equal(run.modelDir, modelDir(last5.id));
    assert.equal(run.rocAuc, 0.93);
    assert.equal(run.recallAtFpr5, 0.75);
    assert.equal(run.variantSpec, 'last5');
    assert.equal(run.source === 'run' && run.run.experiment, 'harvest');
    assert.equal(folder.id, 'models/adhoc-new');
    assert.equal(folder.modelDir, newer);
    assert.equal(folder.finishedAt, '2024-05-14T11:00:00.000Z');
    assert.equal(folder.rocAuc, 0.85);
    assert.equal(folder.variantSpec, 'last:5');
    assert.equal(models[3].modelDir, older);
  });
});
