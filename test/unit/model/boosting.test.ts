import * as assert from 'node:assert/strict';
import { binMatrix, binOf, buildCuts } from '../../../src/core/model/binning';
import { mulberry32, trainBooster } from '../../../src/core/model/boosting';
import { evalMetric } from '../../../src/core/model/eval-metrics';
import { parseHyperparameters } from '../../../src/core/model/hyperparameters';
import type { LabelledMatrix } from '../../../src/core/model/labelled-csv';
import { compileScorer } from '../../../src/core/model/scorer';
import { parseXGBoostModel, toXGBoostJson } from '../../../src/core/model/xgboost-json';
import { loadFixtureCsv } from './xgboost-fixtures';

const f32 = Math.fround;
const scorerOf = (m: ReturnType<typeof trainBooster>) => compileScorer(parseXGBoostModel(JSON.parse(toXGBoostJson(m)), 'm'));

function matrix(rows: number[][], labels: number[]): LabelledMatrix {
  return { x: Float32Array.from(rows.flat()), y: Float32Array.from(labels), rows: rows.length, cols: rows[0]?.length ?? 0 };
}

describe('model/binning', () => {
  it('uses XGBoost\'s cuts when a feature has at most max_bin distinct values', () => {
    const x = Float32Array.from([3, 0, 1, 3, NaN, 1, 0.5, 3]);
    const cuts = buildCuts(x, 8, 1, 256);
    // bins [min, 0.5), [0.5, 1), [1, 3), [3, max + |max| + 1e-5)
    assert.deepEqual(Array.from(cuts.values), [0.5, 1, 3, f32(3 + f32(3 + f32(1e-5)))]);
    assert.equal(cuts.minValues[0], f32(0 - f32(0 + f32(1e-5))));
    assert.deepEqual([0, 0.5, 0.9, 1, 2.99, 3].map((v) => binOf(cuts, 0, v)), [0, 1, 1, 2, 2, 3]);
  });

  it('uses about max_bin equal-count quantile bins for real-valued features with many distinct values', () => {
    const rnd = mulberry32(3);
    const n = 20000;
    const x = Float32Array.from({ length: n }, () => -Math.log(rnd()) * 10);
    const cuts = buildCuts(x, n, 1, 16);
    const nb = cuts.ptr[1] - cuts.ptr[0];
    assert.ok(nb <= 16 && nb >= 12, `${nb} bins`);
    const counts = new Array(nb).fill(0);
    for (const v of x) counts[binOf(cuts, 0, v)]++;
    for (const c of counts) assert.ok(c > n / 16 / 2 && c < (n / 16) * 2, `bin count ${c}`);
  });

  it('gives an all-missing or constant feature a single bin, and keeps missing values out of the bins', () => {
    const x = Float32Array.from([NaN, 7, NaN, 7, NaN, 7]); // 3 rows x 2 features
    const cuts = buildCuts(x, 3, 2, 256);
    assert.equal(cuts.ptr[1] - cuts.ptr[0], 1);
    assert.equal(cuts.ptr[2] - cuts.ptr[1], 1);
    const b = binMatrix(x, 3, 2, cuts);
    assert.deepEqual(Array.from(b.hasMissing), [1, 0]);
    assert.deepEqual(Array.from(b.colBin), [1, 1, 1, 0, 0, 0], 'feature 0: missing slot; feature 1: bin 0');
  });

  it('stores every (row, slot) outside a feature\'s most frequent slot in the CSR', () => {
    const train = loadFixtureCsv('train.csv');
    const cuts = buildCuts(train.x, train.rows, train.cols, 256);
    const b = binMatrix(train.x, train.rows, train.cols, cuts);
    for (let r = 0; r < train.rows; r++) {
      const explicit = new Set(Array.from(b.slots.subarray(b.rowPtr[r], b.rowPtr[r + 1])));
      for (let f = 0; f < train.cols; f++) {
        const v = train.x[r * train.cols + f];
        const bin = Number.isNaN(v) ? b.nbins[f] : binOf(cuts, f, v);
        assert.equal(b.colBin[f * train.rows + r], bin);
        const slot = b.slotPtr[f] + bin;
        assert.equal(explicit.has(slot), slot !== b.implicitSlot[f]);
      }
    }
  });
});

