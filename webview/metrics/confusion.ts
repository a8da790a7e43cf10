/**
 * The confusion matrix of one run at a threshold chosen with a slider over the downsampled curve: every point carries
 * (threshold, tp, fp), so the matrix at that point is exact without any raw score in the page.
 */
import { el, formatNumber, formatPercent } from '../shared/dom';
import { ratesOf } from '../../src/core/metrics/confusion';
import { confusionMatrixTable, confusionReadout } from '../shared/confusion-matrix';
import type { MetricsSummary } from '../../src/core/experiments/run-record';
import type { CurveView } from './protocol';

export type Confusion = Pick<MetricsSummary, 'threshold' | 'tp' | 'fp' | 'tn' | 'fn' | 'precision' | 'recall' | 'fpr' | 'f1'>;

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

const valueText = (c: Confusion) => `threshold ${formatNumber(c.threshold, 4)}, recall ${formatPercent(c.recall)}, false positive rate ${formatPercent(c.fpr)}`;

/**
 * The matrix, the slider and its readout. Moving the slider updates the matrix in place (the slider element stays, so a
 * drag is never interrupted); `onIndex` only records the position.
 */
export function confusionPanel(p: ConfusionProps): HTMLElement {
  let c = confusionAtPoint(p.curve, p.index);
  let matrix = confusionMatrixTable(p.variant, c);
  let readout = confusionReadout(c);
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
    const m = confusionMatrixTable(p.variant, c);
    const r = confusionReadout(c);
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
