/**
 * What a score run says to people and programs: the JSON summary (`secml score --json`, the extension's command
 * result), the warning about event types the model never saw, and the top sessions. Session ids and event types come
 * from the logs (attacker-controlled): `printable` keeps them from driving a terminal.
 */
import { summaryOf, type MetricsReport } from '../metrics/report';
import type { SessionSummary } from '../features/scoring-table';
import type { ScoreResult } from './score-logs';
import { printable } from '../printable';

export interface ScoredSession {
  rank: number;
  session: string;
  probability: number;
  flagged: boolean;
  label?: 0 | 1;
  events: number;
  /** ISO times, when the log has times. */
  firstTime?: string;
  lastTime?: string;
  file: string;
  line: number;
  firstEvents: string[];
  lastEvents: string[];
}

export interface ScoreSummary {
  inputs: string[];
  model: { kind: 'local' | 'endpoint'; label: string; location: string };
  sessions: number;
  events: number;
  threshold: number;
  thresholdSource: string;
  flagged: number;
  /** Event types outside the model's vocabulary (counted as __other__), with their event counts. */
  unseenEventTypes: { types: number; events: number; counts: Record<string, number> };
  skippedRows: number;
  labelled: number;
  /** On the labelled sessions, with the keys of `secml eval --json`; null without labels. */
  metrics: Omit<MetricsReport, 'curves'> | null;
  top: ScoredSession[];
  scoresCsv?: string;
}

const iso = (t: number | undefined) => (t === undefined || !Number.isFinite(t) ? undefined : new Date(t).toISOString());

export function scoredSession(r: ScoreResult, rank: number): ScoredSession {
  const i = r.order[rank];
  const s: SessionSummary = r.table.sessions[i];
  const p = r.scores[i];
  return {
    rank: rank + 1,
    session: s.id,
    probability: p,
    flagged: p >= r.threshold,
    ...(s.label !== undefined ? { label: s.label } : {}),
    events: s.events,
    ...(s.firstTime !== undefined ? { firstTime: iso(s.firstTime), lastTime: iso(s.lastTime) } : {}),
    file: s.file,
    line: s.firstLine,
    firstEvents: s.firstEvents,
    lastEvents: s.lastEvents,
  };
}

export function unseenTotals(unseen: Record<string, number>): { types: number; events: number } {
  const counts = Object.values(unseen);
  return { types: counts.length, events: counts.reduce((a, b) => a + b, 0) };
}

/** The unseen types, most frequent first. */
export function unseenByCount(unseen: Record<string, number>): [string, number][] {
  return Object.entries(unseen).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}

export function scoreSummary(r: ScoreResult, top = 20): ScoreSummary {
  const totals = unseenTotals(r.table.unseen);
  return {
    inputs: r.inputs,
    model: { ...r.model },
    sessions: r.table.n,
    events: r.table.events,
    threshold: r.threshold,
    thresholdSource: r.thresholdSource,
    flagged: r.flagged,
    unseenEventTypes: { ...totals, counts: { ...r.table.unseen } },
    skippedRows: r.table.skipped.count,
    labelled: r.labelled,
    metrics: r.metrics ? summaryOf(r.metrics) : null,
    top: Array.from({ length: Math.min(Math.max(0, top), r.table.n) }, (_, k) => scoredSession(r, k)),
  };
}

/**
 * One line about event types the model never saw, or null when there are none. They all land in `__other__`, so the
 * model cannot tell them apart: the analyst should know before trusting the ranking.
 */
export function unseenMessage(unseen: Record<string, number>, max = 5): string | null {
  const list = unseenByCount(unseen);
  if (list.length === 0) return null;
  const { types, events } = unseenTotals(unseen);
  const shown = list.slice(0, max).map(([t, c]) => `${printable(t, 40)} (${c})`).join(', ');
  return (
    `${events.toLocaleString('en-US')} event${events === 1 ? '' : 's'} of ${types} type${types === 1 ? '' : 's'} the model never saw ` +
    `(${shown}${list.length > max ? ', ...' : ''}) counted as __other__: the model cannot tell them apart; retrain on logs that include them if they matter.`
  );
}
