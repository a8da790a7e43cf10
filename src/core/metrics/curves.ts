/**
 * ROC and precision-recall curves, downsampled for charts, and the confusion matrix read back from a curve point
 * (what a webview's threshold slider needs without the raw scores).
 * Points: roc [fpr, tpr, threshold], pr [recall, precision, threshold], from the highest threshold (flags nothing)
 * down to the lowest score (flags everything). Pure (no Node imports): the webview bundle may use it too.
 */
import { ratesOf, type Confusion, type ConfusionRates } from './confusion';
import { topThreshold, type ScoreGroups } from './score-groups';

export type RocPoint = [fpr: number, tpr: number, threshold: number];
export type PrPoint = [recall: number, precision: number, threshold: number];

export interface Curves {
  roc: RocPoint[];
  pr: PrPoint[];
}

export const MAX_CURVE_POINTS = 200;

/**
 * Both curves at every distinct threshold, then downsampled to about `maxPoints` each. The points that
 * `confusionAt` would read for each of `keepThresholds` are always kept, so those read back exactly.
 */
export function curvesOf(sg: ScoreGroups, maxPoints = MAX_CURVE_POINTS, keepThresholds: readonly number[] = []): Curves {
  const { thresholds, tp, fp, positives: P, negatives: N } = sg;
  const n = thresholds.length + 1;
  const roc: RocPoint[] = new Array(n);
  const pr: PrPoint[] = new Array(n);
  const top = topThreshold(sg);
  roc[0] = [0, 0, top];
  pr[0] = [0, 1, top];
  for (let g = 0; g < thresholds.length; g++) {
    const recall = P === 0 ? 0 : tp[g] / P;
    roc[g + 1] = [N === 0 ? 0 : fp[g] / N, recall, thresholds[g]];
    pr[g + 1] = [recall, tp[g] / (tp[g] + fp[g]), thresholds[g]];
  }
  const keep = new Set<number>();
  for (const t of keepThresholds) {
    let k = 0;
    while (k + 1 < n && roc[k + 1][2] >= t) k++;
    keep.add(k);
  }
  return { roc: downsample(roc, maxPoints, keep), pr: downsample(pr, maxPoints, keep) };
}

/**
 * Keeps the first and last points and, in between, a point each time the path length (L1, in chart units)
 * since the last kept point reaches 1/(maxPoints-2) of the whole: at most maxPoints points, dense where the
 * curve moves, none wasted on long runs of nearly identical points. Indices in `keep` are kept as well.
 */
export function downsample<T extends [number, number, number]>(points: T[], maxPoints: number, keep: ReadonlySet<number> = new Set()): T[] {
  if (points.length <= maxPoints) return points;
  let total = 0;
  for (let i = 1; i < points.length; i++) total += Math.abs(points[i][0] - points[i - 1][0]) + Math.abs(points[i][1] - points[i - 1][1]);
  const step = total / (maxPoints - 2);
  const out: T[] = [points[0]];
  let acc = 0;
  for (let i = 1; i < points.length - 1; i++) {
    acc += Math.abs(points[i][0] - points[i - 1][0]) + Math.abs(points[i][1] - points[i - 1][1]);
    if ((acc >= step && out.length < maxPoints - 1) || keep.has(i)) {
      out.push(points[i]);
      acc = 0;
    }
  }
  out.push(points[points.length - 1]);
  return out;
}

/** What confusionAt needs from a metrics report: the totals (from its confusion matrix) and its ROC curve. */
export interface CurveSource extends Confusion {
  curves: Pick<Curves, 'roc'>;
}

/**
 * The confusion matrix and rates at a ROC point, or at a threshold (read from the curve point with the smallest
 * threshold >= the one given: exact when that threshold is a point of the curve, otherwise the nearest stricter one).
 */
export function confusionAt(source: CurveSource, at: RocPoint | number): ConfusionRates & { threshold: number } {
  const positives = source.tp + source.fn;
  const negatives = source.fp + source.tn;
  let point: RocPoint;
  if (typeof at === 'number') {
    const roc = source.curves.roc;
    point = roc[0];
    for (const p of roc) {
      if (p[2] >= at) point = p;
      else break;
    }
  } else {
    point = at;
  }
  const tp = Math.round(point[1] * positives);
  const fp = Math.round(point[0] * negatives);
  return { ...ratesOf({ tp, fp, tn: negatives - fp, fn: positives - tp }), threshold: point[2] };
}
