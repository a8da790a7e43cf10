/**
 * The query results page: a toolbar (status, Cancel, filter, copy, Export CSV, Flatten these events, History), the
 * engine's error with a link to the failing line, and the virtualised grid. Data arrives as windows of rows; every
 * value is shown as text.
 */
import '../shared/base.css';
import './query.css';
import { el, replaceChildren, formatDuration } from '../shared/dom';
import { getState, post, setState, start } from '../shared/vscode-api';
import { Grid } from './grid';
import { parseHostMessage, type HistoryEntry, type QueryHostMessage, type QueryPageMessage, type ResultState } from './protocol';

interface PageState {
  widths: Record<string, number>;
  showHistory: boolean;
}

const send = (m: QueryPageMessage) => post(m);
const saved = getState<PageState>();

function button(label: string, title: string, onclick: () => void, icon?: string): HTMLButtonElement {
  // The label hides (icon only) when the toolbar is narrow; aria-label keeps the button's name.
  const b = el('button', { class: 'btn', title, type: 'button', 'aria-label': label }, icon ? el('span', { class: `codicon codicon-${icon}` }) : null, el('span', { class: icon ? 'btn-label' : '' }, label));
  b.addEventListener('click', onclick);
  return b;
}

const status = el('span', { class: 'status', role: 'status', 'aria-live': 'polite' });
const cancelBtn = button('Cancel', 'Cancel the running query (Athena: StopQueryExecution)', () => send({ type: 'cancel' }), 'debug-stop');
const filter = el('input', { class: 'filter', type: 'search', placeholder: 'Filter rows', 'aria-label': 'Filter rows' });
const copyCell = button('Copy cell', 'Copy the selected cell (Ctrl+C)', () => grid.selection && send({ type: 'copy', what: 'cell', row: grid.selection.row, column: grid.selection.column }), 'copy');
const copyRow = button('Copy row', 'Copy the selected row as JSON (Ctrl+Shift+C)', () => grid.selection && send({ type: 'copy', what: 'row', row: grid.selection.row, column: grid.selection.column }), 'json');
const exportBtn = button('Export CSV', 'Write the whole result to a CSV file (not just the rows shown)', () => send({ type: 'exportCsv' }), 'desktop-download');
const flattenBtn = button('Flatten these events', 'Export the result and flatten it into one row per principal session (principal, time and event columns)', () => send({ type: 'flatten' }), 'table');
const historyBtn = button('History', 'Show the last 100 queries', () => toggleHistory(), 'history');
const toolbar = el('div', { class: 'toolbar' }, status, cancelBtn, filter, copyCell, copyRow, exportBtn, flattenBtn, historyBtn);
const errorBox = el('div', { class: 'error-box', role: 'alert' });
const summary = el('div', { class: 'summary muted' });
const gridHost = el('div', { class: 'grid-host' });
const historyList = el('div', { class: 'history' });
const body = el('div', { class: 'body' }, gridHost, historyList);
replaceChildren(document.getElementById('app')!, toolbar, errorBox, summary, body);

let filterTimer: ReturnType<typeof setTimeout> | undefined;
filter.addEventListener('input', () => {
  clearTimeout(filterTimer);
  filterTimer = setTimeout(() => send({ type: 'filter', text: filter.value }), 250);
});

const grid = new Grid(
  gridHost,
  {
    requestRows: (generation, startRow, count) => send({ type: 'getRows', generation, start: startRow, count }),
    sort: (column, direction) => send({ type: 'sort', column, direction }),
    selectionChanged: (sel) => {
      copyCell.disabled = !sel;
      copyRow.disabled = !sel;
    },
    widthsChanged: (widths) => setState<PageState>({ widths }),
    copy: (what, row, column) => send({ type: 'copy', what, row, column }),
  },
  saved.widths ?? {},
);
copyCell.disabled = true;
copyRow.disabled = true;

let showHistory = false;
function setHistory(show: boolean): void {
  if (show === showHistory) return;
  showHistory = show;
  setState<PageState>({ showHistory });
  historyList.hidden = !show;
  historyBtn.classList.toggle('active', show);
  historyBtn.setAttribute('aria-pressed', String(show));
}
function toggleHistory(): void {
  setHistory(!showHistory);
}
historyList.hidden = true;
setHistory(saved.showHistory ?? false);
/** A query starting or its result arriving closes the history, so the new result is in view. */
let wasRunning: boolean | undefined;

function renderHistory(entries: HistoryEntry[], running: boolean): void {
  const items = entries.map((h) => {
    const first = h.sql.split('\n').find((l) => l.trim() && !l.trim().startsWith('--')) ?? h.sql;
    const meta = [new Date(h.at).toLocaleString(), h.engine === 'athena' ? 'Athena' : 'DuckDB', h.source, h.status, h.rows !== undefined ? `${h.rows.toLocaleString('en-US')} row${h.rows === 1 ? '' : 's'}` : '', h.elapsedMs !== undefined ? formatDuration(h.elapsedMs / 1000) : '']
      .filter(Boolean)
      .join(' · ');
    const again = button('Run again', 'Run this query again', () => {
      setHistory(false);
      send({ type: 'rerun', id: h.id });
    }, 'debug-restart');
    again.disabled = running;
    return el('div', { class: `hitem ${h.status}` }, el('div', { class: 'hsql mono', title: h.sql.slice(0, 4000) }, first.trim().slice(0, 300)), el('div', { class: 'hmeta muted' }, meta), again);
  });
  replaceChildren(historyList, el('h3', {}, 'Query history'), ...(items.length ? items : [el('div', { class: 'muted' }, 'No queries yet.')]));
}

function renderState(s: ResultState): void {
  document.title = s.title;
  // The toolbar says only what is happening now; the row count (and the filter's match count) is in the summary line.
  status.textContent = s.running ? (s.progress ?? 'Running…') : s.error ? 'Failed' : '';
  status.title = status.textContent;
  status.hidden = !status.textContent;
  status.classList.toggle('running', s.running);
  if (wasRunning !== undefined && wasRunning !== s.running) setHistory(false);
  wasRunning = s.running;
  cancelBtn.hidden = !s.running;
  exportBtn.disabled = !s.canExport;
  flattenBtn.disabled = !s.canFlatten;
  flattenBtn.title = s.canFlatten
    ? 'Export the result and flatten it into one row per principal session'
    : 'Needs a finished result with principal, time and event columns (e.g. arn, eventtime, eventname)';
  if (document.activeElement !== filter && filter.value !== s.filter) filter.value = s.filter;
  if (s.error) {
    const where = s.error.line ? el('a', { href: '#', class: 'goto' }, s.error.file ? `Go to line ${s.error.line}` : `line ${s.error.line}`) : null;
    where?.addEventListener('click', (e) => {
      e.preventDefault();
      send({ type: 'openSource' });
    });
    replaceChildren(errorBox, el('pre', { class: 'error-text' }, s.error.message), where);
    errorBox.hidden = false;
  } else {
    errorBox.hidden = true;
  }
  summary.textContent = s.summary ?? '';
  summary.hidden = !s.summary;
  grid.setData(s.columns, s.total, s.generation, s.sort);
  renderHistory(s.history, s.running);
}

start<QueryHostMessage>(parseHostMessage, (msg) => {
  if (msg.type === 'state') renderState(msg);
  else grid.receiveRows(msg.generation, msg.start, msg.rows);
});
