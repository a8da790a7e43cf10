/**
 * Evaluation of a trained run, the same for every backend (the scorer hides where predictions come from): the variant's
 * test split, and the spec's evaluation files flattened with the dataset's vocabulary, reader and variant (the run's
 * model was trained on exactly those columns). Each gives the confusion matrix at 0.5, rates, ROC/PR AUC, recall at
 * FPR <= 5%, the all-negative baseline on the same rows and a downsampled curve; plus the training curve when the
 * model folder has one.
 */
import * as path from 'node:path';
import { SecmlError } from '../errors';
import { exists, readJson } from '../fs-atomic';
import type { WorkOptions } from '../progress';
import { computeMetrics, type MetricsReport } from '../metrics/report';
import { readLabelledCsv } from '../model/labelled-csv';
import { isModelManifest, MODEL_MANIFEST_FILE } from '../model/model-manifest';
import type { Scorer } from '../backends/backend';
import { metricsSummaryOf, type CurvePoint, type EvaluationMetrics, type RunMetrics, type TrainingCurve } from './run-record';
import type { EvaluationInput, RunEvaluator } from './runner';

/** What scoring new logs needs from the dataset the model was trained on. */
export interface ScoringModelInfo {
  reader: unknown;
  vocabulary: string[];
  features: string[];
  variant?: string;
}

export interface ScoringRows {
  rows: Float32Array;
  n: number;
  /** 1, 0, or -1 (unknown) per session; null when the logs have no labels. */
  labels: Int8Array | null;
  unseen: Record<string, number>;
  skipped: { count: number };
}

/** Flattens new log files with a model's vocabulary (src/core/features' flattenForScoring). */
export type ScoringFlattener = (inputs: string[], model: ScoringModelInfo, work: WorkOptions) => Promise<ScoringRows>;

interface DatasetManifestFields {
  features: string[];
  vocabulary: string[];
  reader: unknown;
  variant?: { name: string; spec: string } | null;
}

/** The ROC curve's points as (threshold, tp, fp) counts: what the panel's threshold slider reads the matrix from. */
function curveOf(r: MetricsReport): CurvePoint[] {
  return r.curves.roc.map(([fpr, tpr, threshold]) => ({ threshold, tp: Math.round(tpr * r.positives), fp: Math.round(fpr * r.negatives) }));
}

/** Metrics of scores against 0/1 labels, with the all-negative baseline computed on the same rows. */
export function evaluationOf(labels: ArrayLike<number>, scores: ArrayLike<number>): EvaluationMetrics {
  const report = computeMetrics(labels, scores);
  const baseline = computeMetrics(labels, new Float32Array(labels.length));
  return { summary: metricsSummaryOf(report), baseline: metricsSummaryOf(baseline), curve: curveOf(report), rows: labels.length };
}

async function readTrainingCurve(modelDir: string | undefined): Promise<TrainingCurve | undefined> {
  if (!modelDir) return undefined;
  const file = path.join(modelDir, MODEL_MANIFEST_FILE);
  if (!(await exists(file))) return undefined;
  const m = await readJson<unknown>(file);
  if (!isModelManifest(m) || m.trainingCurve.length === 0) return undefined;
  const names = new Set<string>();
  for (const r of m.trainingCurve) {
    for (const k of Object.keys(r.train)) names.add(`train-${k}`);
    for (const k of Object.keys(r.validation ?? {})) names.add(`validation-${k}`);
  }
  const metrics = [...names];
  const rounds = m.trainingCurve.map((r) =>
    metrics.map((name) => {
      const [set, metric] = name.split(/-(.*)/s) as ['train' | 'validation', string];
      const v = (set === 'train' ? r.train : r.validation)?.[metric as keyof typeof r.train];
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    }),
  );
  return { metrics, rounds, bestIteration: m.bestIteration };
}

async function predict(scorer: Scorer, rows: Float32Array, n: number, F: number, signal?: AbortSignal): Promise<Float32Array> {
  const scores = await scorer.predict(rows, n, F, signal);
  if (scores.length !== n) throw new SecmlError('INTERNAL', `${scorer.description} returned ${scores.length} scores for ${n} rows.`);
  return scores;
}

export function createRunEvaluator(flattenForScoring: ScoringFlattener): RunEvaluator {
  return {
    async evaluate({ spec, variantDir, result, scorer }: EvaluationInput, work: WorkOptions): Promise<RunMetrics> {
      const manifest = await readJson<DatasetManifestFields>(path.join(variantDir, 'manifest.json'));
      const F = manifest.features.length;
      const test = await readLabelledCsv(path.join(variantDir, 'test.csv'), F);
      work.logger?.info(`Scoring the test split: ${test.rows} sessions`);
      const metrics: RunMetrics = { schemaVersion: 1, test: evaluationOf(test.y, await predict(scorer, test.x, test.rows, F, work.signal)) };
      if (spec.evaluation.files.length) {
        const table = await flattenForScoring(spec.evaluation.files, { reader: manifest.reader, vocabulary: manifest.vocabulary, features: manifest.features, variant: manifest.variant?.spec }, work);
        const unseenTypes = Object.keys(table.unseen).length;
        work.logger?.info(`Scoring ${spec.evaluation.files.map((f) => path.basename(f)).join(', ')}: ${table.n} sessions, ${unseenTypes} unseen event type(s), ${table.skipped.count} skipped row(s)`);
        const scores = await predict(scorer, table.rows, table.n, F, work.signal);
        const labelled = table.labels ? [...table.labels.keys()].filter((i) => table.labels![i] >= 0) : [];
        if (labelled.length === 0) {
          work.logger?.warn('The evaluation files have no labels: they are scored but not measured.');
        } else {
          const e = evaluationOf(Float32Array.from(labelled, (i) => table.labels![i]), Float32Array.from(labelled, (i) => scores[i]));
          metrics.evaluation = { ...e, unseenEventTypes: unseenTypes, skippedRows: table.skipped.count, files: spec.evaluation.files };
        }
      }
      metrics.trainingCurve = await readTrainingCurve(result.modelDir);
      return metrics;
    },
  };
}
