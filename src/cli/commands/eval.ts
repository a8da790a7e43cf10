import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CommandSpec } from '../command';
import { flag, num, positional, str } from '../args';
import { SecmlError } from '../../core/errors';
import { writeFileAtomic } from '../../core/fs-atomic';
import { loadModel } from '../../core/model/load-model';
import { readLabelledCsv } from '../../core/model/labelled-csv';
import { readTrainingDataset } from '../../core/model/training-dataset';
import { computeMetrics, summaryOf } from '../../core/metrics/report';
import { formatMetricsText } from '../../core/metrics/text-report';

/** The labelled CSV to evaluate: the file itself, or a dataset folder's test.csv (whose features must match the model's). */
async function resolveInput(target: string, modelFeatures: string[], hasManifest: boolean): Promise<string> {
  const stat = await fs.stat(target).catch(() => null);
  if (!stat) throw new SecmlError('NOT_FOUND', 'does not exist.', { file: target });
  if (!stat.isDirectory()) return target;
  const ds = await readTrainingDataset(target);
  if (!ds.files.test) throw new SecmlError('NOT_FOUND', 'no test.csv here to evaluate on.', { file: target });
  if (hasManifest && ds.hasManifest && ds.features.join('\n') !== modelFeatures.join('\n')) {
    throw new SecmlError('BAD_ARGUMENT', `this dataset was flattened with other feature columns than the model's: flatten it with the model's vocabulary (secml flatten --vocab MODEL_DIR/secml-model.json).`, { file: target });
  }
  return ds.files.test;
}

export const evalCommand: CommandSpec = {
  name: 'eval',
  summary: 'Evaluate a model on a labelled CSV or dataset: confusion matrix, precision, recall, AUCs, recall at FPR 5%',
  description: [
    'MODEL_DIR: a folder from "secml train", or any XGBoost JSON model (binary:logistic) saved by XGBoost 1.x-3.x.',
    'CSV_OR_DATASET_DIR: a label-first CSV without header (SageMaker convention), or a dataset folder (its test.csv).',
    'A row is flagged when its probability >= the threshold. --json prints the keys',
    'tp fp tn fn accuracy precision recall f1 fpr rocAuc prAuc recallAtFpr5 thresholdAtFpr5 baseline (rocAuc is null with one class).',
  ].join('\n'),
  positionals: [
    { name: 'MODEL_DIR', description: 'model folder or XGBoost JSON model file', required: true },
    { name: 'CSV_OR_DATASET_DIR', description: 'labelled CSV (label first, no header) or dataset folder', required: true },
  ],
  options: [
    { name: 'threshold', short: 't', type: 'number', valueName: 'T', description: 'flag rows with probability >= T', default: 0.5 },
    { name: 'predictions', type: 'string', valueName: 'FILE', description: 'also write one probability per row to FILE' },
  ],
  async run(args, io) {
    const model = await loadModel(positional(args, 'MODEL_DIR')!);
    const file = await resolveInput(positional(args, 'CSV_OR_DATASET_DIR')!, model.features, model.manifest !== null);
    const data = await readLabelledCsv(file, model.scorer.numFeature);
    const threshold = num(args, 'threshold') ?? 0.5;
    const t0 = performance.now();
    const scores = model.scorer.predict(data.x, data.rows, data.cols);
    io.logger.debug(`scored ${data.rows} rows in ${(performance.now() - t0).toFixed(1)} ms`);
    const report = computeMetrics(data.y, scores, { threshold });
    const predictions = str(args, 'predictions');
    if (predictions) {
      const lines: string[] = new Array(data.rows);
      for (let i = 0; i < data.rows; i++) lines[i] = String(scores[i]);
      await writeFileAtomic(predictions, lines.join('\n') + (data.rows ? '\n' : ''));
    }
    if (flag(args, 'json')) {
      io.out(JSON.stringify({ model: model.modelFile, data: file, ...summaryOf(report), ...(predictions ? { predictions } : {}) }, null, 2));
    } else {
      io.out(formatMetricsText(report, path.basename(file)));
      if (predictions) io.out(`predictions: ${predictions}`);
    }
    return 0;
  },
};
