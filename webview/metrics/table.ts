/**
 * The comparison table: one row per run, sortable by any column (header buttons, keyboard included), then the all-negative
 * baseline and the seed's target as fixed rows. Rows meeting the target are marked. Every value is text.
 */
import { el, formatDuration, formatNumber, formatPercent } from '../shared/dom';
import type { MetricsSummary } from '../../src/core/experiments/run-record';
import type { EvaluationSet, ExperimentView, RunView } from './protocol';

export type SortDir = 'asc' | 'desc';

interface Column {
  key: string;
  label: string;
  title: string;
  value(r: RunView, m: MetricsSummary | undefined): number | string | undefined;
  format(m: MetricsSummary | undefined, r?: RunView): string;
  numeric: boolean;
}

const metric = (key: keyof MetricsSummary, label: string, title: string, kind: 'rate' | 'score' | 'count'): Column => ({
  key,
  label,
  title,
  numeric: true,
  value: (_r, m) => (m ? (m[key] ?? undefined) : undefined),
  format: (m) => {
    const v = m?.[key];
    if (v === undefined || v === null) return '–';
    return kind === 'rate' ? formatPercent(v) : kind === 'score' ? v.toFixed(3) : formatNumber(v);
  },
});

const TARGET_KEY = 'target';

export const COLUMNS: Column[] = [
  { key: 'variant', label: 'Variant', title: 'Variant (how sessions were truncated)', numeric: false, value: (r) => r.variant, format: () => '' },
  { key: 'status', label: 'Status', title: 'Run status', numeric: false, value: (r) => r.status, format: () => '' },
  metric('precision', 'Precision', 'Flagged sessions that are attacks (at the run threshold)', 'rate'),
  metric('recall', 'Recall', 'Attack sessions flagged (at the run threshold)', 'rate'),
  metric('f1', 'F1', 'Harmonic mean of precision and recall', 'score'),
  metric('rocAuc', 'ROC AUC', 'Area under the ROC curve', 'score'),
  metric('prAuc', 'PR AUC', 'Area under the precision-recall curve (average precision)', 'score'),
  metric('recallAtFpr5', 'Recall @ FPR 5%', 'Highest recall with at most 5% false positives: the seed\'s target measure', 'rate'),
  // The verdict next to the figure it judges, so it shows without scrolling; it sorts by that figure (met runs first).
  { key: TARGET_KEY, label: 'Target', title: 'Meets the seed\'s target (recall at FPR 5%)', numeric: false, value: (_r, m) => m?.recallAtFpr5, format: () => '' },
  metric('tp', 'TP', 'True positives: attack sessions flagged', 'count'),
  metric('fp', 'FP', 'False positives: normal sessions flagged', 'count'),
  metric('tn', 'TN', 'True negatives', 'count'),
  metric('fn', 'FN', 'False negatives: attack sessions missed', 'count'),
  { key: 'trainingSeconds', label: 'Training', title: 'Training time', numeric: true, value: (r) => r.trainingSeconds, format: (_m, r) => formatDuration(r?.trainingSeconds) },
];

export interface TableProps {
  experiment: ExperimentView;
  set: EvaluationSet;
  sortKey: string;
  sortDir: SortDir;
  selected: ReadonlySet<string>;
  focus: string | undefined;
  onSort(key: string): void;
  onToggle(runId: string): void;
  onFocus(runId: string): void;
  onOpenLog(runId: string): void;
}

export function sortRuns(runs: readonly RunView[], set: EvaluationSet, key: string, dir: SortDir): RunView[] {
  const col = COLUMNS.find((c) => c.key === key);
  if (!col) return [...runs];
  const sign = dir === 'asc' ? 1 : -1;
  return [...runs].sort((a, b) => {
    const va = col.value(a, a[set]);
    const vb = col.value(b, b[set]);
    if (va === undefined && vb === undefined) return 0;
    if (va === undefined) return 1; // missing values last, whatever the direction
    if (vb === undefined) return -1;
    return (typeof va === 'number' && typeof vb === 'number' ? va - vb : String(va).localeCompare(String(vb))) * sign;
  });
}

function statusCell(r: RunView, onOpenLog: (id: string) => void): HTMLElement {
  const td = el('td', { class: `status status-${r.status}` });
  if (r.status === 'running' || r.status === 'queued') {
    const pct = r.fraction !== undefined ? ` ${Math.round(r.fraction * 100)}%` : '';
    td.append(`${r.phase ?? r.status}${pct}`);
    if (r.fraction !== undefined) td.append(el('progress', { max: 1, value: r.fraction, 'aria-label': `${r.variant} progress` }));
    return td;
  }
  td.append(r.status);
  if (r.error) {
    td.setAttribute('title', r.error);
    td.append(' ', el('button', { class: 'link', type: 'button', onclick: (e: Event) => (e.stopPropagation(), onOpenLog(r.id)), 'aria-label': `Show the log of ${r.variant}` }, 'log'));
  }
  return td;
}

function targetMet(m: MetricsSummary | undefined, target: ExperimentView['target']): boolean {
  return m !== undefined && m.recallAtFpr5 >= target.recall;
}

