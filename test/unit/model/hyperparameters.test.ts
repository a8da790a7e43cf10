import * as assert from 'node:assert/strict';
import {
  DEFAULT_HYPERPARAMETERS,
  defaultParameterText,
  parseHyperparameterPairs,
  parseHyperparameters,
  toSageMakerHyperparameters,
} from '../../../src/core/model/hyperparameters';

const badArgument = (name: string, pattern: RegExp) => (e: any) => e.code === 'BAD_ARGUMENT' && e.message.includes(name) && pattern.test(e.message);

describe('model/hyperparameters', () => {
  it('defaults to the seed\'s XgbHyper', () => {
    const p = parseHyperparameters();
    assert.deepEqual(
      [p.maxDepth, p.eta, p.gamma, p.minChildWeight, p.subsample, p.numRound, p.objective],
      [5, 0.2, 4, 6, 0.7, 50, 'binary:logistic'],
    );
    assert.deepEqual(p, { ...DEFAULT_HYPERPARAMETERS, evalMetric: ['auc'] });
  });

  it('accepts the seed\'s own parameter record (strings, including "silent")', () => {
    const seed = { max_depth: '5', eta: '0.2', gamma: '4', min_child_weight: '6', subsample: '0.7', silent: '0', objective: 'binary:logistic', num_round: '50' };
    assert.deepEqual(parseHyperparameters(seed), parseHyperparameters());
  });

  it('parses every supported parameter from strings or numbers, with XGBoost aliases', () => {
    const p = parseHyperparameters({
      num_round: '120', max_depth: 3, learning_rate: '0.1', min_split_loss: 0, min_child_weight: '1', subsample: 1, colsample_bytree: '0.5',
      reg_lambda: '2', reg_alpha: 0.5, scale_pos_weight: '99', max_bin: '64', eval_metric: 'logloss,aucpr', early_stopping_rounds: '10', seed: 7, base_score: '0.3',
    });
    assert.deepEqual(p, {
      numRound: 120, maxDepth: 3, eta: 0.1, gamma: 0, minChildWeight: 1, subsample: 1, colsampleBytree: 0.5, lambda: 2, alpha: 0.5,
      scalePosWeight: 99, maxBin: 64, objective: 'binary:logistic', evalMetric: ['logloss', 'aucpr'], earlyStoppingRounds: 10, seed: 7, baseScore: 0.3,
    });
  });

  it('rejects out-of-range values, naming the parameter and the range', () => {
    assert.throws(() => parseHyperparameters({ eta: '0' }), badArgument('eta', />\s*0 and <= 1/));
    assert.throws(() => parseHyperparameters({ subsample: 1.5 }), badArgument('subsample', /<= 1/));
    assert.throws(() => parseHyperparameters({ max_depth: '2.5' }), badArgument('max_depth', /an integer/));
    assert.throws(() => parseHyperparameters({ num_round: '' }), badArgument('num_round', /got ""/));
    assert.throws(() => parseHyperparameters({ gamma: '-1' }), badArgument('gamma', />= 0/));
    assert.throws(() => parseHyperparameters({ scale_pos_weight: 0 }), badArgument('scale_pos_weight', /> 0/));
    assert.throws(() => parseHyperparameters({ max_bin: 1 }), badArgument('max_bin', />= 2/));
    assert.throws(() => parseHyperparameters({ lambda: 'abc' }), badArgument('lambda', /a number/));
  });

  it('rejects unknown parameters, other objectives and metrics, and duplicates', () => {
    assert.throws(() => parseHyperparameters({ maxdepth: 3 }), badArgument('maxdepth', /unknown parameter; supported: num_round/));
    assert.throws(() => parseHyperparameters({ objective: 'reg:squarederror' }), badArgument('objective', /binary:logistic/));
    assert.throws(() => parseHyperparameters({ eval_metric: 'rmse' }), badArgument('eval_metric', /auc, aucpr, logloss, error/));
    assert.throws(() => parseHyperparameters({ eta: 0.1, learning_rate: 0.2 }), badArgument('learning_rate', /given twice/));
    assert.throws(() => parseHyperparameters({ tree_method: 'exact' }), badArgument('tree_method', /unsupported/));
  });

  it('parses the CLI\'s name=value pairs', () => {
    assert.equal(parseHyperparameterPairs(['max_depth=3', 'eta=0.5']).maxDepth, 3);
    assert.throws(() => parseHyperparameterPairs(['max_depth']), (e: any) => e.code === 'BAD_ARGUMENT' && /name=value/.test(e.message));
  });

  it('gives SageMaker every value as a string, and round-trips', () => {
    const p = parseHyperparameters({ early_stopping_rounds: 5, colsample_bytree: 0.8 });
    const sm = toSageMakerHyperparameters(p);
    assert.ok(Object.values(sm).every((v) => typeof v === 'string'));
    assert.equal(sm.max_depth, '5');
    assert.equal(sm.eta, '0.2');
    assert.equal(sm.early_stopping_rounds, '5');
    assert.equal(sm.tree_method, 'hist');
    assert.deepEqual(parseHyperparameters(sm), p);
    assert.equal('early_stopping_rounds' in toSageMakerHyperparameters(parseHyperparameters()), false);
  });

  it('spells the seed\'s defaults as the name=value text shown before training, which parses back to the defaults', () => {
    assert.equal(defaultParameterText(), 'num_round=50 max_depth=5 eta=0.2 gamma=4 min_child_weight=6 subsample=0.7');
    assert.deepEqual(parseHyperparameterPairs(defaultParameterText().split(' ')), parseHyperparameters());
  });
});
