/**
 * Cross-checks against the real XGBoost installed here (Debian's python3-xgboost, /usr/bin/python3):
 * with subsample=1, colsample_bytree=1 and the same bins, our trees and predictions equal XGBoost hist's; XGBoost
 * loads our model.json and predicts what our scorer predicts; our scorer reads the models XGBoost saves.
 * The same checks against saved golden fixtures run without XGBoost: test/unit/model/xgboost-golden.test.ts.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { promises as fs, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { hasPythonModule, requireTool, SYSTEM_PYTHON } from '../helpers/tools';
import { mulberry32, trainBooster } from '../../src/core/model/boosting';
import { parseHyperparameters } from '../../src/core/model/hyperparameters';
import { readLabelledCsv } from '../../src/core/model/labelled-csv';
import { loadModel } from '../../src/core/model/load-model';
import { compileScorer } from '../../src/core/model/scorer';
import { trainModel } from '../../src/core/model/train';
import { parseXGBoostModel, toXGBoostJson } from '../../src/core/model/xgboost-json';
import { CONFIGS, FIXTURES, firstTreeDifference, makeDatasetDir } from '../unit/model/xgboost-fixtures';

const REFERENCE = path.join(FIXTURES, 'xgb_reference.py');

function xgboost(...args: string[]): void {
  execFileSync(SYSTEM_PYTHON, [REFERENCE, ...args], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 120000 });
}

function readPredictions(file: string): Float64Array {
  return Float64Array.from(readFileSync(file, 'utf8').trim().split('\n').map(Number));
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
  return d;
}

/** 20k sessions x 12 features: counts, real-valued features with at most 256 distinct values, missing values. */
function syntheticCsv(rows: number, seed: number): string {
  const rnd = mulberry32(seed);
  const poisson = (mean: number) => {
    let k = 0, p = Math.exp(-mean), s = p;
    const u = rnd();
    while (u > s && k < 60) { k++; p *= mean / k; s += p; }
    return k;
  };
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    const y = rnd() < 0.15 ? 1 : 0;
    const f: (number | null)[] = [];
    for (let j = 0; j < 6; j++) f.push(poisson(y && j % 2 ? 3 : 1 + j * 0.3));
    f.push(Math.round(Math.min(60, -Math.log(rnd()) * (y ? 8 : 15)) * 4) / 4); // duration-like, quarter steps
    f.push(Math.round((rnd() + (y ? 0.3 : 0)) * 100) / 100); // rate-like, 2 decimals
    f.push(rnd() < 0.3 ? null : poisson(y ? 2 : 1)); // often missing
    f.push(y && rnd() < 0.4 ? null : Math.round(rnd() * 50)); // missing is a signal
    f.push(rnd() < 0.02 ? 1000 : poisson(0.2)); // sparse with outliers
    f.push(-Math.round(rnd() * 20) / 2); // negative values
    lines.push([y, ...f.map((v) => (v === null ? '' : String(v)))].join(','));
  }
  return lines.join('\n') + '\n';
}

describe('XGBoost cross-check (live, python3-xgboost)', function () {
  this.timeout(300000);
  let tmp: string;
  before(async function () {
    requireTool(this, 'XGBoost for /usr/bin/python3', () => hasPythonModule('xgboost'), 'apt-get install -y python3-xgboost');
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'secml-xgb-'));
  });
  after(async () => {
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  });

  for (const [name, cfg] of Object.entries(CONFIGS)) {
    it(`${name}: XGBoost hist trained now builds our trees, and our scorer predicts its model`, async () => {
      const model = path.join(tmp, `xgb-${name}.json`), preds = path.join(tmp, `xgb-${name}.pred`);
      const data = path.join(FIXTURES, 'train.csv');
      xgboost('train', data, JSON.stringify(cfg.xgboost), String(cfg.num_round), model);
      xgboost('predict', model, data, preds);
      const train = await readLabelledCsv(data);
      const ours = trainBooster(train, parseHyperparameters(cfg.secml));
      const theirs = JSON.parse(await fs.readFile(model, 'utf8'));
      assert.equal(firstTreeDifference(ours.trees, theirs.learner.gradient_booster.model.trees), null);
      const scorer = compileScorer(parseXGBoostModel(theirs, model));
      assert.ok(maxAbsDiff(scorer.predict(train.x, train.rows, train.cols), readPredictions(preds)) < 1e-6);
    });
  }

  it('on 20k synthetic sessions with missing values and real-valued features: same trees and predictions within 1e-5', async () => {
    const data = path.join(tmp, 'synthetic.csv');
    await fs.writeFile(data, syntheticCsv(20000, 42));
    const params = { max_depth: 6, eta: 0.3, gamma: 1, min_child_weight: 2, subsample: 1, lambda: 1.5 };
    const model = path.join(tmp, 'synthetic-xgb.json'), preds = path.join(tmp, 'synthetic-xgb.pred');
    xgboost('train', data, JSON.stringify(params), '30', model);
    xgboost('predict', model, data, preds);
    const train = await readLabelledCsv(data);
    const ours = trainBooster(train, parseHyperparameters({ ...params, num_round: 30 }));
    const theirs = JSON.parse(await fs.readFile(model, 'utf8')).learner.gradient_booster.model.trees;
    assert.equal(firstTreeDifference(ours.trees, theirs), null);
    const ourPreds = compileScorer(parseXGBoostModel(JSON.parse(toXGBoostJson(ours)), 'ours')).predict(train.x, train.rows, train.cols);
    assert.ok(maxAbsDiff(ourPreds, readPredictions(preds)) < 1e-5);
  });

  it('XGBoost loads the model.json trainModel writes and predicts what our scorer predicts', async () => {
    const dataset = await makeDatasetDir(tmp);
    const out = path.join(tmp, 'ours');
    await trainModel(dataset, out, parseHyperparameters({ num_round: 40, early_stopping_rounds: 5, colsample_bytree: 0.8 }));
    const test = path.join(dataset, 'test.csv'), edge = path.join(FIXTURES, 'edge.csv');
    const { scorer } = await loadModel(out);
    for (const data of [test, edge]) {
      const preds = path.join(tmp, 'ours.pred');
      xgboost('predict', path.join(out, 'model.json'), data, preds);
      const m = await readLabelledCsv(data, 8);
      assert.ok(maxAbsDiff(scorer.predict(m.x, m.rows, m.cols), readPredictions(preds)) < 1e-6, data);
    }
  });
});
