/**
 * What a model is evaluated on: a label-first CSV (SageMaker's convention), a dataset folder (its test split), or
 * labelled log files (e.g. the seed's held-out single.txt), flattened with the model's reader options, vocabulary
 * and variant exactly like its training data. Rows come back in the model's feature order.
 */
import { promises as fs } from 'node:fs';
import { SecmlError } from '../errors';
import { flattenForScoring } from '../features/scoring-table';
import type { ReaderOptions } from '../logs/log-event';
import type { WorkOptions } from '../progress';
import { readLabelledCsv, type LabelledMatrix } from './labelled-csv';
import type { LoadedModel } from './load-model';
import { readTrainingDataset } from './training-dataset';

export interface EvaluationData extends LabelledMatrix {
  /** The file (or files) the rows come from. */
  source: string;
  kind: 'csv' | 'dataset' | 'logs';
  /** Facts worth telling the user (unlabelled sessions left out, unseen event types...). */
  notes: string[];
}

/** True when the first non-empty line is numbers (or empty fields) separated by commas: a label-first CSV. */
async function isLabelledCsv(file: string): Promise<boolean> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const line = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '');
    if (line === undefined) return true;
    const fields = line.split(',');
    return fields.length >= 2 && /^[01](\.0*)?$/.test(fields[0].trim()) && fields.every((f) => f.trim() === '' || Number.isFinite(Number(f)) || /^nan$/i.test(f.trim()));
  } finally {
    await fh.close();
  }
}

async function fromLogs(targets: string[], model: LoadedModel, work: WorkOptions): Promise<EvaluationData> {
  const m = model.manifest;
  const source = targets.join(', ');
  if (!m || !m.reader || typeof m.reader !== 'object') {
    throw new SecmlError('BAD_ARGUMENT', `${source} is not a label-first CSV, and ${model.modelFile} has no secml-model.json telling how to read logs: evaluate it on a CSV instead.`);
  }
  const table = await flattenForScoring(targets, { reader: m.reader as ReaderOptions, vocabulary: m.vocabulary, features: m.features, variant: m.variant?.spec }, work);
  if (!table.labels) throw new SecmlError('BAD_ARGUMENT', `${source} has no labels to evaluate against: use "secml score" to rank its sessions instead.`);
  const F = m.features.length;
  let rows = 0;
  for (let s = 0; s < table.n; s++) if (table.labels[s] >= 0) rows++;
  const x = new Float32Array(rows * F), y = new Float32Array(rows);
  for (let s = 0, k = 0; s < table.n; s++) {
    if (table.labels[s] < 0) continue;
    x.set(table.rows.subarray(s * F, (s + 1) * F), k * F);
    y[k++] = table.labels[s];
  }
  const notes: string[] = [`${table.n} sessions flattened from ${table.events} events with the model's vocabulary`];
  if (rows < table.n) notes.push(`${table.n - rows} sessions without a label left out`);
  const unseen = Object.keys(table.unseen).length;
  if (unseen) notes.push(`${unseen} event types the model never saw, counted as __other__`);
  if (table.skipped.count) notes.push(`${table.skipped.count} malformed rows skipped`);
  return { x, y, rows, cols: F, source, kind: 'logs', notes };
}

/** Reads `target` for evaluating `model` (see the file comment); features are checked against the model's. */
export async function readEvaluationData(target: string, model: LoadedModel, work: WorkOptions = {}): Promise<EvaluationData> {
  const stat = await fs.stat(target).catch(() => null);
  if (!stat) throw new SecmlError('NOT_FOUND', 'does not exist.', { file: target });
  const F = model.scorer.numFeature;
  if (stat.isDirectory()) {
    const ds = await readTrainingDataset(target).catch((e) => (e?.code === 'NOT_FOUND' ? null : Promise.reject(e)));
    if (!ds) return fromLogs([target], model, work);
    if (!ds.files.test) throw new SecmlError('NOT_FOUND', 'no test split here to evaluate on.', { file: target });
    if (model.manifest && ds.hasManifest && ds.features.join('\n') !== model.features.join('\n')) {
      throw new SecmlError('BAD_ARGUMENT', "this dataset was flattened with other feature columns than the model's: flatten it with the training dataset's vocabulary (secml flatten --vocab TRAINING_DATASET), or evaluate on the raw log file.", { file: target });
    }
    return { ...(await readLabelledCsv(ds.files.test, F)), source: ds.files.test, kind: 'dataset', notes: [] };
  }
  if (await isLabelledCsv(target)) return { ...(await readLabelledCsv(target, F)), source: target, kind: 'csv', notes: [] };
  return fromLogs([target], model, work);
}
