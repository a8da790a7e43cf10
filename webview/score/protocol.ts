/**
 * Messages of the score results panel (host: src/extension/panels/score-panel.ts, page: webview/score/main.ts). Only a
 * summary and pages of rows cross (a log may hold a million sessions). Session ids and event types come from the logs:
 * both sides validate what they receive, and the page shows them as text only.
 */
import type { MetricsSummary } from '../../src/core/experiments/run-record';
import type { SessionRow } from '../../src/core/scoring/ranked-sessions';
import { check, isMetricsSummary, isObject } from '../shared/protocol';

/** The metrics on the labelled sessions (the run store's headline figures) and the all-negative baseline's accuracy. */
export type MetricsView = MetricsSummary & { baselineAccuracy: number };

export interface ScoreView {
  title: string;
  inputs: string[];
  model: { kind: 'local' | 'endpoint'; label: string; location: string };
  sessions: number;
  events: number;
  threshold: number;
  modelThreshold: number;
  thresholdSource: string;
  flagged: number;
  /** Event types the model never saw (their count, events, the most frequent few) and the message about them. */
  unseen: { types: number; events: number; top: [string, number][]; message?: string };
  skippedRows: number;
  labelled: number;
  metrics?: MetricsView;
  /** Where the scores CSV was written, when it was. */
  scoresCsv?: string;
  /** Clicking a session opens its log at its first line (TSV/CSV formats). */
  canOpenLines: boolean;
  seconds: number;
  /** Bumped when the ranking's view changes (threshold): the page asks for its rows again. */
  generation: number;
  /** What was scored with what (absolute paths, `local:<dir>` or `endpoint:<name>`): kept by the page to score again after a reload. */
  job?: { inputs: string[]; model: string };
}

/** One ranked session as the page shows it (text cut to MAX_TEXT by the host). */
export type SessionRowView = SessionRow;

export interface RowsQuery {
  text: string;
  flaggedOnly: boolean;
}

export type ScoreHostMessage =
  | { type: 'state'; state: ScoreView }
  /** No results (after a reload): what was scored, and a button to score it again. */
  | { type: 'empty'; message: string; canRescore: boolean }
  | { type: 'rows'; generation: number; query: RowsQuery; start: number; total: number; rows: SessionRowView[] };

export type ScorePageMessage =
  | { type: 'getRows'; generation: number; query: RowsQuery; start: number; count: number }
  | { type: 'setThreshold'; value: number }
  | { type: 'openSession'; index: number }
  | { type: 'exportCsv' }
  | { type: 'rescore' };

export const PAGE_SIZE = 50;
export const MAX_PAGE = 200;
export const MAX_TEXT = 500;
/** Longest title, model label and threshold source (the title lists every scored file). */
export const MAX_TITLE = 2000;
export const MAX_INPUTS = 1000;
export const MAX_QUERY = 200;
const MAX_LIST = 50;

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isProbability = (v: unknown): v is number => isNum(v) && v >= 0 && v <= 1;
const isText = (v: unknown, max = MAX_TEXT) => check.string(v, max);
const isCounts = (v: unknown): v is [string, number][] => Array.isArray(v) && v.length <= MAX_LIST && v.every((p) => Array.isArray(p) && p.length === 2 && isText(p[0]) && isNum(p[1]));

function isQuery(v: unknown): v is RowsQuery {
  return isObject(v) && check.string(v.text, MAX_QUERY) && check.boolean(v.flaggedOnly);
}

/** Host side: validates a message from the page. */
export function parsePageMessage(v: unknown): ScorePageMessage | undefined {
  if (!isObject(v)) return undefined;
  switch (v.type) {
    case 'getRows':
      return check.int(v.generation) && isQuery(v.query) && check.int(v.start) && check.int(v.count, 1, MAX_PAGE)
        ? { type: 'getRows', generation: v.generation, query: { text: v.query.text, flaggedOnly: v.query.flaggedOnly }, start: v.start, count: v.count }
        : undefined;
    case 'setThreshold':
      return isProbability(v.value) ? { type: 'setThreshold', value: v.value } : undefined;
    case 'openSession':
      return check.int(v.index) ? { type: 'openSession', index: v.index } : undefined;
    case 'exportCsv':
    case 'rescore':
      return { type: v.type };
    default:
      return undefined;
  }
}

const isMetrics = (v: unknown): v is MetricsView => isMetricsSummary(v) && isNum((v as MetricsView).baselineAccuracy);

function isState(v: unknown): v is ScoreView {
  if (!isObject(v) || !isObject(v.model) || !isObject(v.unseen)) return false;
  const m = v.model;
  const u = v.unseen;
  return (
    isText(v.title, MAX_TITLE) &&
    check.stringArray(v.inputs, MAX_INPUTS) &&
    check.oneOf(m.kind, ['local', 'endpoint'] as const) &&
    isText(m.label, MAX_TITLE) &&
    isText(m.location, 4096) &&
    ['sessions', 'events', 'flagged', 'skippedRows', 'labelled', 'seconds', 'generation'].every((k) => isNum(v[k])) &&
    isProbability(v.threshold) &&
    isNum(v.modelThreshold) &&
    isText(v.thresholdSource, MAX_TITLE) &&
    isNum(u.types) &&
    isNum(u.events) &&
    isCounts(u.top) &&
    (u.message === undefined || isText(u.message, 4000)) &&
    (v.metrics === undefined || isMetrics(v.metrics)) &&
    (v.scoresCsv === undefined || isText(v.scoresCsv, 4096)) &&
    check.boolean(v.canOpenLines) &&
    (v.job === undefined || (isObject(v.job) && check.stringArray(v.job.inputs, 100) && isText(v.job.model, 4096)))
  );
}

function isRow(v: unknown): v is SessionRowView {
  return (
    isObject(v) &&
    ['rank', 'index', 'events', 'line'].every((k) => check.int(v[k])) &&
    isText(v.id) &&
    isNum(v.probability) &&
    check.boolean(v.flagged) &&
    (v.label === undefined || v.label === 0 || v.label === 1) &&
    (v.firstTime === undefined || isNum(v.firstTime)) &&
    (v.lastTime === undefined || isNum(v.lastTime)) &&
    isText(v.file, 4096) &&
    check.stringArray(v.firstEvents, MAX_LIST) &&
    check.stringArray(v.lastEvents, MAX_LIST) &&
    (v.firstEvents as string[]).concat(v.lastEvents as string[]).every((e) => isText(e)) &&
    isCounts(v.counts)
  );
}

/** Page side: validates a message from the host. */
export function parseHostMessage(v: unknown): ScoreHostMessage | undefined {
  if (!isObject(v)) return undefined;
  switch (v.type) {
    case 'state':
      return isState(v.state) ? { type: 'state', state: v.state } : undefined;
    case 'empty':
      return isText(v.message, 4000) && check.boolean(v.canRescore) ? { type: 'empty', message: v.message, canRescore: v.canRescore } : undefined;
    case 'rows':
      return check.int(v.generation) && isQuery(v.query) && check.int(v.start) && check.int(v.total) && Array.isArray(v.rows) && v.rows.length <= MAX_PAGE && v.rows.every(isRow)
        ? { type: 'rows', generation: v.generation, query: v.query, start: v.start, total: v.total, rows: v.rows }
        : undefined;
    default:
      return undefined;
  }
}
