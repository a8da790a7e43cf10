/**
 * Batch scoring of one day of CloudTrail, the seed's Step Functions chain (read a day, aggregate per principal and
 * API, score, alert over 0.2) done locally in one call: unusual principal/address pairs first seen that day, activity
 * buckets of that day far above their pair's baseline, and, with a trained CloudTrail model, the day's sessions it
 * flags. Files are chosen by the AWSLogs/.../YYYY/MM/DD layout (or CloudTrail's file names): the day itself plus up to
 * `historyDays` days before it as history; files without a date in their path are always read (their events are
 * placed by eventTime).
 */
import { SecmlError } from '../errors';
import type { InputFile } from '../logs/input-files';
import type { SkippedRow } from '../logs/log-event';
import { listInputFiles } from '../logs/input-files';
import { throwIfAborted, type WorkOptions } from '../progress';
import { partitionOf } from '../query/cloudtrail-files';
import type { ScoringModel } from '../scoring/scoring-model';
import { activityCounts, findSpikes, type ActivityResult } from './activity-over-time';
import { readAddressEvents } from './cloudtrail-addresses';
import { findUnusualPairs, type UnusualPair } from './unusual-pairs';

export interface DayAlertsOptions {
  /** YYYY-MM-DD (UTC). */
  day: string;
  /** Days before `day` read as history (default 7). */
  historyDays?: number;
  /** Alert when a score exceeds this (default 0.2, the seed's). */
  threshold?: number;
  /** Activity bucket in minutes (default 60). */
  bucketMinutes?: number;
  /** Band width of the activity baseline (default 3). */
  k?: number;
  /** Also score the day's sessions with this model (through src/core/scoring). */
  model?: ScoringModel;
}

export type AlertKind = 'pair' | 'spike' | 'session';

export interface DayAlert {
  kind: AlertKind;
  score: number;
  principal: string;
  /** The address (pair), `eventSource:eventName` (spike) or the session id (session). */
  subject: string;
  /** ISO time: the pair's first event, the bucket's start, the session's start. */
  time: string;
  /** One line a person reads: why this is an alert. */
  detail: string;
  file?: string;
  line?: number;
}

export interface DayAlerts {
  day: string;
  threshold: number;
  files: { day: number; history: number };
  alerts: DayAlert[];
  pairs: { scored: number; events: number; historyEvents: number; serviceSources: number; otherSources: number; top: UnusualPair[] };
  activity: Pick<ActivityResult, 'bucketSeconds' | 'pairs' | 'events'> & { spikes: number };
  sessions?: { scored: number; flagged: number; model: string; threshold: number };
  skippedRecords: number;
  /** The first few malformed records skipped (file, line, why). */
  skippedFirst: SkippedRow[];
}

const DAY_MS = 86_400_000;

export function parseDay(day: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day.trim());
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || !Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== day.trim()) throw new SecmlError('BAD_ARGUMENT', `"${day}" is not a day: expected YYYY-MM-DD (UTC).`);
  return t;
}

/** The date in a file's path (AWSLogs layout or delivered name) as ms at 00:00 UTC, or undefined. */
function fileDay(f: InputFile): number | undefined {
  const p = partitionOf(f.path);
  return p.year && p.month && p.day ? Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day)) : undefined;
}

const levelText: Record<string, string> = {
  'known-address': 'a known address',
  'new-address': 'a new address in a known subnet',
  'new-subnet': 'a new subnet of a known network',
  'new-network': 'a network it never used',
  'no-history': 'its first address',
};