export function comparisonTable(p: TableProps): HTMLTableElement {
  const { experiment: x, set } = p;
  const head = el('tr', {}, el('th', { scope: 'col', class: 'select' }, el('span', { class: 'visually-hidden' }, 'Show in charts')));
  for (const c of COLUMNS) {
    const active = p.sortKey === c.key;
    const th = el('th', { scope: 'col', class: c.numeric ? 'num' : undefined, 'aria-sort': active ? (p.sortDir === 'asc' ? 'ascending' : 'descending') : 'none' });
    const title = c.key === TARGET_KEY ? `Recall >= ${formatPercent(x.target.recall, 0)} at FPR <= ${formatPercent(x.target.fpr, 0)}` : c.title;
    th.append(el('button', { type: 'button', class: 'sort', title: `${title}. Sort by ${c.label}`, 'data-focus-key': `sort-${c.key}`, onclick: () => p.onSort(c.key) }, c.label, el('span', { class: 'sort-mark', 'aria-hidden': 'true' }, active ? (p.sortDir === 'asc' ? ' ▲' : ' ▼') : '')));
    head.append(th);
  }

  const body = el('tbody');
  const manyLaunches = new Set(x.runs.map((r) => r.launchId)).size > 1;
  for (const r of sortRuns(x.runs, set, p.sortKey, p.sortDir)) {
    const m = r[set];
    const met = targetMet(m, x.target);
    const row = el('tr', {
      class: [p.focus === r.id ? 'selected' : '', met ? 'meets-target' : ''].filter(Boolean).join(' ') || undefined,
      tabindex: 0,
      'data-run-id': r.id,
      'data-focus-key': `row-${r.id}`,
      'aria-selected': p.focus === r.id ? 'true' : 'false',
      title: `${r.variant} (${r.variantSpec}), launch ${r.launchId}: Enter shows its details, Space adds it to the charts`,
      onclick: () => p.onFocus(r.id),
      onkeydown: (e: Event) => {
        if (e.target !== e.currentTarget) return; // keys on the checkbox or the log button act on those
        const k = (e as KeyboardEvent).key;
        if (k === 'Enter') p.onFocus(r.id);
        else if (k === ' ') {
          e.preventDefault();
          p.onToggle(r.id);
        } else return;
      },
    });
    const box = el('input', { type: 'checkbox', 'aria-label': `Show ${r.variant} in the charts`, 'data-focus-key': `check-${r.id}`, disabled: r.status !== 'completed', onclick: (e: Event) => e.stopPropagation(), onchange: () => p.onToggle(r.id) });
    box.checked = p.selected.has(r.id);
    row.append(el('td', { class: 'select' }, box));
    row.append(el('th', { scope: 'row', class: 'variant' }, r.variant, manyLaunches ? el('span', { class: 'muted launch' }, ` ${r.launchId}`) : null));
    row.append(statusCell(r, p.onOpenLog));
    for (const c of COLUMNS.slice(2)) {
      if (c.key === TARGET_KEY) row.append(el('td', { class: 'target-cell' }, met ? el('span', { class: 'badge-met', title: 'Meets the target' }, '✓ met') : m ? el('span', { class: 'muted' }, 'no') : '–'));
      else row.append(el('td', { class: `num${c.key === 'recallAtFpr5' && met ? ' met' : ''}` }, c.format(m, r)));
    }
    body.append(row);
  }
  if (x.runs.length === 0) body.append(el('tr', {}, el('td', { colspan: COLUMNS.length + 1, class: 'muted' }, 'No runs yet.')));

  const foot = el('tfoot');
  const b = x.baseline[set];
  const baseRow = el('tr', { class: 'baseline-row' }, el('td', { class: 'select' }), el('th', { scope: 'row' }, 'Baseline (all negative)'), el('td', { class: 'muted' }, 'flags nothing'));
  for (const c of COLUMNS.slice(2)) {
    if (c.key === TARGET_KEY) baseRow.append(el('td', { class: 'muted' }, 'no'));
    else if (c.key === 'trainingSeconds') baseRow.append(el('td'));
    else baseRow.append(el('td', { class: 'num' }, b ? c.format(b) : '–'));
  }
  const targetRow = el('tr', { class: 'target-row' }, el('td', { class: 'select' }), el('th', { scope: 'row' }, 'Target (seed)'), el('td', { class: 'muted' }, `recall ≥ ${formatPercent(x.target.recall, 0)} at FPR ≤ ${formatPercent(x.target.fpr, 0)}`));
  for (const c of COLUMNS.slice(2)) targetRow.append(el('td', { class: c.numeric ? 'num' : undefined }, c.key === 'recallAtFpr5' ? `≥ ${formatPercent(x.target.recall, 1)}` : ''));
  foot.append(baseRow, targetRow);

  return el('table', { class: 'grid comparison', 'aria-label': `Comparison of runs on the ${set === 'test' ? 'test split' : 'evaluation files'}` }, el('thead', {}, head), body, foot);
}
