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

  // TODO(lead): the Datasets view has no section yet (it comes with the flatten engineer's work, issue 3). When it lands,
  // make this test flatten the sample workspace (or read what the view lists for it) and assert the rows, e.g. a dataset
  // per session file with its variants and splits, through api.views.datasets.provider.getChildren().
  it.skip('TODO(lead): the Datasets view lists the sample workspace (needs the Datasets view of issue 3)');
});
