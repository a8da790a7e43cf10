/** A metrics report as a few aligned lines of text (CLI output, logs). */
import { TARGET_FPR, TARGET_RECALL, type MetricsReport } from './report';

const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
const num = (v: number | null) => (v === null ? 'n/a (one class only)' : v.toFixed(4));

export function formatMetricsText(r: MetricsReport, title = 'metrics'): string {
  const w = Math.max(String(r.tp + r.fn).length, String(r.fp + r.tn).length, 5);
  const c = (v: number) => String(v).padStart(w);
  const target = r.recallAtFpr5 >= TARGET_RECALL ? 'meets' : 'misses';
  return [
    `${title}: ${r.rows} rows, ${r.positives} positive, ${r.negatives} negative; flagged when score >= ${r.threshold}`,
    `                 ${'flagged'.padStart(w)}  ${'not'.padStart(w)}`,
    `  attacker       ${c(r.tp)}  ${c(r.fn)}      (tp, fn)`,
    `  normal         ${c(r.fp)}  ${c(r.tn)}      (fp, tn)`,
    `  accuracy ${pct(r.accuracy)}  precision ${pct(r.precision)}  recall ${pct(r.recall)}  f1 ${r.f1.toFixed(4)}  fpr ${pct(r.fpr)}`,
    `  ROC AUC ${num(r.rocAuc)}  PR AUC ${num(r.prAuc)}`,
    `  recall at FPR <= ${pct(TARGET_FPR)}: ${pct(r.recallAtFpr5)} at threshold ${r.thresholdAtFpr5} (${target} the ${pct(TARGET_RECALL)} target)`,
    `  baseline (all negative): accuracy ${pct(r.baseline.accuracy)}  precision ${pct(r.baseline.precision)}  recall ${pct(r.baseline.recall)}`,
  ].join('\n');
}
