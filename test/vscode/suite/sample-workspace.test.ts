// In-host: "SecML: Create Sample Workspace" fills the opened folder (the runner opens an empty SECML_TEST_WORKSPACE),
// and the views resolve with it.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SecmlApi } from '../../../src/extension/extension';
import type { SampleWorkspaceSummary } from '../../../src/core/sample/sample-workspace';

const SESSION_FILES = ['known-attacker.txt', 'mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt', 'single.txt'];

describe('Sample workspace (in-host)', function () {
  this.timeout(180_000);
  let api: SecmlApi;
  let summary: SampleWorkspaceSummary | undefined;
  const workspace = process.env.SECML_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';

  before(async function () {
    api = (await vscode.extensions.getExtension<SecmlApi>('secml.secml-lab')!.activate())!;
    assert.ok(workspace && existsSync(workspace), 'the runner opens a workspace folder');
    assert.equal(vscode.workspace.workspaceFolders?.[0]?.uri.fsPath, workspace);
  });

  it('creates the sample workspace in the opened folder', async function () {
    summary = await vscode.commands.executeCommand<SampleWorkspaceSummary>('secml.createSampleWorkspace', vscode.Uri.file(workspace));
    assert.ok(summary, 'the command returns its summary');
    assert.equal(path.resolve(summary.outDir), path.resolve(workspace));
    for (const f of [...SESSION_FILES, 'sample.secml.json', 'README.md', 'AWSLogs']) assert.ok(existsSync(path.join(workspace, f)), `${f} is missing`);
    assert.ok(summary.totals.sessions > 20_000, `${summary.totals.sessions} sessions`);
    assert.ok(summary.totals.attackerSessions > 0);
  });

  it('keeps every view resolvable with the sample workspace open', async function () {
    for (const key of ['datasets', 'experiments', 'endpoints'] as const) {
      const roots = await api.views[key].provider.getChildren();
      for (const node of roots) assert.ok(await api.views[key].provider.getTreeItem(node));
    }
  });

  it('lists the flattened sample in the Datasets view: dataset -> six variants -> splits', async function () {
    const mixed = ['mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt'].map((f) => vscode.Uri.file(path.join(workspace, f)));
    const variants = ['full', 'drop:0.2', 'first:5', 'first:10', 'last:5', 'last:10'];
    const flat = await vscode.commands.executeCommand<{ sessions: number; variants: { name: string }[] }>('secml.flattenLogs', mixed[0], mixed, {
      format: 'seed',
      variants,
      augment: path.join(workspace, 'known-attacker.txt'),
      name: 'sample-mixed',
      overwrite: true,
    });
    assert.ok(flat, 'the flatten command returns its summary');
    const mixedSessions = summary!.sessionLogs.filter((f) => /^mixed-/.test(path.basename(f.file))).reduce((n, f) => n + f.sessions, 0);
    assert.equal(flat.sessions, mixedSessions, 'every session of the three mixed files is a row');
    assert.deepEqual(flat.variants.map((v) => v.name), ['full', 'drop0.2', 'first5', 'first10', 'last5', 'last10']);

    const provider = api.views.datasets.provider;
    const roots = await provider.getChildren();
    const items = await Promise.all(roots.map((n) => provider.getTreeItem(n)));
    const k = items.findIndex((i) => i.label === 'sample-mixed');
    assert.ok(k >= 0, `the view lists the dataset (got ${items.map((i) => i.label).join(', ')})`);
    assert.match(String(items[k].description), new RegExp(`^6 variants · ${mixedSessions.toLocaleString('en-US')} sessions`));
    const variantNodes = await provider.getChildren(roots[k]);
    const variantItems = await Promise.all(variantNodes.map((n) => provider.getTreeItem(n)));
    assert.deepEqual(variantItems.map((i) => i.label), ['full', 'drop0.2', 'first5', 'first10', 'last5', 'last10']);
    const splits = await Promise.all((await provider.getChildren(variantNodes[0])).map((n) => provider.getTreeItem(n)));
    assert.deepEqual(splits.map((i) => i.label), ['train', 'validation', 'test']);
    for (const s of splits) assert.match(String(s.description), /^[\d.]+% positive · [\d,]+ sessions$/);
  });
});
