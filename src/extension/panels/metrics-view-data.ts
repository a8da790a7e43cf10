/**
 * What the metrics panel sends: the run store's records turned into the page's message shapes. Pure (no `vscode`), so it
 * is unit-tested in plain Node. Aggregates only: headline metrics, curves as (threshold, tp, fp), training curves.
 */
import * as path from 'node:path';
import { baselineOf, TARGET } from '../../core/experiments/comparison';
import { metricsSummaryOf, type EvaluationMetrics, type MetricsSummary, type RunMetrics, type RunRecord } from '../../core/experiments/run-record';
import { cutText } from '../../../webview/shared/protocol';
import { MAX_DESCRIPTION, MAX_EVALUATION_FILES, MAX_PHASE, type CurveView, type ExperimentView, type RunDetail, type RunView } from '../../../webview/metrics/protocol';

const summaryView = (m: MetricsSummary | undefined): MetricsSummary | undefined => (m ? metricsSummaryOf(m) : undefined);

const optionalCut = (s: string | undefined, max: number) => (s === undefined ? undefined : cutText(s, max));

export function runView(r: RunRecord): RunView {
  const active = r.status === 'queued' || r.status === 'running';
  return {
    id: r.id,
    variant: r.variant,
    variantSpec: r.variantSpec,
    launchId: r.launchId,
    backend: r.backend,
    status: r.status,
    fraction: active ? r.progress?.fraction : undefined,
    phase: active ? optionalCut(r.progress?.phase, MAX_PHASE) : undefined,
    trainingSeconds: r.trainingSeconds,
    test: summaryView(r.summary?.test),
    evaluation: summaryView(r.summary?.evaluation),
    error: r.status === 'completed' ? undefined : optionalCut(r.error?.message ?? r.interruptedReason, MAX_DESCRIPTION),
  };
}

export function experimentView(name: string, description: string, runs: readonly RunRecord[], evaluationFiles: readonly string[]): ExperimentView {
  return {
    name,
    description: cutText(description, MAX_DESCRIPTION),
    target: { recall: TARGET.recall, fpr: TARGET.fpr },
    runs: runs.map(runView),
    baseline: { test: summaryView(baselineOf(runs, 'test')), evaluation: summaryView(baselineOf(runs, 'evaluation')) },
    evaluationFiles: evaluationFiles.slice(0, MAX_EVALUATION_FILES).map((f) => path.basename(f)),
  };
}

function curveView(e: EvaluationMetrics | undefined): CurveView | undefined {
  if (!e) return undefined;
  return {
    positives: e.summary.positives,
    negatives: e.summary.negatives,
    points: e.curve.filter((p) => [p.threshold, p.tp, p.fp].every(Number.isFinite)).map((p) => [p.threshold, p.tp, p.fp]),
  };
}

export function runDetail(runId: string, metrics: RunMetrics | undefined): RunDetail {
  const curve = metrics?.trainingCurve;
  return {
    id: runId,
    curves: { test: curveView(metrics?.test), evaluation: curveView(metrics?.evaluation) },
    trainingCurve: curve ? { metrics: curve.metrics, rounds: curve.rounds.map((r) => r.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : null))), bestIteration: curve.bestIteration } : undefined,
  };
}
