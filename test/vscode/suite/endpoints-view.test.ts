// In-host: the Endpoints view lists completed local runs and .secml/models folders as "Local models" (with their test ROC AUC; clicking opens
// the model card), and nothing SageMaker-related is called or shown while AWS is not configured.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { api, until } from './in-host';
import { RunStore } from '../../../src/core/experiments/run-store';
import { parseExperimentSpec } from '../../../src/core/experiments/spec';
import type { TreeNode } from '../../../src/extension/views/tree';

const EXPERIMENT = 'inhost-endpoints';



describe('Endpoints view (in-host)', function () {
  let store: RunStore;

  before(async function () {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'the in-host tests run in a workspace folder');
    store = RunStore.forWorkspace(root);
    const spec = parseExperimentSpec({ name: EXPERIMENT, input: { files: ['a.txt'], format: 'seed' }, variants: ['full', 'last:5'] }, 'e.secml.json');
    const { runs } = await store.createLaunch(spec, path.join(root, 'e.secml.json'), 'local', ['full', 'last5'].map((v) => ({ variant: v, variantSpec: v, hyperparameters: {} })));
    const modelDir = path.join(store.runDir(EXPERIMENT, runs[0].id), 'model');
    await fs.mkdir(modelDir, { recursive: true });
    await fs.writeFile(path.join(modelDir, 'secml-model.json'), '{"format":"secml-model"}\n');
    const test = { tp: 8, fp: 2, tn: 88, fn: 2, accuracy: 0.96, precision: 0.8, recall: 0.8, f1: 0.8, fpr: 0.022, rocAuc: 0.9512, prAuc: 0.91, recallAtFpr5: 0.8, thresholdAtFpr5: 0.4, threshold: 0.5, positives: 10, negatives: 90 };
    await store.writeRun({ ...runs[0], status: 'completed', modelDir, finishedAt: new Date().toISOString(), summary: { test } });
    await store.writeRun({ ...runs[1], status: 'failed', error: { code: 'INTERNAL', message: 'x' } });
    await vscode.commands.executeCommand('secml.refresh');
  });

  after(async () => {
    await fs.rm(store.experimentDir(EXPERIMENT), { recursive: true, force: true });
  });

  it('lists completed local runs as local models with their ROC AUC, and opens the model card on click', async function () {
    const view = (await api()).views.endpoints;
    const label = async (n: TreeNode) => String((await view.provider.getTreeItem(n)).label);
    const group = await until('the Local models group', async () => {
      for (const n of await view.provider.getChildren()) if ((await label(n)) === 'Local models') return n;
      return undefined;
    });
    const models = await view.provider.getChildren(group);
    const mine = [];
    for (const m of models) {
      const item = await view.provider.getTreeItem(m);
      if (String(item.label).startsWith(`${EXPERIMENT} /`)) mine.push(item);
    }
    assert.equal(mine.length, 1, 'only the completed run');
    assert.equal(mine[0].label, `${EXPERIMENT} / full`);
    assert.match(String(mine[0].description), /^ROC AUC 0\.951 · \d{4}-\d\d-\d\d \d\d:\d\d$/);
    assert.equal(mine[0].contextValue, 'localModel');
    assert.equal(mine[0].command?.command, 'vscode.open');
    assert.match((mine[0].command?.arguments?.[0] as vscode.Uri).fsPath, /model[\\/]secml-model\.json$/);
  });

  it('also lists the model folders of "Train Model on Dataset" (.secml/models/)', async function () {
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    const dir = path.join(root, '.secml', 'models', 'inhost-adhoc-full');
    await fs.mkdir(dir, { recursive: true });
    const manifest = { kind: 'secml-model', formatVersion: 1, createdAt: new Date().toISOString(), modelFile: 'model.json', features: ['111'], vocabulary: ['111'], reader: { format: 'seed' }, variant: { name: 'full', spec: 'full' }, dataset: { dir: '/data/ds/full', counts: {} }, hyperparameters: {}, trainingCurve: [], bestIteration: 0, numTrees: 1, stoppedEarly: false, trainingSeconds: 0.1, rows: { train: 1, validation: 0, test: 0 }, metrics: { validation: null, test: { rocAuc: 0.8771 } }, thresholdAtFpr5: null };
    await fs.writeFile(path.join(dir, 'secml-model.json'), JSON.stringify(manifest));
    try {
      await vscode.commands.executeCommand('secml.refresh');
      const view = (await api()).views.endpoints;
      const item = await until('the model folder in Local models', async () => {
        for (const g of await view.provider.getChildren()) {
          if (String((await view.provider.getTreeItem(g)).label) !== 'Local models') continue;
          for (const m of await view.provider.getChildren(g)) {
            const it = await view.provider.getTreeItem(m);
            if (it.label === 'inhost-adhoc-full') return it;
          }
        }
        return undefined;
      });
      assert.match(String(item.description), /^ROC AUC 0\.877 · /);
      assert.equal((item.command?.arguments?.[0] as vscode.Uri).fsPath, path.join(dir, 'secml-model.json'));
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });

  it('shows no SageMaker section while AWS is not configured', async function () {
    const aws = vscode.workspace.getConfiguration('secml');
    const configured = aws.get('backend') === 'sagemaker' || ['aws.profile', 'aws.region', 'aws.endpointUrl', 'aws.bucket'].some((k) => String(aws.get(k) ?? '').trim()) || ['AWS_PROFILE', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL'].some((k) => process.env[k]);
    if (configured) this.skip();
    const view = (await api()).views.endpoints;
    const labels = await Promise.all((await view.provider.getChildren()).map(async (n) => String((await view.provider.getTreeItem(n)).label)));
    assert.ok(!labels.includes('SageMaker endpoints'), labels.join(', '));
    const exp = (await api()).views.experiments;
    const expLabels = await Promise.all((await exp.provider.getChildren()).map(async (n) => String((await exp.provider.getTreeItem(n)).label)));
    assert.ok(!expLabels.includes('SageMaker training jobs'), expLabels.join(', '));
  });
});
