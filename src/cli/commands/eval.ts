import * as path from 'node:path';
import type { CommandSpec } from '../command';
import { flag, num, positional, str } from '../args';
import { writeFileAtomic } from '../../core/fs-atomic';
import { readEvaluationData } from '../../core/model/evaluation-data';
import { loadModel } from '../../core/model/load-model';
import { computeMetrics, summaryOf } from '../../core/metrics/report';
import { formatMetricsText } from '../../core/metrics/text-report';

export const evalCommand: CommandSpec = {
  name: 'eval',
  summary: 'Evaluate a model on a labelled CSV or dataset: confusion matrix, precision, recall, AUCs, recall at FPR 5%',
  description: [
    'MODEL_DIR: a folder from "secml train", or any XGBoost JSON model (binary:logistic) saved by XGBoost 1.x-3.x.',
    'CSV_OR_DATASET_DIR: a label-first CSV without header (SageMaker convention), a dataset folder (its test.csv), or',
    'labelled log files (e.g. the held-out single.txt), flattened with the model\'s reader, vocabulary and variant.',
    'A row is flagged when its probability >= the threshold. --json prints the keys',
    'tp fp tn fn accuracy precision recall f1 fpr rocAuc prAuc recallAtFpr5 thresholdAtFpr5 baseline (rocAuc is null with one class).',
  ].join('\n'),
  positionals: [
    { name: 'MODEL_DIR', description: 'model folder or XGBoost JSON model file', required: true },
    { name: 'CSV_OR_DATASET_DIR', description: 'labelled CSV (label first, no header), dataset folder, or labelled log file/folder', required: true },
  ],
  options: [
    { name: 'threshold', short: 't', type: 'number', valueName: 'T', description: 'flag rows with probability >= T', default: 0.5 },
    { name: 'predictions', type: 'string', valueName: 'FILE', description: 'also write one probability per row to FILE' },
  ],
  async run(args, io) {
    const model = await loadModel(positional(args, 'MODEL_DIR')!);
    const data = await readEvaluationData(positional(args, 'CSV_OR_DATASET_DIR')!, model, { signal: io.signal, logger: io.logger });
    for (const note of data.notes) io.logger.info(note);
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
      io.out(JSON.stringify({ model: model.modelFile, data: data.source, ...summaryOf(report), ...(predictions ? { predictions } : {}) }, null, 2));
    } else {
      io.out(formatMetricsText(report, data.kind === 'logs' ? data.source : path.basename(data.source)));
      if (predictions) io.out(`predictions: ${predictions}`);
    }
    return 0;
  },
};
