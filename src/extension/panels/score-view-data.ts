/**
 * What the score results panel sends: a score run turned into the page's message shapes. Pure (no `vscode`), so it is
 * unit-tested in plain Node. Text from the logs is cut to the protocol's limits (a session id may be megabytes long).
 */
import * as path from 'node:path';
import { metricsSummaryOf } from '../../core/experiments/run-record';
import type { MetricsReport } from '../../core/metrics/report';
import type { RankedSessions, SessionRow } from '../../core/scoring/ranked-sessions';
import { unseenByCount, unseenMessage, unseenTotals } from '../../core/scoring/score-summary';
import { cutText } from '../../../webview/shared/protocol';
import { MAX_INPUTS, MAX_TEXT, MAX_TITLE, type MetricsView, type ScoreView, type SessionRowView } from '../../../webview/score/protocol';

const cut = (s: string) => cutText(s, MAX_TEXT);
const finite = (v: number | undefined) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function metricsView(m: MetricsReport): MetricsView {
  return { ...metricsSummaryOf(m), baselineAccuracy: m.baseline.accuracy };
}

export interface ScoreViewExtras {
  scoresCsv?: string;
  generation: number;
}

export function scoreView(ranked: RankedSessions, extras: ScoreViewExtras): ScoreView {
  const r = ranked.result;
  const unseen = r.table.unseen;
  const message = unseenMessage(unseen) ?? undefined;
  return {
    title: cutText(r.inputs.map((i) => path.basename(i)).join(', '), MAX_TITLE),
    inputs: r.inputs.slice(0, MAX_INPUTS).map((i) => cut(path.basename(i))),
    model: { kind: r.model.kind, label: cut(r.model.label), location: r.model.location },
    sessions: r.table.n,
    events: r.table.events,
    threshold: r.threshold,
    modelThreshold: r.modelThreshold,
    thresholdSource: cutText(r.thresholdSource, MAX_TITLE),
    flagged: r.flagged,
    unseen: { ...unseenTotals(unseen), top: unseenByCount(unseen).slice(0, 10).map(([t, c]) => [cut(t), c]), ...(message ? { message } : {}) },
    skippedRows: r.table.skipped.count,
    labelled: r.labelled,
    ...(r.metrics ? { metrics: metricsView(r.metrics) } : {}),
    ...(extras.scoresCsv ? { scoresCsv: extras.scoresCsv } : {}),
    canOpenLines: r.info.reader.format !== 'cloudtrail',
    seconds: r.seconds.total,
    generation: extras.generation,
  };
}

export function rowView(row: SessionRow): SessionRowView {
  return {
    rank: row.rank,
    index: row.index,
    id: cut(row.id),
    probability: row.probability,
    flagged: row.flagged,
    ...(row.label !== undefined ? { label: row.label } : {}),
    events: row.events,
    ...(finite(row.firstTime) !== undefined ? { firstTime: row.firstTime, lastTime: finite(row.lastTime) ?? row.firstTime } : {}),
    file: path.basename(row.file),
    line: row.line,
    firstEvents: row.firstEvents.map(cut),
    lastEvents: row.lastEvents.map(cut),
    counts: row.counts.map(([t, c]) => [cut(t), c]),
  };
}

/** What was scored with what: enough to score it again (after a reload). */
export interface ScoreJob {
  inputs: string[];
  /** `local:<model folder>` or `endpoint:<name>`. */
  model: string;
}

export function isScoreJob(v: unknown): v is ScoreJob {
  const j = v as Partial<ScoreJob> | null;
  return (
    typeof j === 'object' && j !== null &&
    Array.isArray(j.inputs) && j.inputs.length > 0 && j.inputs.length <= 100 && j.inputs.every((i) => typeof i === 'string' && path.isAbsolute(i)) &&
    typeof j.model === 'string' && ((j.model.startsWith('local:') && path.isAbsolute(j.model.slice('local:'.length))) || /^endpoint:[A-Za-z0-9-]{1,63}$/.test(j.model))
  );
}
