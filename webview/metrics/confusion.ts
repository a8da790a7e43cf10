/**
 * The confusion matrix of one run at a threshold chosen with a slider over the downsampled curve: every point carries
 * (threshold, tp, fp), so the matrix at that point is exact without any raw score in the page.
 */
import { el, formatNumber, formatPercent } from '../shared/dom';
import { ratesOf } from '../../src/core/metrics/confusion';
import type { CurveView, Summary } from './protocol';

export type Confusion = Pick<Summary, 'threshold' | 'tp' | 'fp' | 'tn' | 'fn' | 'precision' | 'recall' | 'fpr' | 'f1'>;

const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);

/** The matrix and rates at a point of the sweep (the trainer's own rate definitions, zero_division = 0). */
export function confusionAtPoint(curve: CurveView, index: number): Confusion {
  const [threshold, tp, fp] = curve.points[Math.max(0, Math.min(curve.points.length - 1, index))];
  return { threshold, ...ratesOf({ tp, fp, tn: curve.negatives - fp, fn: curve.positives - tp }) };
}

/** Index of the point that flags exactly the sessions scoring >= `threshold` (the smallest threshold >= it). */
export function indexAtThreshold(curve: CurveView, threshold: number): number {
  let k = 0;
  curve.points.forEach((p, i) => {
    if (p[0] >= threshold) k = i;
  });
  return k;
}

export interface ConfusionProps {
  variant: string;
  curve: CurveView;
  index: number;
  runThreshold: number;
  thresholdAtFpr5: number;
  onIndex(index: number): void;
}

function cell(label: string, count: number, of: number, cls: string): HTMLElement {
  return el('td', { class: `cm-cell ${cls}` }, el('div', { class: 'cm-count' }, formatNumber(count)), el('div', { class: 'cm-label muted' }, `${label} · ${formatPercent(ratio(count, of))}`));
}

function matrixTable(variant: string, curve: CurveView, c: Confusion): HTMLElement {
  const P = curve.positives;
  const N = curve.negatives;
  return el(
    'table',
    { class: 'confusion', 'aria-label': `Confusion matrix of ${variant} at threshold ${formatNumber(c.threshold, 4)}` },
    el('thead', {}, el('tr', {}, el('td'), el('th', { scope: 'col' }, 'Flagged'), el('th', { scope: 'col' }, 'Not flagged'))),
    el('tbody', {}, el('tr', {}, el('th', { scope: 'row' }, `Attacker (${formatNumber(P)})`), cell('TP', c.tp, P, 'tp'), cell('FN', c.fn, P, 'fn')), el('tr', {}, el('th', { scope: 'row' }, `Normal (${formatNumber(N)})`), cell('FP', c.fp, N, 'fp'), cell('TN', c.tn, N, 'tn'))),
  );
}

function readoutOf(c: Confusion): HTMLElement {
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

const valueText = (c: Confusion) => `threshold ${formatNumber(c.threshold, 4)}, recall ${formatPercent(c.recall)}, false positive rate ${formatPercent(c.fpr)}`;

/**
 * The matrix, the slider and its readout. Moving the slider updates the matrix in place (the slider element stays, so a
 * drag is never interrupted); `onIndex` only records the position.
 */
export function confusionPanel(p: ConfusionProps): HTMLElement {
  let c = confusionAtPoint(p.curve, p.index);
  let matrix = matrixTable(p.variant, p.curve, c);
  let readout = readoutOf(c);
  const slider = el('input', {
    type: 'range',
    id: 'threshold-slider',
    min: 0,
    max: Math.max(0, p.curve.points.length - 1),
    step: 1,
    value: p.index,
    'data-focus-key': 'threshold-slider',
    'aria-label': 'Decision threshold (left: strict, right: flags more sessions)',
    'aria-valuetext': valueText(c),
  });
  const update = (index: number) => {
    c = confusionAtPoint(p.curve, index);
    const m = matrixTable(p.variant, p.curve, c);
    const r = readoutOf(c);
    matrix.replaceWith(m);
    readout.replaceWith(r);
    matrix = m;
    readout = r;
    slider.setAttribute('aria-valuetext', valueText(c));
    p.onIndex(index);
  };
  slider.addEventListener('input', () => update(Number(slider.value)));
  const snap = (label: string, key: string, t: number) =>
    el('vscode-button', { secondary: true, 'data-focus-key': `snap-${key}`, onclick: () => {
      const i = indexAtThreshold(p.curve, t);
      slider.value = String(i);
      update(i);
    } }, label);
  return el(
    'div',
    { class: 'confusion-panel' },
    matrix,
    el('div', { class: 'slider' }, el('label', { for: 'threshold-slider' }, 'Threshold'), slider),
    readout,
    el('div', { class: 'toolbar' }, snap(`Run threshold ${formatNumber(p.runThreshold, 2)}`, 'run', p.runThreshold), snap('FPR ≤ 5% point', 'fpr5', p.thresholdAtFpr5)),
  );
}
