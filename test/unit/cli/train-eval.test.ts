import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/command';
import { silentLogger } from '../../../src/core/progress';
import { FIXTURES, makeDatasetDir } from '../model/xgboost-fixtures';

function captureIO(): CliIO & { stdout: string[]; stderr: string[]; info: string[] } {
  const stdout: string[] = [], stderr: string[] = [], info: string[] = [];
  const logger = { ...silentLogger, info: (m: string) => info.push(m) };
  return { stdout, stderr, info, out: (t) => stdout.push(t), err: (t) => stderr.push(t), logger, isTTY: false, signal: new AbortController().signal };
}

describe('cli: secml train and secml eval', function () {
  this.timeout(120000);
  let tmp: string;
  let dataset: string;
  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'secml-cli-train-'));
    dataset = await makeDatasetDir(tmp);
  });
  after(() => fs.rm(tmp, { recursive: true, force: true }));

  it('train --param ... --json trains, prints per-round progress on the logger and a JSON summary', async () => {
    const io = captureIO();
    const out = path.join(tmp, 'model');
    const code = await runCli(['train', dataset, '--out', out, '--param', 'num_round=12', '-p', 'max_depth=3', '--json'], io);
    assert.equal(code, 0, io.stderr.join('\n'));
    const summary = JSON.parse(io.stdout.join('\n'));
    assert.equal(summary.numTrees, 12);
    assert.equal(summary.metrics.test.rows, 500);
    assert.equal('curves' in summary.metrics.test, false);
    assert.equal(io.info.filter((l) => /^round \d+\/12/.test(l)).length, 12);
    assert.ok(await fs.stat(path.join(out, 'model.json')));
  });

  it('eval prints the metrics of a model on a dataset folder and writes predictions', async () => {
    const io = captureIO();
    const preds = path.join(tmp, 'preds.txt');
    const code = await runCli(['eval', path.join(tmp, 'model'), dataset, '--threshold', '0.4', '--predictions', preds, '--json'], io);
    assert.equal(code, 0, io.stderr.join('\n'));
    const r = JSON.parse(io.stdout.join('\n'));
    for (const k of ['tp', 'fp', 'tn', 'fn', 'accuracy', 'precision', 'recall', 'f1', 'fpr', 'rocAuc', 'prAuc', 'recallAtFpr5', 'thresholdAtFpr5', 'baseline']) assert.ok(k in r, k);
    assert.equal(r.threshold, 0.4);
    assert.equal(r.tp + r.fp + r.tn + r.fn, 500);
    const lines = (await fs.readFile(preds, 'utf8')).trim().split('\n').map(Number);
    assert.equal(lines.length, 500);
    assert.equal(lines.filter((p) => p >= 0.4).length, r.tp + r.fp);
  });

  it('eval scores a model saved by XGBoost on a label-first CSV (text output)', async () => {
    const io = captureIO();
    const code = await runCli(['eval', path.join(FIXTURES, 'xgb-depth4.json'), path.join(FIXTURES, 'train.csv')], io);
    assert.equal(code, 0, io.stderr.join('\n'));
    const text = io.stdout.join('\n');
    assert.match(text, /train\.csv: 3000 rows, 899 positive, 2101 negative/);
    assert.match(text, /recall at FPR <= 5\.00%/);
    assert.match(text, /baseline \(all negative\): accuracy 70\.03%/);
  });

  it('eval refuses a dataset flattened with other features than the model\'s', async () => {
    const other = await makeDatasetDir(tmp, 'other');
    const manifest = JSON.parse(await fs.readFile(path.join(other, 'manifest.json'), 'utf8'));
    manifest.features[0] = 'renamed';
    await fs.writeFile(path.join(other, 'manifest.json'), JSON.stringify(manifest));
    const io = captureIO();
    assert.equal(await runCli(['eval', path.join(tmp, 'model'), other], io), 1);
    assert.match(io.stderr.join('\n'), /other feature columns than the model's/);
  });

  it('end to end on the sample workspace: sample, flatten, train, then eval on the held-out log file single.txt', async () => {
    const ws = path.join(tmp, 'ws'), ds = path.join(tmp, 'sample-ds'), model = path.join(tmp, 'sample-model');
    const run = async (argv: string[]) => {
      const io = captureIO();
      assert.equal(await runCli(argv, io), 0, `secml ${argv.join(' ')}: ${io.stderr.join('\n')}`);
      return io;
    };
    await run(['sample', '--out', ws]);
    const logs = ['mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt'].map((f) => path.join(ws, f));
    await run(['flatten', ...logs, '--augment', path.join(ws, 'known-attacker.txt'), '--out', ds, '--variant', 'full']);
    await run(['train', ds, '--out', model, '--json']);
    const io = await run(['eval', model, path.join(ws, 'single.txt'), '--json']);
    const r = JSON.parse(io.stdout.join('\n'));
    // The sample's single.txt (seed 42): 9,246 sessions, 10 of them the attacker's.
    assert.equal(r.rows, 9246);
    assert.equal(r.positives, 10);
    assert.ok(r.rocAuc > 0.9, `ROC AUC ${r.rocAuc}`);
    assert.ok(io.info.some((l) => /9246 sessions flattened from \d+ events with the model's vocabulary/.test(l)), io.info.join('\n'));
    // Logs without labels cannot be evaluated; a model without our manifest cannot read logs.
    const unlabelled = path.join(tmp, 'unlabelled.txt');
    const lines = (await fs.readFile(path.join(ws, 'single.txt'), 'utf8')).split('\n').slice(0, 200);
    await fs.writeFile(unlabelled, lines.map((l) => l.split('\t').slice(0, 6).join('\t')).join('\n') + '\n');
    const none = captureIO();
    assert.equal(await runCli(['eval', model, unlabelled], none), 1);
    assert.match(none.stderr.join('\n'), /has no labels to evaluate against: use "secml score"/);
    const bad = captureIO();
    assert.equal(await runCli(['eval', path.join(FIXTURES, 'xgb-depth4.json'), path.join(ws, 'single.txt')], bad), 1);
    assert.match(bad.stderr.join('\n'), /not a label-first CSV, and .* has no secml-model.json/);
  });

  it('reports usage errors (exit 2) and bad hyperparameters (exit 1) clearly', async () => {
    let io = captureIO();
    assert.equal(await runCli(['train', dataset], io), 2);
    assert.match(io.stderr.join('\n'), /missing --out MODEL_DIR/);
    io = captureIO();
    assert.equal(await runCli(['train', dataset, '--out', path.join(tmp, 'x'), '--param', 'eta=2'], io), 1);
    assert.match(io.stderr.join('\n'), /secml: error: Hyperparameter eta: expected a number > 0 and <= 1, got "2"/);
    io = captureIO();
    assert.equal(await runCli(['eval', path.join(tmp, 'model')], io), 2);
  });
});
