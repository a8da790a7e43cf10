/**
 * Messages of the CloudTrail analytics panel (unusual principal/IP pairs, activity over time). The host sends one
 * view: a title, summary lines and tables of text cells (at most MAX_ROWS rows each), where an activity row may carry
 * its series (counts per bucket and the band's upper edge) for a small SVG chart. The page sends `ready`, `openLocation`
 * (a pair's first event in its log file), naming the row by table and row index: the host opens only a location it
 * sent itself, never a path from the page; and `rerun` after a window reload, when the host has restored the panel
 * from the page's saved job (which analysis, on which logs) with an `empty` message instead of results.
 */
import { check, isObject, type Message } from '../shared/protocol';

export const MAX_ROWS = 500;
export const MAX_TABLES = 10;
export const MAX_POINTS = 2000;
/** Longest cell, caption and title: the host cuts log text (principals, API names) to these before sending. */
export const MAX_CELL = 2048;
export const MAX_CAPTION = 500;

export interface SeriesView {
  counts: number[];
  upper: number;
  /** Index of the first scored bucket (earlier ones are the baseline). */
  scoredFrom: number;
}

export interface TableView {
  caption: string;
  columns: string[];
  rows: string[][];
  /** Per row, optional: a chart of the row's activity. */
  series?: (SeriesView | null)[];
  /** Per row, optional: where the row's first event is (file, 1-based line). */
  locations?: ({ file: string; line: number } | null)[];
  /** Index of the score column, shown with a meter. */
  scoreColumn?: number;
  /**
   * Per column, how its cells show: `tail` (a long identifier losing its beginning: principal, API, address), `num`
   * (right-aligned figures), `text` (plain, may wrap). Default: `text`.
   */
  kinds?: ColumnKind[];
}

export type ColumnKind = 'tail' | 'num' | 'text';
const KINDS: readonly ColumnKind[] = ['tail', 'num', 'text'];

export const ANALYSES = ['pairs', 'activity', 'ipinsights'] as const;
export type AnalysisKind = (typeof ANALYSES)[number];
const MAX_LOGS = 100;

/** What produced a view: kept by the page (setState) so that the panel can offer to run it again after a reload. */
export interface AnalyticsJob {
  kind: AnalysisKind;
  /** The CloudTrail files and folders analysed (absolute paths). */
  logs: string[];
}

export function isAnalyticsJob(v: unknown): v is AnalyticsJob {
  return isObject(v) && check.oneOf(v.kind, ANALYSES) && check.stringArray(v.logs, MAX_LOGS) && (v.logs as string[]).length > 0 && (v.logs as string[]).every((l) => l.length > 0 && l.length <= 4096);
}

export interface AnalyticsView {
  title: string;
  job?: AnalyticsJob;
  summary: string[];
  tables: TableView[];
}

export interface ShowMessage extends Message {
  type: 'show';
  view: AnalyticsView;
}

export interface OpenLocationMessage extends Message {
  type: 'openLocation';
  /** Index of the table in the view, and of the row in the table. */
  table: number;
  row: number;
}

/** No results to show (after a reload): a message, and whether the page may offer to run the analysis again. */
export interface EmptyMessage extends Message {
  type: 'empty';
  message: string;
  canRerun: boolean;
}

export interface RerunMessage extends Message {
  type: 'rerun';
}

export type AnalyticsHostMessage = ShowMessage | EmptyMessage;
export type AnalyticsPageMessage = OpenLocationMessage | RerunMessage;

const cells = (v: unknown, width: number): v is string[] => check.stringArray(v, width) && (v as string[]).every((s) => s.length <= MAX_CELL);

function isSeries(v: unknown): v is SeriesView | null {
  if (v === null) return true;
  return isObject(v) && Array.isArray(v.counts) && v.counts.length <= MAX_POINTS && v.counts.every(check.number) && check.number(v.upper) && check.int(v.scoredFrom, 0, MAX_POINTS);
}

function isTable(v: unknown): v is TableView {
  if (!isObject(v) || !check.string(v.caption, MAX_CAPTION) || !check.stringArray(v.columns, 50)) return false;
  const width = (v.columns as string[]).length;
  if (!Array.isArray(v.rows) || v.rows.length > MAX_ROWS || !v.rows.every((r) => cells(r, width))) return false;
  if (v.series !== undefined && !(Array.isArray(v.series) && v.series.length === v.rows.length && v.series.every(isSeries))) return false;
  if (v.locations !== undefined && !(Array.isArray(v.locations) && v.locations.every((l) => l === null || (isObject(l) && check.string(l.file, 4096) && check.int(l.line, 1))))) return false;
  if (v.kinds !== undefined && !(Array.isArray(v.kinds) && v.kinds.length === width && v.kinds.every((k) => check.oneOf(k, KINDS)))) return false;
  return v.scoreColumn === undefined || check.int(v.scoreColumn, 0, width - 1);
}

/** The page's check of what the host sends. */
export function parseHostMessage(raw: unknown): AnalyticsHostMessage | undefined {
  if (isObject(raw) && raw.type === 'empty') return check.string(raw.message, MAX_CAPTION) && check.boolean(raw.canRerun) ? { type: 'empty', message: raw.message, canRerun: raw.canRerun } : undefined;
  if (!isObject(raw) || raw.type !== 'show' || !isObject(raw.view)) return undefined;
  const v = raw.view;
  if (v.job !== undefined && !isAnalyticsJob(v.job)) return undefined;
  if (!check.string(v.title, MAX_CAPTION) || !check.stringArray(v.summary, 50) || !Array.isArray(v.tables) || v.tables.length > MAX_TABLES || !v.tables.every(isTable)) return undefined;
  return raw as unknown as ShowMessage;
}

/** The host's check of what the page sends. */
export function parsePageMessage(raw: unknown): AnalyticsPageMessage | undefined {
  if (isObject(raw) && raw.type === 'rerun') return { type: 'rerun' };
  if (!isObject(raw) || raw.type !== 'openLocation' || !check.int(raw.table, 0, MAX_TABLES - 1) || !check.int(raw.row, 0, MAX_ROWS - 1)) return undefined;
  return { type: 'openLocation', table: raw.table, row: raw.row };
}
