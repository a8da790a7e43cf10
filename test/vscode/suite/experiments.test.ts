// In-host: the Experiments view lists experiments and runs from the workspace's run store (status, recall at FPR 5%,
// context values matching package.json's menus), shows a run whose process died as interrupted, opens one metrics panel
// per experiment, and deletes runs and experiments. Launching: a spec runs through the real engine, one run is stopped
// and re-run, and the Endpoints view refreshes once per new model, not on progress; a broken spec is reported with
// its file and line.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SecmlApi } from '../../../src/extension/extension';
import { api, until } from './in-host';
import { RunStore } from '../../../src/core/experiments/run-store';
import { currentOwner } from '../../../src/core/experiments/process-owner';
import type { MetricsSummary, RunRecord } from '../../../src/core/experiments/run-record';
import { parseExperimentSpec } from '../../../src/core/experiments/spec';
import { generateSampleWorkspace } from '../../../src/core/sample/sample-workspace';
import type { TreeNode } from '../../../src/extension/views/tree';

const EXPERIMENT = 'inhost-experiment';

function summary(recallAtFpr5: number): MetricsSummary {
  return { tp: 8, fp: 2, tn: 88, fn: 2, accuracy: 0.96, precision: 0.8, recall: 0.8, f1: 0.8, fpr: 0.022, rocAuc: 0.95, prAuc: 0.91, recallAtFpr5, thresholdAtFpr5: 0.4, threshold: 0.5, positives: 10, negatives: 90 };
}



async function labelOf(view: SecmlApi['views']['experiments'], node: TreeNode): Promise<vscode.TreeItem> {
  return view.provider.getTreeItem(node);
}

