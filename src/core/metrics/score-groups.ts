/**
 * The one sort behind every threshold-free metric: labels and scores grouped by distinct score, highest first,
 * with the cumulative positives (tp) and negatives (fp) flagged when the threshold is that score
 * (a row is flagged when score >= threshold). Ties share one group, so curves and AUCs are correct with ties.
 * Pure (no Node imports): the webview bundle may use it too.
 */
import { SecmlError } from '../errors';

export interface ScoreGroups {
  /** Distinct scores, descending. */
  thresholds: Float64Array;
  /** tp[i], fp[i]: positives and negatives with score >= thresholds[i]. */
  tp: Float64Array;
  fp: Float64Array;
  positives: number;
  negatives: number;
}

/** Float bits as unsigned integers in the same order: flip all bits of negatives, the sign bit of the rest. */
const orderedKey = (bits: number) => (bits & 0x80000000 ? ~bits : bits | 0x80000000) >>> 0;
const ZERO_KEY = 0x80000000;
const keyView = new Uint32Array(1);
const floatView = new Float32Array(keyView.buffer);
function floatOfKey(key: number): number {
  keyView[0] = key & 0x80000000 ? key & 0x7fffffff : ~key;
  return floatView[0];
}

/**
 * Groups from two ascending sorted arrays (positives' and negatives' scores, or their float32 keys); `value` maps
 * an element back to its score.
 */
function mergeGroups(pos: ArrayLike<number>, neg: ArrayLike<number>, value: (v: number) => number): ScoreGroups {
  const positives = pos.length, negatives = neg.length, n = positives + negatives;
  const thresholds = new Float64Array(n), tp = new Float64Array(n), fp = new Float64Array(n);
  let i = positives - 1, j = negatives - 1, g = 0, ctp = 0, cfp = 0;
  while (i >= 0 || j >= 0) {
    const s = i < 0 ? neg[j] : j < 0 ? pos[i] : pos[i] > neg[j] ? pos[i] : neg[j];
    while (i >= 0 && pos[i] === s) { ctp++; i--; }
    while (j >= 0 && neg[j] === s) { cfp++; j--; }
    thresholds[g] = value(s);
    tp[g] = ctp;
    fp[g] = cfp;
    g++;
  }
  return { thresholds: thresholds.subarray(0, g), tp: tp.subarray(0, g), fp: fp.subarray(0, g), positives, negatives };
}

const nanAt = (i: number) => new SecmlError('BAD_ARGUMENT', `score ${i + 1} is NaN: cannot rank it`);

/** Positives' and negatives' float32 scores as ordered keys, each sorted ascending; throws on NaN. */
function sortedKeys(labels: ArrayLike<number>, scores: Float32Array, positives: number): { pos: Uint32Array; neg: Uint32Array } {
  const n = scores.length;
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, n);
  const pos = new Uint32Array(positives), neg = new Uint32Array(n - positives);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    const s = scores[i];
    if (s !== s) throw nanAt(i);
    const key = s === 0 ? ZERO_KEY : orderedKey(bits[i]); // -0 ties with 0
    if (labels[i] > 0.5) pos[a++] = key;
    else neg[b++] = key;
  }
  // The engine's native numeric sort of a typed array: no JIT warm-up, which dominates a cold run at this size.
  pos.sort();
  neg.sort();
  return { pos, neg };
}

function countPositives(labels: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] > 0.5) positives++;
  return positives;
}

/**
 * A label is positive when it is > 0.5 (labels are 0/1). Throws on a NaN score. Float32 scores (what scorers
 * produce) sort as the unsigned integers of their bits; other arrays sort as doubles.
 */
export function groupByScore(labels: ArrayLike<number>, scores: ArrayLike<number>): ScoreGroups {
  const n = labels.length;
  if (scores.length !== n) throw new SecmlError('INTERNAL', `labels (${n}) and scores (${scores.length}) differ in length`);
  const positives = countPositives(labels);
  if (scores instanceof Float32Array) {
    const { pos, neg } = sortedKeys(labels, scores, positives);
    return mergeGroups(pos, neg, floatOfKey);
  }
  const pos = new Float64Array(positives), neg = new Float64Array(n - positives);
  for (let i = 0, a = 0, b = 0; i < n; i++) {
    const s = scores[i];
    if (s !== s) throw nanAt(i);
    if (labels[i] > 0.5) pos[a++] = s;
    else neg[b++] = s;
  }
  pos.sort();
  neg.sort();
  return mergeGroups(pos, neg, (v) => (v === 0 ? 0 : v));
}