describe('model/boosting', () => {
  const all = loadFixtureCsv('train.csv');
  const slice = (from: number, to: number): LabelledMatrix => ({
    x: all.x.slice(from * all.cols, to * all.cols), y: all.y.slice(from, to), rows: to - from, cols: all.cols,
  });
  const train = slice(0, 2400), valid = slice(2400, 3000);

  it('stops early on the validation metric and keeps the trees up to the best round', () => {
    const params = parseHyperparameters({ num_round: 500, eta: 0.5, max_depth: 6, gamma: 0, min_child_weight: 1, early_stopping_rounds: 5, eval_metric: 'logloss' });
    const m = trainBooster(train, params, { validation: valid });
    assert.ok(m.stoppedEarly);
    assert.equal(m.trees.length, m.bestIteration + 1);
    assert.equal(m.curve.length, m.bestIteration + 1 + 5);
    const losses = m.curve.map((r) => r.validation!.logloss!);
    assert.equal(m.bestScore, Math.min(...losses));
    assert.equal(losses.indexOf(m.bestScore!), m.bestIteration);
  });

  it('watches the last eval_metric for early stopping and reports all of them per round', () => {
    const params = parseHyperparameters({ num_round: 200, eta: 0.5, eval_metric: 'logloss,error,aucpr,auc', early_stopping_rounds: 3 });
    const rounds: number[] = [];
    const m = trainBooster(train, params, { validation: valid, onRound: (r) => rounds.push(r.round) });
    assert.deepEqual(rounds, m.curve.map((_, i) => i + 1));
    for (const r of m.curve) for (const set of [r.train, r.validation!]) assert.deepEqual(Object.keys(set), ['logloss', 'error', 'aucpr', 'auc']);
    const aucs = m.curve.map((r) => r.validation!.auc!);
    assert.equal(m.bestScore, Math.max(...aucs));
  });

  it('is reproducible for a seed and varies with it (subsample, colsample_bytree)', () => {
    const json = (seed: number) => toXGBoostJson(trainBooster(train, parseHyperparameters({ num_round: 5, subsample: 0.6, colsample_bytree: 0.5, seed })));
    assert.equal(json(1), json(1));
    assert.notEqual(json(1), json(2));
  });

  it('colsample_bytree limits each tree to its share of the features', () => {
    const m = trainBooster(train, parseHyperparameters({ num_round: 10, colsample_bytree: 0.25, gamma: 0, min_child_weight: 1 }));
    for (const t of m.trees) {
      const used = new Set(t.feature.filter((_, i) => t.left[i] !== -1));
      assert.ok(used.size <= 2, `tree uses ${used.size} features`);
    }
  });

  it('learns where missing values go (default_left) and the scorer follows it', () => {
    // Negatives have large values of feature 0; positives small values or none: missing values belong on the left.
    const rows: number[][] = [], labels: number[] = [];
    for (let i = 0; i < 400; i++) {
      const pos = i % 4 === 0;
      rows.push([pos ? (i % 8 === 0 ? NaN : i % 3) : 5 + (i % 5), i % 3]);
      labels.push(pos ? 1 : 0);
    }
    const m = trainBooster(matrix(rows, labels), parseHyperparameters({ num_round: 10, subsample: 1, gamma: 0 }));
    assert.equal(m.trees[0].feature[0], 0);
    assert.equal(m.trees[0].threshold[0], 5);
    assert.equal(m.trees[0].defaultLeft[0], 1);
    const p = scorerOf(m).predict(Float32Array.from([NaN, 1, 1, 1, 7, 1]), 3, 2);
    assert.ok(p[0] > 0.9 && p[1] > 0.9 && p[2] < 0.1, `missing ${p[0]}, small ${p[1]}, large ${p[2]}`);
  });

  it('scale_pos_weight weighs positives up', () => {
    const base = trainBooster(train, parseHyperparameters({ num_round: 10 }));
    const weighted = trainBooster(train, parseHyperparameters({ num_round: 10, scale_pos_weight: 5 }));
    const mean = (m: typeof base) => scorerOf(m).predict(valid.x, valid.rows, valid.cols).reduce((a, b) => a + b, 0) / valid.rows;
    assert.ok(mean(weighted) > mean(base) + 0.1);
  });

  it('alpha and lambda shrink leaf values', () => {
    const leaves = (p: Record<string, number>) => {
      const m = trainBooster(train, parseHyperparameters({ num_round: 1, subsample: 1, ...p }));
      return Math.max(...m.trees[0].value.filter((_, i) => m.trees[0].left[i] === -1).map(Math.abs));
    };
    const plain = leaves({});
    assert.ok(leaves({ alpha: 5 }) < plain);
    assert.ok(leaves({ lambda: 50 }) < plain);
  });

  it('stops when onRound throws (cancellation)', () => {
    let calls = 0;
    assert.throws(
      () => trainBooster(train, parseHyperparameters({ num_round: 50 }), { onRound: () => { if (++calls === 3) throw new Error('stop'); } }),
      /stop/,
    );
    assert.equal(calls, 3);
  });

  it('refuses an empty training set, and early stopping without validation rows', () => {
    assert.throws(() => trainBooster(slice(0, 0), parseHyperparameters()), (e: any) => e.code === 'BAD_ARGUMENT' && /no rows/.test(e.message));
    assert.throws(
      () => trainBooster(train, parseHyperparameters({ early_stopping_rounds: 3 }), { validation: slice(0, 0) }),
      (e: any) => e.code === 'BAD_ARGUMENT' && /early_stopping_rounds needs a validation set/.test(e.message),
    );
  });

  it('learns the fixture well (test AUC) with the seed\'s defaults', () => {
    const m = trainBooster(train, parseHyperparameters());
    const auc = evalMetric('auc', valid.y, scorerOf(m).predict(valid.x, valid.rows, valid.cols))!;
    assert.ok(auc > 0.85, `AUC ${auc}`);
  });
});

describe('model/eval-metrics', () => {
  it('computes logloss (clipped), error (p > 0.5) and null where undefined', () => {
    const y = [1, 0, 1, 0], p = [0.9, 0.2, 0.4, 0.5];
    const ll = -(Math.log(0.9) + Math.log(0.8) + Math.log(0.4) + Math.log(0.5)) / 4;
    assert.ok(Math.abs(evalMetric('logloss', y, p)! - ll) < 1e-12);
    assert.equal(evalMetric('error', y, p), 0.25);
    assert.ok(Number.isFinite(evalMetric('logloss', [1], [0])!));
    assert.equal(evalMetric('auc', [1, 1], [0.2, 0.3]), null);
    assert.equal(evalMetric('aucpr', [0, 0], [0.2, 0.3]), null);
    assert.equal(evalMetric('logloss', [], []), null);
  });
});
