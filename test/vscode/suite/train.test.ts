// In-host: "SecML: Train Model on Dataset" trains 250k sessions in a worker thread with per-round progress in the
// notification, the extension host keeps answering while it trains, and Cancel stops it without writing a model.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { SecmlApi } from '../../../src/extension/extension';
import { writeSyntheticDataset } from '../../helpers/synthetic-dataset';

const ROWS = 250_000;

type WithProgress = typeof vscode.window.withProgress;

/**
 * Runs `body` with window.withProgress and showInputBox wrapped: progress reports are recorded (the real notification
 * still shows unless `cancelAfterRound` is set: then a token the test controls replaces VS Code's Cancel button).
 */
async function withRecordedProgress<T>(opts: { cancelAfterRound?: number; parameters: string }, body: (reports: string[]) => Promise<T>): Promise<T> {
  const w = vscode.window as unknown as { withProgress: WithProgress; showInputBox: typeof vscode.window.showInputBox; showInformationMessage: unknown };
  const original = { withProgress: w.withProgress, showInputBox: w.showInputBox, info: w.showInformationMessage };
  const reports: string[] = [];
  w.showInputBox = async () => opts.parameters;
  w.showInformationMessage = async () => undefined;
  w.withProgress = ((options: vscode.ProgressOptions, task: (p: vscode.Progress<{ message?: string; increment?: number }>, t: vscode.CancellationToken) => Thenable<unknown>) => {
    const record = (progress: vscode.Progress<{ message?: string }>, onRound?: (round: number) => void) => ({
      report(v: { message?: string; increment?: number }) {
        if (v.message) reports.push(v.message);
        const m = v.message?.match(/^round (\d+)\//);
        if (m) onRound?.(Number(m[1]));
        progress.report(v);
      },
    });
    if (opts.cancelAfterRound === undefined) return original.withProgress.call(vscode.window, options, (p, token) => task(record(p), token));
    const cts = new vscode.CancellationTokenSource();
    return task(record({ report() {} }, (round) => round >= opts.cancelAfterRound! && cts.cancel()), cts.token);
  }) as WithProgress;
  try {
    return await body(reports);
  } finally {
    w.withProgress = original.withProgress;
    w.showInputBox = original.showInputBox;
    w.showInformationMessage = original.info;
  }
}

describe('Train Model on Dataset (in-host)', function () {
  this.timeout(600_000);
  let dataset: string;
  let workspace: string;

  before(async function () {
    const ext = vscode.extensions.getExtension<SecmlApi>('secml.secml-lab');
    assert.ok(ext);
    await ext.activate();
    workspace = process.env.SECML_TEST_WORKSPACE ?? vscode.workspace.workspaceFolders?.[0]?.uri.fsPath ?? '';
    assert.ok(workspace, 'a workspace folder is open');
    dataset = (await writeSyntheticDataset(path.join(workspace, '.secml', 'datasets', 'bench', 'full'), ROWS)).dir;
  });

  it('trains 250k rows in a worker with per-round progress while the extension host keeps answering', async function () {
    let ticks = 0;
    let commandsAnswered = 0;
    let training = true;
    const timer = setInterval(() => ticks++, 20);
    // While training runs, the host must keep executing other commands.
    const other = (async () => {
      while (training) {
        await vscode.commands.executeCommand('secml.refresh');
        commandsAnswered++;
        await new Promise((r) => setTimeout(r, 50));
      }
    })();
    const result = await withRecordedProgress({ parameters: 'num_round=20 max_depth=5 eta=0.2 gamma=4 min_child_weight=6 subsample=0.7' }, async (reports) => {
      try {
        const r = (await vscode.commands.executeCommand('secml.trainDataset', vscode.Uri.file(dataset))) as { outDir: string; manifest: { numTrees: number; rows: { train: number } } } | undefined;
        const rounds = reports.filter((m) => /^round \d+\/20 +train-auc [0-9.]+ +validation-auc [0-9.]+/.test(m));
        assert.equal(rounds.length, 20, `per-round progress: ${reports.join(' | ')}`);
        return r;
      } finally {
        training = false;
        clearInterval(timer);
        await other;
      }
    });
    assert.ok(result, 'the command returned its result');
    assert.equal(result.manifest.rows.train, ROWS);
    assert.equal(result.manifest.numTrees, 20);
    assert.ok(result.outDir.startsWith(path.join(workspace, '.secml', 'models')));
    for (const f of ['model.json', 'secml-model.json']) assert.ok(await fs.stat(path.join(result.outDir, f)));
    assert.ok(ticks > 0 && commandsAnswered > 0, `timer ticks ${ticks}, commands answered ${commandsAnswered} during training`);
  });

  it('Cancel stops the training: no model is written and no more rounds are reported', async function () {
    const modelsDir = path.join(workspace, '.secml', 'models');
    const before = await fs.readdir(modelsDir).catch(() => [] as string[]);
    await withRecordedProgress({ cancelAfterRound: 2, parameters: 'num_round=100000' }, async (reports) => {
      const r = await vscode.commands.executeCommand('secml.trainDataset', vscode.Uri.file(dataset));
      assert.equal(r, undefined, 'a cancelled training returns nothing');
      const count = reports.length;
      await new Promise((res) => setTimeout(res, 1500));
      assert.equal(reports.length, count, 'the worker stopped reporting');
      assert.ok(reports.some((m) => /^round 2\//.test(m)));
    });
    assert.deepEqual(await fs.readdir(modelsDir).catch(() => [] as string[]), before, 'no model folder was added');
  });
});
