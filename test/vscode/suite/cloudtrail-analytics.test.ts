// In-host: "Find Unusual Principal/IP Pairs" and "Show Activity Over Time" on the real Stratus CloudTrail folder (as
// from the Explorer's context menu: a Uri), and the panel they open.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { requireDataset, sharedDatasets } from '../../helpers/tools';
import { until } from './in-host';

interface Result {
  title: string;
  count: number;
  top: { principal: string; subject: string; score: number }[];
}

describe('CloudTrail analytics (in-host)', function () {
  this.timeout(120_000);
  let logs: string;

  before(async function () {
    const ext = vscode.extensions.getExtension('secml.secml-lab')!;
    await ext.activate();
    logs = path.join(sharedDatasets(ext.extensionPath), 'cloudtrail-invictus-stratus', 'CloudTrail');
    requireDataset(this, logs);
  });
  after(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('finds the unusual pairs of a CloudTrail folder and shows them in the analytics panel', async () => {
    const r = (await vscode.commands.executeCommand<Result>('secml.findUnusualPairs', vscode.Uri.file(logs)))!;
    assert.equal(r.title, 'Unusual Pairs: CloudTrail');
    assert.equal(r.count, 15);
    assert.deepEqual(r.top.slice(0, 2).map((p) => p.subject).sort(), ['10.107.159.90', '10.8.8.10']);
    assert.ok(r.top[0].score > 0.7);
    await until('the analytics panel', async () =>
      vscode.window.tabGroups.all.flatMap((g) => g.tabs).find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('secml.analytics')),
    );
  });

  it('counts activity per principal and API per hour with DuckDB', async () => {
    const r = (await vscode.commands.executeCommand<Result>('secml.showActivityOverTime', [logs]))!;
    assert.equal(r.title, 'Activity Over Time: CloudTrail');
    assert.ok(r.count >= 1);
    assert.ok(r.top.every((s) => s.score > 0.2 && s.principal && s.subject.includes(':')));
  });
});
