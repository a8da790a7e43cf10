/**
 * Messages between the query results page and its host (src/extension/panels/query-panel.ts). The page never holds the
 * whole result: it asks for windows of rows (`getRows`) as the grid scrolls; sorting, filtering, copying and export
 * happen in the host. Both sides validate what they receive.
 */
import { check, isObject, type Message } from '../shared/protocol';

export type CellValue = string | number | boolean | null | CellValue[] | { [key: string]: CellValue };

export interface GridColumn {
  name: string;
  type: string;
}

export interface HistoryEntry {
  id: string;
  /** ms since the epoch. */
  at: number;
  engine: 'duckdb' | 'athena';
  sql: string;
  /** Where it came from, e.g. `hunt.sql:12`. */
  source?: string;
  status: 'running' | 'succeeded' | 'failed' | 'cancelled';
  rows?: number;
  elapsedMs?: number;
}

export interface QueryError {
  message: string;
  /** The file and line the message points at (a "Go to line" link). */
  file?: string;
  line?: number;
}

export interface ResultState {
  type: 'state';
  /** Changes whenever the rows the page may have cached are no longer valid (new result, sort, filter). */
  generation: number;
  title: string;
  engine?: 'duckdb' | 'athena';
  running: boolean;
  progress?: string;
  columns: GridColumn[];
  /** Rows in the current view (after the filter). */
  total: number;
  /** Rows held by the host (before the filter). */
  loaded: number;
  /** More rows exist than the grid holds (Export CSV writes them all). */
  truncated: boolean;
  sort?: { column: number; direction: 'asc' | 'desc' };
  filter: string;
  /** One line: rows, time, data scanned and cost. */
  summary?: string;
  error?: QueryError;
  /** "Flatten these events" is possible: the result has principal, time and event columns. */
  canFlatten: boolean;
  canExport: boolean;
  history: HistoryEntry[];
}

export interface RowsMessage {
  type: 'rows';
  generation: number;
  start: number;
  rows: CellValue[][];
}

export type QueryHostMessage = ResultState | RowsMessage;

export type QueryPageMessage =
  | { type: 'getRows'; generation: number; start: number; count: number }
  | { type: 'sort'; column: number; direction: 'asc' | 'desc' | 'none' }
  | { type: 'filter'; text: string }
  | { type: 'copy'; what: 'cell' | 'row'; row: number; column: number }
  | { type: 'exportCsv' }
  | { type: 'flatten' }
  | { type: 'cancel' }
  | { type: 'rerun'; id: string }
  | { type: 'openSource' };

/** Largest window of rows the page may ask for at once. */
export const MAX_WINDOW = 500;

/** Host side: validates a message from the page. */
export function parsePageMessage(v: unknown): QueryPageMessage | undefined {
  if (!isObject(v)) return undefined;
  switch (v.type) {
    case 'getRows':
      return check.int(v.generation) && check.int(v.start) && check.int(v.count, 1, MAX_WINDOW) ? { type: 'getRows', generation: v.generation, start: v.start, count: v.count } : undefined;
    case 'sort':
      return check.int(v.column, 0, 10_000) && check.oneOf(v.direction, ['asc', 'desc', 'none'] as const) ? { type: 'sort', column: v.column, direction: v.direction } : undefined;
    case 'filter':
      return check.string(v.text, 1000) ? { type: 'filter', text: v.text } : undefined;
    case 'copy':
      return check.oneOf(v.what, ['cell', 'row'] as const) && check.int(v.row) && check.int(v.column, 0, 10_000) ? { type: 'copy', what: v.what, row: v.row, column: v.column } : undefined;
    case 'rerun':
      return check.string(v.id, 100) ? { type: 'rerun', id: v.id } : undefined;
    case 'exportCsv':
    case 'flatten':
    case 'cancel':
    case 'openSource':
      return { type: v.type };
    default:
      return undefined;
  }
}

function isColumn(v: unknown): v is GridColumn {
  return isObject(v) && check.string(v.name, 10_000) && check.string(v.type, 100_000);
}

function isHistoryEntry(v: unknown): v is HistoryEntry {
  return (
    isObject(v) &&
    check.string(v.id, 100) &&
    check.number(v.at) &&
    check.oneOf(v.engine, ['duckdb', 'athena'] as const) &&
    check.string(v.sql, 1_000_000) &&
    check.oneOf(v.status, ['running', 'succeeded', 'failed', 'cancelled'] as const)
  );
}

/** Page side: validates a message from the host. */
export function parseHostMessage(v: unknown): QueryHostMessage | undefined {
  if (!isObject(v)) return undefined;
  if (v.type === 'rows') {
    return check.int(v.generation) && check.int(v.start) && Array.isArray(v.rows) && v.rows.every(Array.isArray) ? (v as unknown as RowsMessage) : undefined;
  }
  if (v.type === 'state') {
    const ok =
      check.int(v.generation) &&
      check.string(v.title, 1000) &&
      check.boolean(v.running) &&
      Array.isArray(v.columns) &&
      v.columns.every(isColumn) &&
      check.int(v.total) &&
      check.int(v.loaded) &&
      check.boolean(v.truncated) &&
      check.string(v.filter, 1000) &&
      check.boolean(v.canFlatten) &&
      check.boolean(v.canExport) &&
      Array.isArray(v.history) &&
      v.history.every(isHistoryEntry) &&
      (v.error === undefined || (isObject(v.error) && check.string(v.error.message, 100_000)));
    return ok ? (v as unknown as ResultState) : undefined;
  }
  return undefined;
}

export type { Message };
