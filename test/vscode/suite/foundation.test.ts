// In-host: the extension activates cheaply, every contributed command is registered (each by its feature's real
// handler: there is no placeholder mechanism), and the three views resolve.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { SecmlApi } from '../../../src/extension/extension';

const EXTENSION_ID = 'secml.secml-lab';
const VIEWS = [['datasets', 'secml.datasets'], ['experiments', 'secml.experiments'], ['endpoints', 'secml.endpoints']] as const;

async function activated(): Promise<{ ext: vscode.Extension<SecmlApi>; api: SecmlApi }> {
  const ext = vscode.extensions.getExtension<SecmlApi>(EXTENSION_ID);
  assert.ok(ext, `extension ${EXTENSION_ID} is not installed in this VS Code`);
  const api = await ext.activate();
  return { ext, api };
}

describe('Foundation (in-host)', function () {
  it('activates and exposes its services', async function () {
    const { ext, api } = await activated();
    assert.equal(ext.isActive, true);
    assert.ok(api.services, 'activate() returns the services');
    assert.ok(api.services.output, 'the SecML Lab output channel exists');
  });

  it('activates only on its views, commands and panels (no "*", no onStartupFinished)', async function () {
    const { ext } = await activated();
    const events: string[] = ext.packageJSON.activationEvents ?? [];
    assert.ok(!events.includes('*'), 'activationEvents contains "*"');
    assert.ok(!events.includes('onStartupFinished'), 'activationEvents contains onStartupFinished');
  });

  it('does not load DuckDB (a native module) on activation', async function () {
    const atActivation = (globalThis as Record<string, unknown>).secmlModulesAfterActivation as string[] | undefined;
    assert.ok(atActivation, 'the suite entry records the modules loaded at activation');
    const loaded = atActivation.filter((k) => k.includes('/@duckdb/'));
    assert.deepEqual(loaded, [], 'DuckDB was loaded at activation: load it when a query runs');
  });

  it('registers every command contributed in package.json', async function () {
    const { ext } = await activated();
    const contributed: string[] = ext.packageJSON.contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(contributed.length >= 9, `only ${contributed.length} contributed commands`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('contributes the SecML Lab container with the Datasets, Experiments and Endpoints views, each with a welcome text', async function () {
    const { ext } = await activated();
    const c = ext.packageJSON.contributes;
    assert.deepEqual(c.viewsContainers.activitybar.map((v: { title: string }) => v.title), ['SecML Lab']);
    assert.deepEqual(c.views.secml.map((v: { id: string; name: string }) => `${v.id}:${v.name}`), ['secml.datasets:Datasets', 'secml.experiments:Experiments', 'secml.endpoints:Endpoints']);
    for (const [, view] of VIEWS) assert.ok(c.viewsWelcome.some((w: { view: string; contents: string }) => w.view === view && w.contents.length > 20), `${view} has no welcome text`);
  });

  for (const [key, id] of VIEWS) {
    it(`resolves and reveals the ${id} view`, async function () {
      const { api } = await activated();
      const view = api.views[key];
      // The tree resolves: its root nodes (none in an empty folder: the welcome text shows) and their tree items.
      const roots = await view.provider.getChildren();
      assert.ok(Array.isArray(roots));
      for (const node of roots) assert.ok(await view.provider.getTreeItem(node));
      // <viewId>.focus exists for every contributed view and opens the SecML Lab sidebar on it.
      await vscode.commands.executeCommand(`${id}.focus`);
      for (let i = 0; i < 100 && !view.view.visible; i++) await new Promise((r) => setTimeout(r, 50));
      assert.equal(view.view.visible, true, `${id} is not visible after ${id}.focus`);
    });
  }

  it('shows each item context menu entry only on the tree items it applies to', async function () {
    const { ext } = await activated();
    const menus = ext.packageJSON.contributes.menus['view/item/context'] as { command: string; when: string }[];
    // Evaluates the `view == X && viewItem == Y && viewItem =~ /R/` clauses our menus use.
    const holds = (when: string, view: string, item: string) =>
      when.split('&&').every((term) => {
        const t = term.trim();
        let m: RegExpMatchArray | null;
        if ((m = /^view == (\S+)$/.exec(t))) return m[1] === view;
        if ((m = /^viewItem == (\S+)$/.exec(t))) return m[1] === item;
        if ((m = /^viewItem =~ \/(.+)\/$/.exec(t))) return new RegExp(m[1]).test(item);
        throw new Error(`unexpected when clause: ${t}`);
      });
    const entries = (view: string, item: string) => [...new Set(menus.filter((m) => holds(m.when, view, item)).map((m) => m.command))].sort();
    const expected: [string, string, string[]][] = [
      ['secml.datasets', 'dataset', ['secml.dataset.delete', 'secml.dataset.openManifest', 'secml.dataset.reveal']],
      ['secml.datasets', 'datasetVariant', ['secml.dataset.delete', 'secml.dataset.openManifest', 'secml.dataset.reveal', 'secml.trainDataset']],
      ['secml.datasets', 'datasetSplit', []],
      ['secml.experiments', 'run.done.completed.local', ['secml.run.delete', 'secml.run.openMetrics', 'secml.run.rerun', 'secml.run.reveal']],
      ['secml.experiments', 'run.done.completed.sagemaker', ['secml.run.delete', 'secml.run.deploy', 'secml.run.openMetrics', 'secml.run.rerun', 'secml.run.reveal']],
      ['secml.experiments', 'job.Completed', ['secml.job.openLogs', 'secml.run.deploy']],
      ['secml.experiments', 'job.InProgress', ['secml.job.openLogs', 'secml.job.stop']],
      ['secml.experiments', 'jobsGroup', []],
      ['secml.experiments', 'jobDetail', []],
      ['secml.experiments', 'launch', []],
      ['secml.endpoints', 'endpoint.InService', ['secml.endpoint.delete']],
      ['secml.endpoints', 'endpointsGroup', []],
      ['secml.endpoints', 'localModelsGroup', []],
      ['secml.endpoints', 'localModel', []],
    ];
    for (const [view, item, commands] of expected) assert.deepEqual(entries(view, item), commands, `${view} / ${item}`);
  });

  it('runs SecML: Refresh and SecML: Show Log without error', async function () {
    await activated();
    await vscode.commands.executeCommand('secml.refresh');
    await vscode.commands.executeCommand('secml.showLog');
  });
});