describe('Experiments view (in-host)', function () {
  let store: RunStore;
  let runs: RunRecord[];

  before(async function () {
    const root = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    assert.ok(root, 'the in-host tests run in a workspace folder');
    store = RunStore.forWorkspace(root);
    const spec = parseExperimentSpec({ name: EXPERIMENT, description: 'in-host <img src=x onerror=alert(1)>', input: { files: ['a.txt'], format: 'seed' }, variants: ['full', 'first:5', 'last:5'] }, 'x.secml.json');
    const launch = await store.createLaunch(spec, path.join(root, 'x.secml.json'), 'local', ['full', 'first5', 'last5'].map((v) => ({ variant: v, variantSpec: v, hyperparameters: {} })));
    runs = launch.runs;
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    await store.writeRun({ ...runs[0], status: 'completed', trainingSeconds: 1.2, summary: { test: summary(0.8), baseline: { test: { ...summary(0), tp: 0, fp: 0, recallAtFpr5: 0 } } } });
    await store.writeRun({ ...runs[1], status: 'failed', error: { code: 'LOG_FORMAT', message: 'a.txt:7: bad event <img src=x onerror=alert(1)>' } });
    await store.writeRun({ ...runs[2], status: 'running', owner: { pid: Number(dead.stdout.toString()) || 999_999, host: os.hostname(), startTicks: 1 }, progress: { phase: 'training', fraction: 0.5 } });
    await vscode.commands.executeCommand('secml.refresh');
  });

  after(async () => {
    await fs.rm(store.experimentDir(EXPERIMENT), { recursive: true, force: true });
  });

  it('lists the experiment and its runs with status, headline metric and menu context values', async function () {
    const { views } = await api();
    const view = views.experiments;
    const expNode = await until('the experiment node', async () => {
      for (const n of await view.provider.getChildren()) if ((await labelOf(view, n)).label === EXPERIMENT) return n;
      return undefined;
    });
    const item = await labelOf(view, expNode);
    assert.equal(item.contextValue, 'experiment');
    assert.match(String(item.description), /1\/3 completed/);
    const kids = await view.provider.getChildren(expNode);
    const items = await Promise.all(kids.map((k) => labelOf(view, k)));
    assert.deepEqual(items.map((i) => i.label), ['full', 'first5', 'last5']);
    // Short for the sidebar (recall at FPR 5%, the verdict, PR AUC); the tooltip says what they are and on which set.
    assert.match(String(items[0].description), /^80\.0% ✓ · PR \d\.\d{3}$/);
    const tip = (items[0].tooltip as vscode.MarkdownString).value.replace(/&nbsp;/g, ' ').replace(/\\(.)/g, '$1'); // appendText escapes
    assert.match(tip, /Recall at FPR 5% 80\.0% \(meets the 70\.0% target\), PR AUC \d\.\d{3}, on the test split/);
    assert.match(tip, /Test split: recall at FPR 5% 80\.0%.*at threshold \d\.\d{2}: precision/);
    assert.equal(items[0].contextValue, 'run.done.completed.local');
    assert.match(String(items[1].description), /^failed: a\.txt:7: bad event/);
    assert.equal(items[1].contextValue, 'run.done.failed.local');
    assert.equal(items[2].contextValue, 'run.done.interrupted.local', 'a run whose process died is interrupted');
    assert.equal((items[2].iconPath as vscode.ThemeIcon).id, 'warning');
    // The menus of package.json match these context values.
    const menus = vscode.extensions.getExtension('secml.secml-lab')!.packageJSON.contributes.menus['view/item/context'] as { command: string; when: string }[];
    const visible = (ctx: string) =>
      menus
        .filter((m) => m.when.includes('view == secml.experiments'))
        .filter((m) => [...m.when.matchAll(/viewItem =~ \/([^/]+)\//g)].every((r) => new RegExp(r[1]).test(ctx)) && (!m.when.includes('viewItem ==') || m.when.includes(`viewItem == ${ctx}`)))
        .map((m) => m.command);
    assert.ok(visible('run.done.completed.local').includes('secml.run.rerun'));
    assert.ok(visible('run.done.completed.local').includes('secml.run.delete'));
    assert.ok(!visible('run.done.completed.local').includes('secml.run.stop'));
    assert.ok(visible('run.active.running').includes('secml.run.stop'));
    assert.ok(!visible('run.active.running').includes('secml.run.delete'));
    assert.ok(visible('run.active.elsewhere').includes('secml.run.stop'), 'a run of another process can be asked to stop');
    assert.ok(visible('experiment').includes('secml.experiment.delete'));
  });

  it('opens one metrics panel per experiment', async function () {
    const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === `Metrics: ${EXPERIMENT}`);
    await vscode.commands.executeCommand('secml.run.openMetrics', { experiment: EXPERIMENT });
    await until('the metrics tab', async () => (tabs().length ? true : undefined));
    await vscode.commands.executeCommand('secml.openMetrics', EXPERIMENT);
    assert.equal(tabs().length, 1, 'the same panel is revealed, not a second one');
    await vscode.window.tabGroups.close(tabs());
  });

  it('Stop on a run of another process (the CLI) leaves that process a stop request', async function () {
    // A live owner this window did not start: the extension host's own process stands in for the CLI.
    const elsewhere: RunRecord = { ...runs[2], status: 'running', owner: currentOwner(), heartbeatAt: new Date().toISOString(), progress: { phase: 'training', fraction: 0.3 } };
    await store.writeRun(elsewhere);
    assert.equal(await store.stopRequested(EXPERIMENT, elsewhere.id), false);
    await vscode.commands.executeCommand('secml.run.stop', { experiment: EXPERIMENT, id: elsewhere.id });
    assert.equal(await store.stopRequested(EXPERIMENT, elsewhere.id), true);
    await store.writeRun({ ...elsewhere, status: 'stopped', finishedAt: new Date().toISOString() });
  });

  it('deletes a finished run, then the experiment', async function () {
    await vscode.commands.executeCommand('secml.run.delete', { experiment: EXPERIMENT, id: runs[1].id, confirmed: true });
    assert.deepEqual((await store.listRuns(EXPERIMENT)).map((r) => r.variant), ['full', 'last5']);
    await vscode.commands.executeCommand('secml.experiment.delete', { experiment: EXPERIMENT, confirmed: true });
    assert.deepEqual((await store.listExperiments()).filter((e) => e.name === EXPERIMENT), []);
  });
});

describe('Launching experiments (in-host)', function () {
  this.timeout(600_000);
  let folder = '';
  let store: RunStore;

  before(async function () {
    const root = vscode.workspace.workspaceFolders![0].uri.fsPath;
    store = RunStore.forWorkspace(root);
    folder = path.join(root, 'inhost-sample');
    await generateSampleWorkspace(folder, { scale: 0.1 });
    // Its own experiment name, so it cannot meet other tests' runs.
    const specFile = path.join(folder, 'sample.secml.json');
    const spec = JSON.parse(await fs.readFile(specFile, 'utf8'));
    spec.name = 'inhost-launch';
    spec.variants = ['full', 'first:5', 'last:5'];
    spec.maxConcurrentRuns = 1;
    await fs.writeFile(specFile, JSON.stringify(spec, null, 2));
  });

  after(async () => {
    await fs.rm(folder, { recursive: true, force: true });
    await fs.rm(store.experimentDir('inhost-launch'), { recursive: true, force: true });
  });

  const finished = (experiment: string, launchId: string) =>
    until(`launch ${launchId} to finish`, async () => {
      const runs = (await store.listRuns(experiment)).filter((r) => r.launchId === launchId);
      return runs.length && runs.every((r) => ['completed', 'failed', 'stopped', 'interrupted'].includes(r.status)) ? runs : undefined;
    }, 300_000);

  it('launches a spec, stops one queued run, and re-runs it', async function () {
    const { views } = await api();
    let endpointsRefreshes = 0;
    let experimentsRefreshes = 0;
    await new Promise((r) => setTimeout(r, 1500)); // let the previous suite's deletes reach the views first
    const counting = [views.endpoints.provider.onDidChangeTreeData(() => endpointsRefreshes++), views.experiments.provider.onDidChangeTreeData(() => experimentsRefreshes++)];
    const launched = (await vscode.commands.executeCommand('secml.launchExperiment', vscode.Uri.file(path.join(folder, 'sample.secml.json')))) as { experiment: string; launchId: string; runIds: string[] };
    assert.ok(launched, 'the command returns the launch');
    assert.equal(launched.runIds.length, 3);
    await vscode.commands.executeCommand('secml.run.stop', { experiment: launched.experiment, id: launched.runIds[2] });
    const runs = await finished(launched.experiment, launched.launchId);
    assert.deepEqual(runs.map((r) => [r.variant, r.status]), [['full', 'completed'], ['first5', 'completed'], ['last5', 'stopped']]);
    assert.ok(runs[0].summary?.test && runs[0].summary.evaluation, 'measured on the test split and single.txt');
    // The Endpoints view (local models) refreshes when a run completes with a model, not on every progress tick.
    await until('the Endpoints view to refresh after the runs completed', async () => (endpointsRefreshes > 0 ? true : undefined));
    for (const c of counting) c.dispose();
    assert.ok(endpointsRefreshes <= 2, `the Endpoints view refreshed ${endpointsRefreshes} times for 2 new models`);
    assert.ok(experimentsRefreshes > endpointsRefreshes, `the Experiments view shows progress (${experimentsRefreshes} refreshes)`);
    const local = await until('the new models in Local models', async () => {
      for (const g of await views.endpoints.provider.getChildren()) {
        if (String((await views.endpoints.provider.getTreeItem(g)).label) !== 'Local models') continue;
        const labels = await Promise.all((await views.endpoints.provider.getChildren(g)).map(async (m) => String((await views.endpoints.provider.getTreeItem(m)).label)));
        if (labels.includes('inhost-launch / full')) return labels;
      }
      return undefined;
    });
    assert.ok(local.includes('inhost-launch / first5'));

    const again = (await vscode.commands.executeCommand('secml.run.rerun', { experiment: launched.experiment, id: launched.runIds[2] })) as { launchId: string; runIds: string[] };
    assert.equal(again.runIds.length, 1);
    const rerun = await finished(launched.experiment, again.launchId);
    assert.deepEqual(rerun.map((r) => [r.variant, r.status]), [['last5', 'completed']]);
  });

  it('reports a broken spec with its file and line, and records nothing', async function () {
    const bad = path.join(folder, 'bad.secml.json');
    await fs.writeFile(bad, '{\n  "name": "inhost-bad",\n  "input": { "files": ["mixed-1.txt"], "format": "seed" },\n  "variants": ["full", "middle"]\n}\n');
    const errors: string[] = [];
    const original = vscode.window.showErrorMessage;
    (vscode.window as { showErrorMessage: unknown }).showErrorMessage = async (msg: string) => {
      errors.push(msg);
      return undefined;
    };
    try {
      await vscode.commands.executeCommand('secml.launchExperiment', vscode.Uri.file(bad));
    } finally {
      (vscode.window as { showErrorMessage: unknown }).showErrorMessage = original;
    }
    assert.equal(errors.length, 1);
    assert.match(errors[0], /bad\.secml\.json:4: variants\[1\]: Variant "middle"/);
    assert.deepEqual((await store.listExperiments()).filter((e) => e.name === 'inhost-bad'), []);
  });
});
