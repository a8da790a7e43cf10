/**
 * XGBoost's evaluation metrics for binary:logistic, reported per round on train and validation
 * (`eval_metric`): auc (ROC AUC), aucpr (average precision; XGBoost interpolates its PR-AUC slightly differently),
 * logloss (probabilities clipped to [1e-16, 1 - 1e-16]) and error (share of rows where (p > 0.5) != label).
 * A metric that is undefined on the set (AUC with one class, any metric on no rows) is null.
 */
import { averagePrecision, groupByScore, rocAuc, rocAucOfFloat32 } from '../metrics/score-groups';
import type { EvalMetricName } from './hyperparameters';

const EPS = 1e-16;

export function evalMetric(name: EvalMetricName, labels: ArrayLike<number>, probs: ArrayLike<number>): number | null {
  const n = labels.length;
  if (n === 0) return null;
  switch (name) {
    case 'logloss': {
      let sum = 0;
      for (let i = 0; i < n; i++) {
        const p = Math.min(Math.max(probs[i], EPS), 1 - EPS);
        sum -= labels[i] > 0.5 ? Math.log(p) : Math.log(1 - p);
      }
      return sum / n;
    }
    case 'error': {
      let wrong = 0;
      for (let i = 0; i < n; i++) if ((probs[i] > 0.5 ? 1 : 0) !== labels[i]) wrong++;
      return wrong / n;
    }
    case 'auc':
      return probs instanceof Float32Array ? rocAucOfFloat32(labels, probs) : rocAuc(groupByScore(labels, probs));
    case 'aucpr': {
      const sg = groupByScore(labels, probs);
      return sg.positives === 0 || sg.negatives === 0 ? null : averagePrecision(sg);
    }
  }
}

/** Whether larger is better (XGBoost's maximize for early stopping). */
export function maximizes(name: EvalMetricName): boolean {
  return name === 'auc' || name === 'aucpr';
}
