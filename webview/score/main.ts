/**
 * The score results page: header, warnings, flagged count and threshold, metrics when the logs carry labels, and the
 * ranked sessions a page at a time (search, flagged only, Export CSV). Rows arrive from the host on request; the page
 * keeps only the page it shows. UI choices (search, filter, page) and the job are kept with setState.
 */
import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '../shared/base.css';
import '../shared/confusion-matrix.css';
import './score.css';
import { el, formatNumber, replaceChildren } from '../shared/dom';
import { getState, post, setState, start } from '../shared/vscode-api';
import { header, metricsSection, thresholdControl, warnings } from './overview';
import { PAGE_SIZE, parseHostMessage, type RowsQuery, type ScoreHostMessage, type ScorePageMessage, type ScoreView, type SessionRowView } from './protocol';
import { sessionTable } from './session-table';

interface PageState {
  job: ScoreView['job'];
  text: string;
  flaggedOnly: boolean;
  start: number;
}

const send = (m: ScorePageMessage) => post(m);
const saved = getState<PageState>();
const ui = {
  text: typeof saved.text === 'string' ? saved.text.slice(0, 200) : '',
  flaggedOnly: saved.flaggedOnly === true,
  start: typeof saved.start === 'number' && Number.isInteger(saved.start) && saved.start >= 0 ? saved.start : 0,
};
let view: ScoreView | undefined;
let rows: { start: number; total: number; rows: SessionRowView[] } | undefined;
const app = document.getElementById('app')!;

const save = () => setState<PageState>({ job: view?.job ?? saved.job, text: ui.text, flaggedOnly: ui.flaggedOnly, start: ui.start });
const query = (): RowsQuery => ({ text: ui.text, flaggedOnly: ui.flaggedOnly });

function requestRows(): void {
  if (!view) return;
  send({ type: 'getRows', generation: view.generation, query: query(), start: ui.start, count: PAGE_SIZE });
}

// ---- the sessions section: built once per state, its table replaced per page ----

const status = el('span', { class: 'muted', id: 'rows-status', role: 'status' });
const tableHost = el('div', { class: 'table-wrap' });
const prev = el('vscode-button', { secondary: true, id: 'prev-page', title: 'Previous page' }, 'Previous');
const next = el('vscode-button', { secondary: true, id: 'next-page', title: 'Next page' }, 'Next');
prev.addEventListener('click', () => goTo(ui.start - PAGE_SIZE));
next.addEventListener('click', () => goTo(ui.start + PAGE_SIZE));

function goTo(startAt: number): void {
  const total = rows?.total ?? 0;
  ui.start = Math.max(0, Math.min(startAt, Math.max(0, total - 1) - (Math.max(0, total - 1) % PAGE_SIZE)));
  save();
  requestRows();
}

const search = el('vscode-textfield', { id: 'search', placeholder: 'Search session ids and event types', 'aria-label': 'Search session ids and event types', value: ui.text }) as HTMLElement & { value: string };
let searchTimer: ReturnType<typeof setTimeout> | undefined;
search.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => {
    ui.text = String(search.value ?? '').slice(0, 200);
    ui.start = 0;
    save();
    requestRows();
  }, 200);
});
const flaggedOnly = el('vscode-checkbox', { id: 'flagged-only', checked: ui.flaggedOnly }, 'Flagged only') as HTMLElement & { checked: boolean };
flaggedOnly.addEventListener('change', () => {
  ui.flaggedOnly = Boolean(flaggedOnly.checked);
  ui.start = 0;
  save();
  requestRows();
});
const exportButton = el('vscode-button', { id: 'export-csv', icon: 'desktop-download', title: 'Write every scored session (rank order) to a CSV file' }, 'Export CSV');
exportButton.addEventListener('click', () => send({ type: 'exportCsv' }));

function renderRows(): void {
  if (!view || !rows) return;
  const { start: s, total } = rows;
  status.textContent = total === 0 ? (ui.text ? 'No session matches the search.' : 'No session is flagged at this threshold.') : `${formatNumber(s + 1)}–${formatNumber(s + rows.rows.length)} of ${formatNumber(total)}${ui.flaggedOnly ? ' flagged' : ''} sessions`;
  prev.toggleAttribute('disabled', s === 0);
  next.toggleAttribute('disabled', s + rows.rows.length >= total);
  const v = view;
  replaceChildren(tableHost, sessionTable(rows.rows, { canOpenLines: v.canOpenLines, hasLabels: v.labelled > 0, openSession: (index) => send({ type: 'openSession', index }) }));
}

function render(): void {
  if (!view) return;
  const v = view;
  const sessions = el(
    'section',
    { class: 'sessions' },
    el('h2', {}, 'Sessions by attack probability'),
    el('div', { class: 'toolbar' }, search, flaggedOnly, exportButton, status, prev, next),
    tableHost,
    v.scoresCsv ? el('div', { class: 'muted csv-note' }, `Scores CSV: ${v.scoresCsv}`) : null,
  );
  replaceChildren(app, header(v), warnings(v), thresholdControl(v, (t) => send({ type: 'setThreshold', value: t })), v.metrics ? metricsSection(v, v.metrics) : null, sessions);
  renderRows();
}

function showEmpty(message: string, canRescore: boolean): void {
  view = undefined;
  rows = undefined;
  const again = el('vscode-button', { id: 'rescore' }, 'Score Again');
  again.addEventListener('click', () => send({ type: 'rescore' }));
  replaceChildren(app, el('p', { class: 'muted', id: 'empty-message' }, message), canRescore ? again : null);
}

function handle(msg: ScoreHostMessage): void {
  switch (msg.type) {
    case 'state': {
      const first = !view;
      view = msg.state;
      save();
      render();
      if (!first) ui.start = Math.min(ui.start, Math.max(0, (rows?.total ?? 0) - 1));
      requestRows();
      return;
    }
    case 'rows':
      if (!view || msg.generation !== view.generation || msg.query.text !== ui.text || msg.query.flaggedOnly !== ui.flaggedOnly || msg.start !== ui.start) return;
      if (msg.rows.length === 0 && msg.total > 0 && msg.start > 0) {
        goTo(0);
        return;
      }
      rows = { start: msg.start, total: msg.total, rows: msg.rows };
      renderRows();
      return;
    case 'empty':
      showEmpty(msg.message, msg.canRescore);
      return;
  }
}

replaceChildren(app, el('p', { class: 'muted' }, 'Loading scores…'));
start(parseHostMessage, handle);
