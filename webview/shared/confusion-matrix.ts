/**
 * The confusion matrix and its one-line readout, as every SecML panel shows them (metrics panel, score results):
 * attackers and normal sessions against flagged and not flagged, each cell with its count and share of its row.
 * Import `./confusion-matrix.css` with it.
 */
import type { ConfusionRates } from '../../src/core/metrics/confusion';
import { el, formatNumber, formatPercent } from './dom';

/** What the matrix and readout show: the counts and rates at one threshold. */
export type ConfusionCounts = Pick<ConfusionRates, 'tp' | 'fp' | 'tn' | 'fn' | 'precision' | 'recall' | 'fpr' | 'f1'> & { threshold: number };

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

function cell(label: string, count: number, of: number, cls: string): HTMLElement {
  return el('td', { class: `cm-cell ${cls}` }, el('div', { class: 'cm-count' }, formatNumber(count)), el('div', { class: 'cm-label muted' }, `${label} · ${formatPercent(ratio(count, of))}`));
}

/** `name` says whose matrix it is (for screen readers): a run's variant, a scored file. */
export function confusionMatrixTable(name: string, c: ConfusionCounts): HTMLElement {
  const P = c.tp + c.fn;
  const N = c.fp + c.tn;
  return el(
    'table',
    { class: 'confusion', 'aria-label': `Confusion matrix of ${name} at threshold ${formatNumber(c.threshold, 4)}` },
    el('thead', {}, el('tr', {}, el('td'), el('th', { scope: 'col' }, 'Flagged'), el('th', { scope: 'col' }, 'Not flagged'))),
    el('tbody', {}, el('tr', {}, el('th', { scope: 'row' }, `Attacker (${formatNumber(P)})`), cell('TP', c.tp, P, 'tp'), cell('FN', c.fn, P, 'fn')), el('tr', {}, el('th', { scope: 'row' }, `Normal (${formatNumber(N)})`), cell('FP', c.fp, N, 'fp'), cell('TN', c.tn, N, 'tn'))),
  );
}

export function confusionReadout(c: ConfusionCounts): HTMLElement {
  return el(
    'div',
    { class: 'readout', 'aria-live': 'polite' },
    el('span', {}, `Threshold ${formatNumber(c.threshold, 4)}`),
    el('span', {}, `precision ${formatPercent(c.precision)}`),
    el('span', {}, `recall ${formatPercent(c.recall)}`),
    el('span', {}, `FPR ${formatPercent(c.fpr, 2)}`),
    el('span', {}, `F1 ${formatNumber(c.f1, 3)}`),
  );
}
