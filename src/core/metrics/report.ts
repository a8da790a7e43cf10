/**
 * The metrics a security analyst reads for a model on a labelled set: the confusion matrix and rates at a
 * threshold, the seed's all-negative baseline, ROC AUC, PR AUC (average precision), recall at FPR <= 5% (the seed's
 * success criterion) and the threshold that achieves it, and both curves (downsampled) for charts.
 * Every value is a finite number (rocAuc is null when only one class is present: it is undefined there).
 */
import { baselineOf, confusionAtThreshold, ratesOf, type BaselineReport, type ConfusionRates } from './confusion';
import { curvesOf, type Curves } from './curves';
import { averagePrecision, groupByScore, recallAtFpr, rocAuc } from './score-groups';

export const DEFAULT_THRESHOLD = 0.5;
/** The seed's target: at least 70% of attacker sessions at no more than 5% false positives. */
export const TARGET_FPR = 0.05;
export const TARGET_RECALL = 0.7;

export interface MetricsReport extends ConfusionRates {
  /** Rows are flagged when score >= threshold. */
  threshold: number;
  rows: number;
  positives: number;
  negatives: number;
  /** null when the labels hold one class only. */
  rocAuc: number | null;
  /** Average precision; 0 with no positives. */
  prAuc: number;
  /** Highest recall with FPR <= 5%. */
  recallAtFpr5: number;
  /** The highest threshold that achieves recallAtFpr5 (flags nothing when recallAtFpr5 is 0). */
  thresholdAtFpr5: number;
  baseline: BaselineReport;
  curves: Curves;
}

export interface MetricsOptions {
  threshold?: number;
  /** Points per curve (default 200). */
  maxCurvePoints?: number;
}

export function computeMetrics(labels: ArrayLike<number>, scores: ArrayLike<number>, opts: MetricsOptions = {}): MetricsReport {
  const threshold = opts.threshold ?? DEFAULT_THRESHOLD;
  const sg = groupByScore(labels, scores);
  const atFpr = recallAtFpr(sg, TARGET_FPR);
  return {
    threshold,
    ...ratesOf(confusionAtThreshold(labels, scores, threshold)),
    rows: labels.length,
    positives: sg.positives,
    negatives: sg.negatives,
    rocAuc: rocAuc(sg),
    prAuc: averagePrecision(sg),
    recallAtFpr5: atFpr.recall,
    thresholdAtFpr5: atFpr.threshold,
    baseline: baselineOf(sg.positives, sg.negatives),
    curves: curvesOf(sg, opts.maxCurvePoints, [threshold, atFpr.threshold]),
  };
}

/** The report without its curves (for tables, logs and one-line summaries). */
export function summaryOf(r: MetricsReport): Omit<MetricsReport, 'curves'> {
  const { curves: _curves, ...rest } = r;
  return rest;
}
