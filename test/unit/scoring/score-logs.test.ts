import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { RunStore } from '../../../src/core/experiments/run-store';
import type { RunRecord } from '../../../src/core/experiments/run-record';
import { computeMetrics } from '../../../src/core/metrics/report';
import { loadModel } from '../../../src/core/model/load-model';
import { listLocalModels, loadLocalScoringModel, localRunModel, readModelInfo, scoreLogs, unseenMessage, type ScoringModel } from '../../../src/core/scoring';
import { createCompletedRun } from '../../helpers/score-runs';

const FIXTURES = path.resolve(__dirname, '../../fixtures/logs');
const SMALL = path.join(FIXTURES, 'seed-small.tsv');
const ATTACKER = path.join(FIXTURES, 'seed-attacker.tsv');
const HEADER = 'SessionNo\tLogTime\tCustID\tGroupID\tProfID\tAct\tBadActor';

async function failure(fn: () => Promise<unknown>): Promise<{ code: string; message: string; file?: string; line?: number }> {
  try {
    await fn();
  } catch (e) {
    return e as { code: string; message: string; file?: string; line?: number };
  }
  throw new Error('expected an error');
}

describe('scoreLogs (local model)', function () {
  this.timeout(120_000);
  let root: string;
  let run: RunRecord;
  let model: ScoringModel;
  const file = (name: string, text: string) => {
    const p = path.join(root, name);
    writeFileSync(p, text);
    return p;
  };

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'secml-score-'));
    run = await createCompletedRun(root, { experiment: 'harvest', inputs: [SMALL], augment: ATTACKER });
    model = await localRunModel(run);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('lists completed local runs newest first with their test metrics', async () => {
    const second = await createCompletedRun(root, { experiment: 'harvest', variant: 'first:5', inputs: [SMALL] });
    const choices = await listLocalModels(RunStore.forWorkspace(root));
    assert.deepEqual(choices.map((c) => c.run.id), [second.id, run.id]);
    assert.equal(choices[1].label, 'harvest / full');
    assert.equal(choices[1].modelDir, run.modelDir);
    assert.equal(choices[1].recallAtFpr5, run.summary!.test!.recallAtFpr5);
    assert.equal(typeof choices[1].rocAuc, 'number');
  });

  it('scores every session of a labelled log, ranks them and computes the metrics on them', async () => {
    const r = await scoreLogs([SMALL], model);
    assert.equal(r.table.n, 300);
    assert.equal(r.scores.length, 300);
    assert.equal(model.label, 'harvest / full');
    // Default threshold: the model's threshold at FPR 5% on its validation set.
    const manifest = JSON.parse(readFileSync(path.join(run.modelDir!, 'secml-model.json'), 'utf8'));
    assert.equal(r.threshold, manifest.thresholdAtFpr5);
    assert.match(r.thresholdSource, /threshold at FPR 5% \(validation set\)/);
    for (let k = 1; k < r.order.length; k++) assert.ok(r.scores[r.order[k - 1]] >= r.scores[r.order[k]]);
    assert.equal(r.flagged, Array.from(r.scores).filter((p) => p >= r.threshold).length);
    // The probabilities are the model's on the flattened rows, in the model's feature order.
    const loaded = await loadModel(run.modelDir!);
    assert.deepEqual(Array.from(loaded.scorer.predict(r.table.rows, r.table.n, r.table.features.length)), Array.from(r.scores));
    assert.deepEqual(r.table.features, loaded.features);
    assert.deepEqual(r.table.unseen, {});
    // Labelled: the metrics are computeMetrics on the sessions, at the threshold.
    assert.equal(r.labelled, 300);
    const expected = computeMetrics(r.table.labels!, r.scores, { threshold: r.threshold });
    assert.deepEqual({ ...r.metrics!, curves: undefined }, { ...expected, curves: undefined });
    assert.equal(r.metrics!.positives, 16);
    assert.ok(r.metrics!.rocAuc! > 0.9, `ROC AUC ${r.metrics!.rocAuc}`);
  });

  it('takes a given threshold and refuses one outside 0..1', async () => {
    const r = await scoreLogs([SMALL], model, { threshold: 0.99 });
    assert.equal(r.threshold, 0.99);
    assert.equal(r.thresholdSource, 'given');
    assert.equal(r.metrics!.threshold, 0.99);
    assert.equal((await failure(() => scoreLogs([SMALL], model, { threshold: 1.5 }))).code, 'BAD_ARGUMENT');
  });

  it("flattens with the model's vocabulary: unseen event types count as __other__ and are reported", async () => {
    const f = file('unseen.tsv', [HEADER, '1\t2019-07-07 00:00:01\tc\tg\tp\t111\t', '1\t2019-07-07 00:00:05\tc\tg\tp\t999\t', '2\t2019-07-07 00:01:00\tc\tg\tp\t<img src=x onerror=alert(1)>\t', '2\t2019-07-07 00:01:09\tc\tg\tp\t999\t'].join('\n') + '\n');
    const r = await scoreLogs([f], model);
    assert.deepEqual(r.table.unseen, { '999': 2, '<img src=x onerror=alert(1)>': 1 });
    const other = r.table.features.indexOf('__other__');
    const F = r.table.features.length;
    const s2 = r.table.sessions.findIndex((s) => s.id === '2');
    assert.equal(r.table.rows[s2 * F + other], 2);
    assert.equal(r.table.labels, null);
    assert.equal(r.metrics, null);
    assert.equal(r.table.features.length, model.info.features.length);
    const msg = unseenMessage(r.table.unseen)!;
    assert.match(msg, /^3 events of 2 types the model never saw \(999 \(2\), <img src=x onerror=alert\(1\)> \(1\)\) counted as __other__/);
    assert.equal(unseenMessage({}), null);
  });

  it('says clearly when a file has no sessions, is empty, or is in another format', async () => {
    const headerOnly = await failure(() => scoreLogs([file('header.tsv', HEADER + '\n')], model));
    assert.equal(headerOnly.code, 'NO_SESSIONS');
    assert.match(headerOnly.message, /^no sessions to score/);
    assert.equal(headerOnly.file, path.join(root, 'header.tsv'));
    assert.match(headerOnly.message, /^no sessions to score: the file has a header but no data rows; the model reads session logs in the seed's format/);
    assert.ok(!headerOnly.message.includes(root), 'the message does not repeat the path (file/line carry it)');
    const empty = await failure(() => scoreLogs([file('empty.txt', '')], model));
    assert.equal(empty.code, 'NO_SESSIONS');
    assert.match(empty.message, /empty: there are no sessions to score/);
    const ct = await failure(() => scoreLogs([file('trail.json', JSON.stringify({ Records: [{ eventSource: 's3.amazonaws.com', eventName: 'GetObject' }] }))], model));
    assert.equal(ct.code, 'LOG_FORMAT');
    assert.match(ct.message, /this is a CloudTrail log, but the model was trained on session logs in the seed's format/);
    assert.equal(ct.line, 1);
    const csv = await failure(() => scoreLogs([file('other.csv', 'user,action\nalice,login\n')], model));
    assert.equal(csv.code, 'LOG_FORMAT');
    assert.match(csv.message, /delimited text with columns user, action, but the model was trained on session logs in the seed's format/);
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    assert.equal((await failure(() => scoreLogs([SMALL], model, {}, { signal: controller.signal }))).code, 'CANCELLED');
  });

  it('loads a bare XGBoost model only with the manifest of its training data', async () => {
    const bare = path.join(root, 'bare');
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(bare);
    copyFileSync(path.join(run.modelDir!, 'model.json'), path.join(bare, 'model.json'));
    const noVocab = await failure(() => loadLocalScoringModel(bare));
    assert.equal(noVocab.code, 'MODEL_FORMAT');
    assert.match(noVocab.message, /without secml-model\.json: scoring needs the reader options, vocabulary and feature order/);
    const runDir = path.dirname(run.modelDir!);
    const m = await loadLocalScoringModel(bare, { vocab: path.join(runDir, 'dataset-manifest.json') });
    assert.deepEqual(m.info.features, model.info.features);
    assert.match(m.threshold.source, /^default 0\.5/);
    const r = await scoreLogs([SMALL], m, { threshold: 0.5 });
    const base = await scoreLogs([SMALL], model, { threshold: 0.5 });
    assert.deepEqual(Array.from(r.scores), Array.from(base.scores));
    // A run folder scores with its model.
    assert.equal((await loadLocalScoringModel(runDir)).location, run.modelDir);
    assert.equal((await readModelInfo(runDir)).kind, 'model');
    assert.ok(existsSync(path.join(runDir, 'dataset-manifest.json')));
  });
});