/**
 * ROC AUC of float32 scores straight from the sorted keys, without materialising the groups: the per-round
 * training metric. Same value as rocAuc(groupByScore(labels, scores)).
 */
export function rocAucOfFloat32(labels: ArrayLike<number>, scores: Float32Array): number | null {
  if (labels.length !== scores.length) throw new SecmlError('INTERNAL', `labels (${labels.length}) and scores (${scores.length}) differ in length`);
  const positives = countPositives(labels), negatives = labels.length - positives;
  if (positives === 0 || negatives === 0) return null;
  const { pos, neg } = sortedKeys(labels, scores, positives);
  // For each positive: negatives below it, plus half of the negatives tied with it.
  let area = 0;
  for (let i = 0, j = 0; i < positives; ) {
    const k = pos[i];
    let ties = 0;
    while (i < positives && pos[i] === k) { ties++; i++; }
    while (j < negatives && neg[j] < k) j++;
    let equal = 0;
    while (j + equal < negatives && neg[j + equal] === k) equal++;
    area += ties * (j + equal / 2);
  }
  return area / (positives * negatives);
}

/** ROC AUC (trapezoids over tied groups, as scikit-learn's roc_auc_score); null when only one class is present. */
export function rocAuc(sg: ScoreGroups): number | null {
  const { tp, fp, positives: P, negatives: N } = sg;
  if (P === 0 || N === 0) return null;
  let area = 0, ptp = 0, pfp = 0;
  for (let g = 0; g < tp.length; g++) {
    area += (fp[g] - pfp) * (tp[g] + ptp);
    ptp = tp[g];
    pfp = fp[g];
  }
  return area / 2 / (P * N);
}

/** Average precision, sum of (R_k - R_k-1) * P_k (scikit-learn's average_precision_score); 0 with no positives. */
export function averagePrecision(sg: ScoreGroups): number {
  const { tp, fp, positives: P } = sg;
  if (P === 0) return 0;
  let ap = 0, ptp = 0;
  for (let g = 0; g < tp.length; g++) {
    if (tp[g] !== ptp) ap += ((tp[g] - ptp) / P) * (tp[g] / (tp[g] + fp[g]));
    ptp = tp[g];
  }
  return ap;
}

/** The smallest double above x: a threshold that flags nothing when x is the highest score. */
export function nextUp(x: number): number {
  if (x !== x || x === Infinity) return x;
  if (x === 0) return Number.MIN_VALUE;
  const f = new Float64Array([x]);
  const u = new BigInt64Array(f.buffer);
  u[0] += x > 0 ? 1n : -1n;
  return f[0];
}

/** The threshold above every score: flags nothing (1 when there are no scores: probabilities never exceed 1). */
export function topThreshold(sg: ScoreGroups): number {
  return sg.thresholds.length ? nextUp(sg.thresholds[0]) : nextUp(1);
}

/**
 * Highest recall with a false-positive rate <= maxFpr, and the highest threshold that achieves it
 * (fewest alerts). With no negatives every threshold qualifies; with no positives recall is 0 and the threshold
 * flags nothing.
 */
export function recallAtFpr(sg: ScoreGroups, maxFpr: number): { recall: number; threshold: number } {
  const { thresholds, tp, fp, positives: P, negatives: N } = sg;
  let bestTp = 0, threshold = topThreshold(sg);
  for (let g = 0; g < thresholds.length; g++) {
    const fpr = N === 0 ? 0 : fp[g] / N;
    if (fpr > maxFpr) break;
    if (tp[g] > bestTp) {
      bestTp = tp[g];
      threshold = thresholds[g];
    }
  }
  return { recall: P === 0 ? 0 : bestTp / P, threshold };
}
