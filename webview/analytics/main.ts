/**
 * The CloudTrail analytics page: a title, summary lines and tables (unusual principal/IP pairs, activity spikes), every
 * value inserted as text; activity rows get a small SVG bar chart of the pair's counts per bucket with its band. The
 * view's job (which analysis, on which logs) is kept with setState, so that after a window reload the restored panel
 * can offer "Run Again".
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '../shared/base.css';
import './analytics.css';
import { el, replaceChildren, svg } from '../shared/dom';
import { post, setState, start } from '../shared/vscode-api';
import { parseHostMessage, type AnalyticsHostMessage, type AnalyticsJob, type AnalyticsView, type OpenLocationMessage, type SeriesView, type TableView } from './protocol';

const app = document.getElementById('app')!;

function spark(s: SeriesView): SVGElement {
  const w = 180;
  const h = 28;
  const n = Math.max(1, s.counts.length);
  const max = Math.max(1, s.upper, ...s.counts);
  const bw = w / n;
  const y = (v: number) => h - (v / max) * (h - 2);
  const bars = s.counts.map((c, i) =>
    c > 0 ? svg('rect', { class: c > s.upper ? 'bar above' : 'bar', x: (i * bw).toFixed(2), y: y(c).toFixed(2), width: Math.max(0.8, bw - 0.3).toFixed(2), height: (h - y(c)).toFixed(2) }) : null,
  );
  return svg(
    'svg',
    { class: 'spark', width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: 'img', 'aria-label': `calls per bucket, band up to ${s.upper.toFixed(1)}` },
    svg('rect', { class: 'baseline-area', x: 0, y: 0, width: (s.scoredFrom * bw).toFixed(2), height: h }),
    ...bars,
    svg('line', { class: 'band', x1: 0, x2: w, y1: y(s.upper).toFixed(2), y2: y(s.upper).toFixed(2) }),
  );
}

/** The "Over time" column goes right after the score (else last), so the chart shows without scrolling sideways. */
function withSeries<T>(cells: T[], t: TableView, series: T): T[] {
  if (!t.series) return cells;
  const at = t.scoreColumn !== undefined ? t.scoreColumn + 1 : cells.length;
  return [...cells.slice(0, at), series, ...cells.slice(at)];
}

function table(t: TableView, index: number): HTMLElement {
  const kind = (j: number) => t.kinds?.[j] ?? 'text';
  const head = el('tr', {}, ...withSeries(t.columns.map((c, j) => el('th', { scope: 'col', class: kind(j) }, c)), t, el('th', { scope: 'col' }, 'Over time')));
  const body = t.rows.map((r, i) => {
    const score = t.scoreColumn !== undefined ? Number(r[t.scoreColumn]) : NaN;
    const loc = t.locations?.[i];
    const tds = r.map((cell, j) => {
      if (j === t.scoreColumn) return el('td', { class: 'score' }, el('meter', { min: 0, max: 1, value: Number.isFinite(score) ? score : 0 }), cell);
      // Long identifiers (ARNs, event sources) lose their beginning, not their end: `...user/ci-deploy` (CSS: td.tail);
      // figures are right-aligned (td.num), other text wraps (td.text).
      const text = el('span', { dir: 'ltr' }, cell);
      if (j === 0 && loc) return el('td', { class: kind(j), title: cell }, el('a', { class: 'location', title: `${loc.file}:${loc.line}`, onclick: () => post({ type: 'openLocation', table: index, row: i } as OpenLocationMessage) }, text));
      return el('td', { class: kind(j), title: kind(j) === 'num' ? undefined : cell }, kind(j) === 'tail' ? text : cell);
    });
    const s = t.series?.[i];
    return el('tr', { class: score > 0.2 ? 'high' : undefined }, ...withSeries(tds, t, el('td', { class: 'series' }, s ? spark(s) : '')));
  });
  return el(
    'section',
    { class: 'analytics-table' },
    el('h2', {}, t.caption),
    el('div', { class: 'table-wrap' }, el('table', { class: 'analytics', 'aria-label': t.caption }, el('thead', {}, head), el('tbody', {}, ...body))),
  );
}

function render(v: AnalyticsView): void {
  replaceChildren(app, el('header', {}, el('h1', {}, v.title)), el('div', { class: 'summary' }, ...v.summary.map((s) => el('span', {}, s))), ...v.tables.map((t, i) => table(t, i)));
}

function showEmpty(message: string, canRerun: boolean): void {
  const again = el('vscode-button', { id: 'rerun' }, 'Run Again');
  again.addEventListener('click', () => {
    again.setAttribute('disabled', '');
    post({ type: 'rerun' });
  });
  replaceChildren(app, el('p', { class: 'muted', id: 'empty-message' }, message), canRerun ? again : null);
}

function handle(m: AnalyticsHostMessage): void {
  if (m.type === 'empty') {
    showEmpty(m.message, m.canRerun);
    return;
  }
  if (m.view.job) setState<{ job: AnalyticsJob }>({ job: m.view.job });
  render(m.view);
}

replaceChildren(app, el('p', { class: 'muted' }, 'Analysing…'));
start(parseHostMessage, handle);
