/**
 * The top of the score results page: what was scored with which model, warnings (event types the model never saw,
 * skipped rows), the flagged count with the threshold control, and, when the logs carry labels, the confusion matrix
 * and metrics as the metrics panel shows them.
 */
import { el, formatNumber, formatPercent } from '../shared/dom';

/** `1 session`, `9,246 sessions`. */
const count = (n: number, one: string, many = `${one}s`) => `${formatNumber(n)} ${n === 1 ? one : many}`;
import { confusionMatrixTable, confusionReadout } from '../shared/confusion-matrix';
import type { MetricsView, ScoreView } from './protocol';

export function header(s: ScoreView): HTMLElement {
  const model = `${s.model.label} (${s.model.kind === 'local' ? 'local model' : 'SageMaker endpoint'})`;
  return el(
    'header',
    {},
    el('h1', {}, `Scores: ${s.title}`),
    el('div', { class: 'muted', id: 'scored-with' }, `${model} · ${count(s.sessions, 'session')} · ${count(s.events, 'event')} · ${s.seconds.toFixed(2)} s`),
  );
}

export function warnings(s: ScoreView): HTMLElement {
  const items: HTMLElement[] = [];
  if (s.unseen.message) {
    items.push(
      el(
        'div',
        { class: 'warning unseen', role: 'status' },
        el('span', { class: 'codicon codicon-warning', 'aria-hidden': 'true' }),
        el('span', {}, s.unseen.message),
      ),
    );
  }
  if (s.skippedRows > 0) items.push(el('div', { class: 'warning skipped', role: 'status' }, el('span', { class: 'codicon codicon-warning', 'aria-hidden': 'true' }), `${formatNumber(s.skippedRows)} malformed row(s) were skipped (details in the SecML Lab output).`));
  return el('div', { class: 'warnings' }, ...items);
}

/** The flagged count and the threshold: a slider and a number (sent on change), and a button back to the model's own. */
export function thresholdControl(s: ScoreView, setThreshold: (t: number) => void): HTMLElement {
  const slider = el('input', { type: 'range', id: 'threshold-range', min: 0, max: 1, step: 0.0001, value: s.threshold, 'aria-label': 'Threshold: sessions scoring at least this are flagged' });
  const number = el('input', { type: 'number', id: 'threshold-value', min: 0, max: 1, step: 0.0001, value: s.threshold.toFixed(4), 'aria-label': 'Threshold value' });
  slider.addEventListener('input', () => (number.value = Number(slider.value).toFixed(4)));
  slider.addEventListener('change', () => setThreshold(Number(slider.value)));
  number.addEventListener('change', () => {
    const v = Number(number.value);
    if (Number.isFinite(v) && v >= 0 && v <= 1) setThreshold(v);
  });
  const reset = el('vscode-button', { secondary: true, id: 'threshold-reset', title: s.thresholdSource, disabled: s.threshold === s.modelThreshold }, `Model's threshold (${formatNumber(s.modelThreshold, 4)})`);
  reset.addEventListener('click', () => setThreshold(s.modelThreshold));
  return el(
    'section',
    { class: 'overview' },
    el('div', { class: 'flagged-card' }, el('div', { class: s.flagged > 0 ? 'big' : 'big none', id: 'flagged-count' }, formatNumber(s.flagged)), el('div', { class: 'muted' }, `flagged of ${count(s.sessions, 'session')} (${formatPercent(s.sessions ? s.flagged / s.sessions : 0, 2)})`)),
    el(
      'div',
      { class: 'threshold' },
      el('div', { class: 'slider' }, el('label', { for: 'threshold-range' }, 'Threshold'), slider, number, reset),
      el('div', { class: 'muted', id: 'threshold-source' }, s.threshold === s.modelThreshold ? `Default: ${s.thresholdSource}.` : `Moved from ${formatNumber(s.modelThreshold, 4)} (${s.thresholdSource}).`),
    ),
  );
}

function metricRow(name: string, value: string, hint?: string): HTMLElement {
  return el('tr', {}, el('th', { scope: 'row' }, name), el('td', { class: 'num' }, value), el('td', { class: 'muted' }, hint ?? ''));
}

/** Shown instead of recall, precision and the curves when the labelled sessions hold no attacker: they are undefined, not 0. */
export const NO_ATTACKERS = 'No attacker sessions among the labelled ones: recall and precision are undefined.';

function metricRows(m: MetricsView): HTMLElement[] {
  const rates = [
    metricRow('False positive rate', formatPercent(m.fpr, 2)),
    metricRow('Accuracy', formatPercent(m.accuracy, 2), `baseline (all negative) ${formatPercent(m.baselineAccuracy, 2)}`),
    metricRow('Attackers / normal', `${formatNumber(m.positives)} / ${formatNumber(m.negatives)}`),
  ];
  if (m.positives === 0) return rates;
  return [
    metricRow('Recall at FPR ≤ 5%', formatPercent(m.recallAtFpr5), `at threshold ${formatNumber(m.thresholdAtFpr5, 4)}`),
    metricRow('ROC AUC', m.rocAuc === null ? 'n/a' : formatNumber(m.rocAuc, 4), m.rocAuc === null ? 'one class only' : undefined),
    metricRow('PR AUC', formatNumber(m.prAuc, 4)),
    metricRow('Precision', formatPercent(m.precision)),
    metricRow('Recall', formatPercent(m.recall)),
    metricRow('F1', formatNumber(m.f1, 4)),
    ...rates,
  ];
}

export function metricsSection(s: ScoreView, m: MetricsView): HTMLElement {
  const noAttackers = m.positives === 0;
  return el(
    'section',
    { class: 'metrics', 'aria-label': 'Metrics on the labelled sessions' },
    el('h2', {}, `Labelled sessions (${formatNumber(s.labelled)}${s.labelled < s.sessions ? ` of ${formatNumber(s.sessions)}` : ''})`),
    noAttackers ? el('p', { class: 'no-attackers', id: 'no-attackers', role: 'status' }, NO_ATTACKERS) : null,
    el(
      'div',
      { class: 'metrics-grid' },
      el(
        'div',
        {},
        confusionMatrixTable(s.title, m),
        noAttackers
          ? el('div', { class: 'readout' }, el('span', {}, `Threshold ${formatNumber(m.threshold, 4)}`), el('span', {}, `FPR ${formatPercent(m.fpr, 2)}`))
          : confusionReadout(m),
      ),
      el('table', { class: 'grid metrics-table' }, el('tbody', {}, ...metricRows(m))),
    ),
  );
}
