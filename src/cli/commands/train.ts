import type { CommandSpec } from '../command';
import { flag, list, positional, str, usageError } from '../args';
import { DEFAULT_HYPERPARAMETERS, defaultParameterText, HYPERPARAMETER_NAMES, parseHyperparameterPairs } from '../../core/model/hyperparameters';
import { trainModel } from '../../core/model/train';
import { summaryOf } from '../../core/metrics/report';
import { formatMetricsText } from '../../core/metrics/text-report';

export const trainCommand: CommandSpec = {
  name: 'train',
  summary: 'Train a local XGBoost-compatible model on a flattened dataset',
  description: [
    'Trains on DATASET_DIR/train.csv, early-stops on validation.csv (with early_stopping_rounds), reports test.csv.',
    'Writes MODEL_DIR/model.json (XGBoost JSON, loadable by xgboost.Booster.load_model) and MODEL_DIR/secml-model.json',
    '(features, vocabulary, hyperparameters, training curve, metrics).',
    '',
    `Hyperparameters (XGBoost names): ${HYPERPARAMETER_NAMES.join(', ')}.`,
    `Defaults: the seed's (${defaultParameterText()}), eval_metric=${DEFAULT_HYPERPARAMETERS.evalMetric.join(',')}.`,
    '',
    'example: secml train datasets/full --out models/full --param num_round=200 --param early_stopping_rounds=10',
  ].join('\n'),
  positionals: [{ name: 'DATASET_DIR', description: 'a dataset folder written by "secml flatten"', required: true }],
  options: [
    { name: 'out', short: 'o', type: 'string', valueName: 'MODEL_DIR', description: 'model folder to write (created; a previous model there is replaced)' },
    { name: 'param', short: 'p', type: 'string', multiple: true, valueName: 'NAME=VALUE', description: 'a hyperparameter, XGBoost name (repeatable)' },
  ],
  async run(args, io) {
    const dataset = positional(args, 'DATASET_DIR')!;
    const out = str(args, 'out');
    if (!out) throw usageError('missing --out MODEL_DIR (see: secml train --help)');
    const params = parseHyperparameterPairs(list(args, 'param'));
    const json = flag(args, 'json');
    const { manifest } = await trainModel(dataset, out, params, {
      signal: io.signal,
      logger: io.logger,
      onProgress: (p) => p.done !== undefined && io.logger.info(p.message ?? ''),
    });
    if (json) {
      io.out(JSON.stringify({
        model: out,
        numTrees: manifest.numTrees,
        bestIteration: manifest.bestIteration,
        stoppedEarly: manifest.stoppedEarly,
        trainingSeconds: manifest.trainingSeconds,
        rows: manifest.rows,
        thresholdAtFpr5: manifest.thresholdAtFpr5,
        metrics: {
          validation: manifest.metrics.validation && summaryOf(manifest.metrics.validation),
          test: manifest.metrics.test && summaryOf(manifest.metrics.test),
        },
      }, null, 2));
      return 0;
    }
    const lines = [
      `model: ${out} (${manifest.numTrees} trees${manifest.stoppedEarly ? `, stopped early; best round ${manifest.bestIteration + 1}` : ''}, trained in ${manifest.trainingSeconds.toFixed(2)} s on ${manifest.rows.train} rows)`,
    ];
    if (manifest.metrics.validation) lines.push('', formatMetricsText(manifest.metrics.validation, 'validation'));
    if (manifest.metrics.test) lines.push('', formatMetricsText(manifest.metrics.test, 'test'));
    io.out(lines.join('\n'));
    return 0;
  },
};
