// In-host: "Score This Log File" with a local model (automation arguments instead of the picker): the summary it
// returns, the results panel's tab, the scores CSV beside the input, the question before replacing it (answered
// "Don't Write": nothing is replaced), a clear error for a file in another format, and an explicit --out that exists.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ScoreCommandResult } from '../../../src/extension/commands/score';
import { createCompletedRun } from '../../helpers/score-runs';
import { until } from './in-host';

const REPO = path.resolve(__dirname, '../../..');
const SMALL = path.join(REPO, 'test/fixtures/logs/seed-small.tsv');

const scoreTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.label === 'Scores: day.tsv');

type Window = { showWarningMessage: unknown; showErrorMessage: unknown };

/** Runs `body` with the warning and error messages answered by `answer` and recorded. */
async function withMessages<T>(answer: string | undefined, body: (shown: string[]) => Promise<T>): Promise<T> {
  const w = vscode.window as unknown as Window;
  const original = { warning: w.showWarningMessage, error: w.showErrorMessage };
  const shown: string[] = [];
  w.showWarningMessage = async (m: string) => (shown.push(`warning: ${m}`), answer);
  w.showErrorMessage = async (m: string) => (shown.push(`error: ${m}`), undefined);
  try {
    return await body(shown);
  } finally {
    w.showWarningMessage = original.warning;
    w.showErrorMessage = original.error;
  }
}

describe('Score This Log File (in-host)', function () {
  this.timeout(120_000);
  let root: string;
  let model: string;
  let log: string;

  before(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'secml-inhost-score-'));
    const run = await createCompletedRun(root, { experiment: 'inhost-score', inputs: [SMALL] });
    model = `local:${run.modelDir}`;
    log = path.join(root, 'day.tsv');
    await fs.copyFile(SMALL, log);
  });
  after(async () => {
    for (const g of vscode.window.tabGroups.all) for (const t of g.tabs) if (t.label.startsWith('Scores: ')) await vscode.window.tabGroups.close(t);
    await fs.rm(root, { recursive: true, force: true });
  });

  it('scores a log with a local model, opens the results panel and writes the scores CSV beside it', async () => {
    const r = (await vscode.commands.executeCommand('secml.scoreLogFile', vscode.Uri.file(log), { model })) as ScoreCommandResult;
    assert.ok(r, 'the command returns its summary');
    assert.equal(r.sessions, 300);
    assert.equal(r.labelled, 300);
    assert.equal(r.metrics!.positives, 16);
    assert.equal(r.flagged, r.metrics!.tp + r.metrics!.fp);
    assert.equal(r.model.label, 'inhost-score / full');
    assert.equal(r.scoresCsv, `${log}.scores.csv`);
    assert.equal(r.panelTitle, 'Scores: day.tsv');
    await until('the results panel tab', async () => (scoreTabs().length === 1 ? true : undefined));
    const csv = (await fs.readFile(r.scoresCsv!, 'utf8')).trimEnd().split('\n');
    assert.equal(csv.length, 301);
    assert.equal(csv[1].split(',')[0], r.top[0].session);
  });

  it('asks before replacing the scores CSV; "Don\'t Write" keeps the old one and still shows the scores', async () => {
    const csv = `${log}.scores.csv`;
    await fs.writeFile(csv, 'keep me\n');
    const r = await withMessages("Don't Write", async (shown) => {
      const out = (await vscode.commands.executeCommand('secml.scoreLogFile', vscode.Uri.file(log), { model, threshold: 0.9 })) as ScoreCommandResult;
      assert.deepEqual(shown, ['warning: day.tsv.scores.csv already exists in ' + root + '.']);
      return out;
    });
    assert.equal(r.scoresCsv, undefined);
    assert.equal(r.threshold, 0.9);
    assert.equal(await fs.readFile(csv, 'utf8'), 'keep me\n');
    // Still one panel for this input: the new scores replaced the old ones.
    assert.equal(scoreTabs().length, 1);
  });

  it('says clearly when a file is in another format or an explicit output exists', async () => {
    const trail = path.join(root, 'trail.json');
    await fs.writeFile(trail, JSON.stringify({ Records: [{ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' }] }));
    await withMessages(undefined, async (shown) => {
      assert.equal(await vscode.commands.executeCommand('secml.scoreLogFile', vscode.Uri.file(trail), { model, out: false }), undefined);
      assert.equal(shown.length, 1);
      assert.match(shown[0], /^error: .*trail\.json:1: this is a CloudTrail log, but the model was trained on session logs in the seed's format/);
    });
    await withMessages(undefined, async (shown) => {
      const out = path.join(root, 'taken.csv');
      await fs.writeFile(out, 'x');
      assert.equal(await vscode.commands.executeCommand('secml.scoreLogFile', vscode.Uri.file(log), { model, out }), undefined);
      assert.match(shown[0], /^error: .*taken\.csv: already exists: choose another file, or allow overwriting it\./);
    });
  });
});
