/**
 * The comparison of an experiment's runs: one row per run (headline metrics on the test split or the evaluation files), the
 * all-negative baseline and the seed's target (70% recall at <= 5% FPR). Used by `secml experiment run/compare`, the metrics
 * panel and its CSV export. Aggregates only.
 */
import { csvValue } from '../csv-cell';
import { TARGET_FPR, TARGET_RECALL } from '../metrics/report';
import type { MetricsSummary, RunRecord } from './run-record';

function percent(v: number): string {
  return `${Math.round(v * 1000) / 10}%`;
}

/** The capstone's bar for a useful model: "identify 70% of attacker sessions with no more than 5% false positives". */
export const TARGET = Object.freeze({ recall: TARGET_RECALL, fpr: TARGET_FPR, label: `Target (seed): recall >= ${percent(TARGET_RECALL)} at FPR <= ${percent(TARGET_FPR)}` });

export type EvaluationSet = 'test' | 'evaluation';

/**
 * The set a comparison shows unless told otherwise: the evaluation files (held-out logs, the seed's unseen day) when the
 * runs were scored on them, else the test split. The test split of a rare-attacker dataset may hold only a few attackers.
 */
export function defaultEvaluationSet(runs: readonly RunRecord[]): EvaluationSet {
  return runs.some((r) => r.summary?.evaluation) ? 'evaluation' : 'test';
}

/** A run's headline figures: on its evaluation files when it has them, else on its test split. */
export function headlineMetrics(r: RunRecord): { set: EvaluationSet; metrics: MetricsSummary } | undefined {
  if (r.summary?.evaluation) return { set: 'evaluation', metrics: r.summary.evaluation };
  return r.summary?.test ? { set: 'test', metrics: r.summary.test } : undefined;
}

export interface ComparisonRow {
  runId: string;
  variant: string;
  variantSpec: string;
  launchId: string;
  status: RunRecord['status'];
  backend: string;
  trainingSeconds?: number;
  metrics?: MetricsSummary;
  meetsTarget: boolean;
  error?: string;
}

export function meetsTarget(m: MetricsSummary | undefined): boolean {
  return m !== undefined && Number.isFinite(m.recallAtFpr5) && m.recallAtFpr5 >= TARGET.recall;
}

export function comparisonRows(runs: readonly RunRecord[], set: EvaluationSet): ComparisonRow[] {
  return runs.map((r) => {
    const metrics = r.summary?.[set];
    return {
      runId: r.id,
      variant: r.variant,
      variantSpec: r.variantSpec,
      launchId: r.launchId,
      status: r.status,
      backend: r.backend,
      trainingSeconds: r.trainingSeconds,
      metrics,
      meetsTarget: meetsTarget(metrics),
      error: r.error?.message ?? r.interruptedReason,
    };
  });
}

/** Columns of the comparison (table, CSV, CLI), in display order. */
export const METRIC_COLUMNS: readonly { key: keyof MetricsSummary; label: string; kind: 'rate' | 'count' | 'score' }[] = [
  { key: 'precision', label: 'Precision', kind: 'rate' },
  { key: 'recall', label: 'Recall', kind: 'rate' },
  { key: 'f1', label: 'F1', kind: 'score' },
  { key: 'rocAuc', label: 'ROC AUC', kind: 'score' },
  { key: 'prAuc', label: 'PR AUC', kind: 'score' },
  { key: 'recallAtFpr5', label: 'Recall @ FPR 5%', kind: 'rate' },
  { key: 'fpr', label: 'FPR', kind: 'rate' },
  { key: 'tp', label: 'TP', kind: 'count' },
  { key: 'fp', label: 'FP', kind: 'count' },
  { key: 'tn', label: 'TN', kind: 'count' },
  { key: 'fn', label: 'FN', kind: 'count' },
];

const CSV_HEADER = ['run', 'variant', 'variant_spec', 'status', 'set', ...METRIC_COLUMNS.map((c) => snake(c.key)), 'threshold', 'threshold_at_fpr5', 'training_seconds', 'meets_target'];

function snake(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
}

function metricFields(m: MetricsSummary | undefined): (number | undefined)[] {
  return [...METRIC_COLUMNS.map((c) => m?.[c.key] ?? undefined), m?.threshold, m?.thresholdAtFpr5];
}

/** The comparison as CSV: one row per run, then the baseline (from `baseline`) and the target. */
export function comparisonCsv(rows: readonly ComparisonRow[], set: EvaluationSet, baseline?: MetricsSummary): string {
  const lines = [CSV_HEADER.join(',')];
  for (const r of rows) lines.push([r.runId, r.variant, r.variantSpec, r.status, set, ...metricFields(r.metrics), r.trainingSeconds, r.meetsTarget].map(csvValue).join(','));
  if (baseline) lines.push(['baseline', 'all-negative', '', '', set, ...metricFields(baseline), undefined, false].map(csvValue).join(','));
  lines.push(['target', TARGET.label, '', '', set, ...METRIC_COLUMNS.map((c) => (c.key === 'recallAtFpr5' ? TARGET.recall : undefined)), undefined, undefined, undefined, undefined].map(csvValue).join(','));
  return lines.join('\n') + '\n';
}

/** The baseline row: the all-negative confusion on the rows of the first completed run listed (runs come newest first). */
export function baselineOf(runs: readonly RunRecord[], set: EvaluationSet): MetricsSummary | undefined {
  return runs.find((r) => r.status === 'completed' && r.summary?.baseline?.[set])?.summary?.baseline?.[set];
}
