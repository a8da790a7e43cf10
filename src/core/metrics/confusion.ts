/**
 * The confusion matrix at a threshold and the rates derived from it. A row is flagged (predicted attacker) when
 * score >= threshold. Undefined ratios are 0 (scikit-learn's zero_division=0): precision with nothing flagged,
 * recall with no positives, FPR with no negatives, F1 with no true positives, accuracy of no rows.
 * Pure (no Node imports): the webview bundle may use it too.
 */

export interface Confusion {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

export interface ConfusionRates extends Confusion {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  fpr: number;
}

/** The seed's baseline: the all-negative predictor ("no session is an attack"). */
export interface BaselineReport extends Confusion {
  accuracy: number;
  precision: number;
  recall: number;
}

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

export function confusionAtThreshold(labels: ArrayLike<number>, scores: ArrayLike<number>, threshold: number): Confusion {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const flagged = scores[i] >= threshold;
    if (labels[i] > 0.5) flagged ? tp++ : fn++;
    else flagged ? fp++ : tn++;
  }
  return { tp, fp, tn, fn };
}

export function ratesOf(c: Confusion): ConfusionRates {
  const precision = ratio(c.tp, c.tp + c.fp);
  const recall = ratio(c.tp, c.tp + c.fn);
  return {
    tp: c.tp,
    fp: c.fp,
    tn: c.tn,
    fn: c.fn,
    accuracy: ratio(c.tp + c.tn, c.tp + c.fp + c.tn + c.fn),
    precision,
    recall,
    f1: ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn),
    fpr: ratio(c.fp, c.fp + c.tn),
  };
}

export function baselineOf(positives: number, negatives: number): BaselineReport {
  const r = ratesOf({ tp: 0, fp: 0, tn: negatives, fn: positives });
  return { tp: r.tp, fp: r.fp, tn: r.tn, fn: r.fn, accuracy: r.accuracy, precision: r.precision, recall: r.recall };
}