/** The day's alerts, highest score first. */
export async function dayAlerts(inputs: string[], options: DayAlertsOptions, work: WorkOptions = {}): Promise<DayAlerts> {
  const dayStart = parseDay(options.day);
  const historyDays = options.historyDays ?? 7;
  if (!Number.isInteger(historyDays) || historyDays < 0 || historyDays > 366) throw new SecmlError('BAD_ARGUMENT', `The history must be 0 to 366 days, got ${historyDays}.`);
  const threshold = options.threshold ?? 0.2;
  if (!(threshold >= 0 && threshold < 1)) throw new SecmlError('BAD_ARGUMENT', `The alert threshold is a score from 0 to 1, got ${threshold}.`);
  const from = dayStart - historyDays * DAY_MS;
  const to = dayStart + DAY_MS;
  const all = await listInputFiles(inputs, 'cloudtrail');
  const chosen = all.filter((f) => {
    const d = fileDay(f);
    return d === undefined || (d >= from && d < to);
  });
  const dayFiles = chosen.filter((f) => fileDay(f) === undefined || fileDay(f) === dayStart);
  if (!dayFiles.length) throw new SecmlError('NOT_FOUND', `No CloudTrail files for ${options.day} in ${inputs.join(', ')} (looked for AWSLogs/.../${options.day.replace(/-/g, '/')}/ and CloudTrail file names of that day).`);
  const chosenPaths = new Set(chosen.map((f) => f.path));

  // 1. Unusual pairs first seen on the day, judged against the history before each.
  const ev = await readAddressEvents(inputs, { ...work, fileFilter: (f) => chosenPaths.has(f.path) });
  throwIfAborted(work.signal);
  const pairs = findUnusualPairs(ev, { from: dayStart, to });
  const alerts: DayAlert[] = [];
  for (const p of pairs.pairs) {
    if (p.score <= threshold) break;
    alerts.push({
      kind: 'pair',
      score: p.score,
      principal: p.principal,
      subject: p.address,
      time: p.firstTime,
      detail: `${p.address} is ${levelText[p.level]} for this principal (${p.principalEvents} earlier events from ${p.principalAddresses} address${p.principalAddresses === 1 ? '' : 'es'}), used by ${p.addressPrincipals} other principal${p.addressPrincipals === 1 ? '' : 's'} before; ${p.events} event${p.events === 1 ? '' : 's'} that day, first ${p.firstEvent}`,
      file: p.file,
      line: p.line,
    });
  }

  // 2. Activity spikes of the day against each pair's baseline, counted by DuckDB over the same files.
  work.onProgress?.({ message: 'Counting activity per principal and API' });
  const { DuckDBEngine } = require('../query/duckdb-engine') as typeof import('../query/duckdb-engine');
  const engine = await DuckDBEngine.open({ logs: chosen.map((f) => f.path), materialize: false }, { signal: work.signal });
  let activity: ActivityResult;
  try {
    const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucketSeconds: Math.round((options.bucketMinutes ?? 60) * 60) };
    activity = findSpikes(await activityCounts(engine, range, work), range, { scoreFrom: new Date(dayStart).toISOString(), k: options.k, threshold });
  } finally {
    await engine.dispose();
  }
  for (const s of activity.spikes) {
    alerts.push({ kind: 'spike', score: s.score, principal: s.principal, subject: s.action, time: s.start, detail: `${s.events} calls in ${activity.bucketSeconds / 60} min; usual ${s.median}, band up to ${s.upper.toFixed(1)}` });
  }

  // 3. Sessions of the day flagged by a trained model.
  let sessions: DayAlerts['sessions'];
  if (options.model) {
    const { scoreLogs } = require('../scoring/score-logs') as typeof import('../scoring/score-logs');
    const r = await scoreLogs(dayFiles.map((f) => f.path), options.model, {}, work);
    sessions = { scored: r.table.sessions.length, flagged: r.flagged, model: r.model.label, threshold: r.threshold };
    for (let k = 0; k < r.order.length; k++) {
      const i = r.order[k];
      const score = r.scores[i];
      if (score < r.threshold) break;
      const s = r.table.sessions[i];
      const time = s.firstTime !== undefined && Number.isFinite(s.firstTime) ? new Date(s.firstTime).toISOString() : '';
      if (time && (Date.parse(time) < dayStart || Date.parse(time) >= to)) continue;
      const detail = `${s.events} events flagged by ${r.model.label} (threshold ${r.threshold.toPrecision(3)}), first ${s.firstEvents.slice(0, 3).join(', ')}`;
      alerts.push({ kind: 'session', score, principal: s.id.replace(/@[^@]*$/, ''), subject: s.id, time, detail, file: s.file, line: s.firstLine });
    }
  }
  alerts.sort((a, b) => b.score - a.score || (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  return {
    day: options.day,
    threshold,
    files: { day: dayFiles.length, history: chosen.length - dayFiles.length },
    alerts,
    pairs: { scored: pairs.pairs.length, events: pairs.windowEvents, historyEvents: pairs.historyEvents, serviceSources: ev.serviceSources, otherSources: ev.otherSources, top: pairs.pairs.slice(0, 20) },
    activity: { bucketSeconds: activity.bucketSeconds, pairs: activity.pairs, events: activity.events, spikes: activity.spikes.length },
    sessions,
    skippedRecords: ev.skipped.count,
    skippedFirst: ev.skipped.first,
  };
}
