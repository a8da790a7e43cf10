/**
 * What the run store keeps per run (`run.json`) and per experiment (`experiment.json`), and the metrics file of a finished
 * run (`metrics.json`). Only aggregates live here: counts, rates, downsampled curves; never rows or session ids.
 */
import type { RunOwner } from './process-owner';
import type { BackendName, ExperimentSpec } from './spec';

export type RunStatus = 'queued' | 'running' | 'completed' | 'failed' | 'stopped' | 'interrupted';
export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'completed', 'failed', 'stopped', 'interrupted'];
/** Statuses after which nothing will change the run any more. */
export const FINISHED_STATUSES: readonly RunStatus[] = ['completed', 'failed', 'stopped', 'interrupted'];

export function isFinished(status: RunStatus): boolean {
  return FINISHED_STATUSES.includes(status);
}

/** Where a running run is: its own step, or the backend's state (`uploading`, `starting`, `training`, ...). */
export interface RunProgress {
  phase: string;
  /** 0..1 of the whole run (flatten, train, evaluate). */
  fraction?: number;
  message?: string;
  round?: number;
  rounds?: number;
}

/** The headline figures of one evaluation (test split or evaluation files), for the tree and the comparison table. */
export interface MetricsSummary {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  fpr: number;
  /** null when the rows hold one class only. */
  rocAuc: number | null;
  prAuc: number;
  recallAtFpr5: number;
  thresholdAtFpr5: number;
  /** Threshold the confusion counts above are taken at. */
  threshold: number;
  positives: number;
  negatives: number;
}

/**
 * Exactly the MetricsSummary fields of `m` (a MetricsReport, or a summary read back from disk), every value finite:
 * a missing or non-finite count or rate is 0, rocAuc null, thresholdAtFpr5 1 (flags nothing). What run records store
 * and what both webviews (metrics, score) receive.
 */
export function metricsSummaryOf(m: MetricsSummary): MetricsSummary {
  const n = (v: number | null | undefined, otherwise = 0) => (typeof v === 'number' && Number.isFinite(v) ? v : otherwise);
  return {
    tp: n(m.tp),
    fp: n(m.fp),
    tn: n(m.tn),
    fn: n(m.fn),
    accuracy: n(m.accuracy),
    precision: n(m.precision),
    recall: n(m.recall),
    f1: n(m.f1),
    fpr: n(m.fpr),
    rocAuc: typeof m.rocAuc === 'number' && Number.isFinite(m.rocAuc) ? m.rocAuc : null,
    prAuc: n(m.prAuc),
    recallAtFpr5: n(m.recallAtFpr5),
    thresholdAtFpr5: n(m.thresholdAtFpr5, 1),
    threshold: n(m.threshold),
    positives: n(m.positives),
    negatives: n(m.negatives),
  };
}

export interface RunError {
  code: string;
  message: string;
  file?: string;
  line?: number;
}

export interface RemoteJob {
  name?: string;
  arn?: string;
  consoleUrl?: string;
  logsUrl?: string;
  modelArtifact?: string;
  /** The container image the job trained with (a SageMaker run's XGBoost image, built-in or override). */
  imageUri?: string;
}

export interface RunRecord {
  schemaVersion: 1;
  /** Folder name under the experiment: `<launch>-<variant>`. */
  id: string;
  experiment: string;
  /** Runs launched together share it (UTC `YYYYMMDD-HHMMSS`, plus `-N` when two launches share a second). */
  launchId: string;
  /** Position in the spec's variant list (table and tree order). */
  order: number;
  variant: string;
  variantSpec: string;
  backend: BackendName;
  status: RunStatus;
  progress?: RunProgress;
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  heartbeatAt?: string;
  owner: RunOwner;
  hyperparameters: Record<string, string>;
  /** The flattened variant this run trains on (shared by the runs of a launch). */
  datasetDir?: string;
  /** Local model folder (model.json + secml-model.json). */
  modelDir?: string;
  job?: RemoteJob;
  trainingSeconds?: number;
  /** Headline figures per evaluation set, and the all-negative baseline on the same rows. */
  summary?: { test?: MetricsSummary; evaluation?: MetricsSummary; baseline?: { test?: MetricsSummary; evaluation?: MetricsSummary } };
  error?: RunError;
  /** Why a run is interrupted (its process ended while it was queued or running). */
  interruptedReason?: string;
}

/** A point of a downsampled ROC or PR curve, with the counts needed to rebuild the confusion matrix there. */
export interface CurvePoint {
  threshold: number;
  tp: number;
  fp: number;
}

export interface EvaluationMetrics {
  summary: MetricsSummary;
  /** The all-negative baseline on the same rows (predict "not an attacker" for every session). */
  baseline: MetricsSummary;
  /** Downsampled threshold sweep (descending threshold); ROC = (fp/N, tp/P), PR = (tp/P, tp/(tp+fp)). */
  curve: CurvePoint[];
  /** Sessions scored. */
  rows: number;
  /** Evaluation files only: what the model's vocabulary did not cover. */
  unseenEventTypes?: number;
  skippedRows?: number;
  files?: string[];
}

export interface TrainingCurve {
  /** Metric names in the order of `values` columns, e.g. `train-aucpr`, `validation-aucpr`. */
  metrics: string[];
  /** One row per round: the metric values (null where undefined, e.g. AUC with one class). */
  rounds: (number | null)[][];
  bestIteration?: number;
}

export interface RunMetrics {
  schemaVersion: 1;
  test: EvaluationMetrics;
  evaluation?: EvaluationMetrics;
  trainingCurve?: TrainingCurve;
  /** Metrics a remote backend reported itself (SageMaker FinalMetricDataList). */
  finalMetrics?: Record<string, number>;
}

export interface ExperimentRecord {
  schemaVersion: 1;
  name: string;
  description: string;
  /** The spec file last launched from. */
  specFile: string;
  /** The spec as last launched (paths absolute). */
  spec: ExperimentSpec;
  updatedAt: string;
}
