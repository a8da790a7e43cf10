/**
 * User+API activity over time, as the seed's forecasting notebook framed it: counts per <principal,
 * eventSource:eventName> per time bucket (an hour by default), from the `cloudtrail` table of either query engine
 * (DuckDB over local files, or Athena; the SQL is Athena's dialect and runs on both), then buckets far above that
 * pair's own baseline are flagged.
 *
 * The baseline is robust: the median m and the median absolute deviation MAD of the pair's counts per bucket, over
 * the reference buckets (every bucket before the scored window when that is at least a day of buckets, else every
 * bucket of the range), empty buckets counted as 0. The band's upper edge is
 *
 *   upper = m + k * s,   s = max(1.4826 * MAD, sqrt(max(m, 1)))
 *
 * (1.4826 * MAD estimates a standard deviation; the square root is a Poisson noise floor, so a pair that is usually
 * idle needs more than a handful of calls to stand out; k = 3 by default). With earlier days as reference, the band is
 * also seasonal-naive: a bucket's upper edge is at least the most the pair did at the same time of day (one bucket
 * either side) on those days, so office-hours work is compared with office hours. A bucket's spike score is the share
 * of its events above its upper edge, 1 - upper / count (0 when inside it), in [0, 1): 0.2 means 25% more calls than
 * the band allows.
 */
import { SecmlError } from '../errors';
import type { WorkOptions } from '../progress';
import { collectRows, type QueryEngine, type QueryParam } from '../query/engine';

/** The principal as the CloudTrail reader chooses it: arn, principalId, accessKeyId, the service that acted, the type. */
export const PRINCIPAL_SQL = `coalesce(nullif(useridentity.arn, ''), nullif(useridentity.principalid, ''), nullif(useridentity.accesskeyid, ''),
  case when useridentity.invokedby <> '' then coalesce(nullif(useridentity.type, ''), 'AWSService') || ':' || useridentity.invokedby end,
  nullif(useridentity.type, ''))`;

/** Counts per principal, action and bucket; parameters: bucket seconds, then the range [from, to) as ISO times. */
export const ACTIVITY_SQL = `select ${PRINCIPAL_SQL} as principal,
  eventsource || ':' || eventname as action,
  cast(floor(to_unixtime(from_iso8601_timestamp(eventtime)) / ?) as bigint) as bucket,
  count(*) as events
from cloudtrail
where eventtime >= ? and eventtime < ?
group by 1, 2, 3`;

export interface ActivityCount {
  principal: string;
  action: string;
  /** Bucket index: floor(epoch seconds / bucket seconds). */
  bucket: number;
  events: number;
}

export interface ActivityRange {
  /** ISO times; [from, to). */
  from: string;
  to: string;
  bucketSeconds: number;
}

const MAX_BUCKETS = 100_000;

function checkRange(r: ActivityRange): { from: number; to: number } {
  const from = Date.parse(r.from);
  const to = Date.parse(r.to);
  if (!Number.isFinite(from) || !Number.isFinite(to) || to <= from) throw new SecmlError('BAD_ARGUMENT', `The time range ${r.from} .. ${r.to} is not a range of ISO times (from before to).`);
  if (!Number.isInteger(r.bucketSeconds) || r.bucketSeconds < 60) throw new SecmlError('BAD_ARGUMENT', `The bucket must be a whole number of minutes (at least 1), got ${r.bucketSeconds / 60} minutes.`);
  if ((to - from) / 1000 / r.bucketSeconds > MAX_BUCKETS) throw new SecmlError('BAD_ARGUMENT', `${r.from} .. ${r.to} holds more than ${MAX_BUCKETS.toLocaleString('en-US')} buckets of ${r.bucketSeconds / 60} minutes: choose larger buckets or a shorter range.`);
  return { from, to };
}

/** Runs ACTIVITY_SQL on an engine with a `cloudtrail` table and reads every row. */
export async function activityCounts(engine: QueryEngine, range: ActivityRange, work: WorkOptions = {}): Promise<ActivityCount[]> {
  checkRange(range);
  // CloudTrail's eventTime is `YYYY-MM-DDTHH:MM:SSZ`: the range compares as text on both engines.
  const fmt = (iso: string) => new Date(iso).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const params: QueryParam[] = [range.bucketSeconds, fmt(range.from), fmt(range.to)];
  const execution = await engine.run({ sql: ACTIVITY_SQL, params }, work);
  try {
    const result = await collectRows(execution, Number.POSITIVE_INFINITY, work);
    return result.rows.map((r) => ({ principal: String(r[0] ?? ''), action: String(r[1] ?? ''), bucket: Number(r[2]), events: Number(r[3]) }));
  } finally {
    await execution.close();
  }
}

export interface SpikeOptions {
  /** Buckets scored: [scoreFrom, to); default the whole range. ISO. */
  scoreFrom?: string;
  /** Band width in robust standard deviations (default 3). */
  k?: number;
  /** Spike score a bucket must exceed to be flagged (default 0.2, the seed's alert threshold). */
  threshold?: number;
}

export interface ActivitySpike {
  principal: string;
  action: string;
  /** Bucket start, ISO. */
  start: string;
  events: number;
  /** The pair's median and upper band edge per bucket. */
  median: number;
  upper: number;
  score: number;
}

export interface ActivitySeries {
  principal: string;
  action: string;
  /** Counts per bucket from the range's first bucket; the band applies to all of them. */
  counts: number[];
  median: number;
  upper: number;
  /** Events in the scored window. */
  events: number;
  /** The highest spike score in the scored window. */
  peak: number;
}

export interface ActivityResult {
  bucketSeconds: number;
  /** ISO start of bucket 0 of every series, and of the scored window. */
  start: string;
  scoreFrom: string;
  buckets: number;
  /** Flagged buckets, highest score first. */
  spikes: ActivitySpike[];
  /** Every pair with events in the scored window, highest peak first. */
  series: ActivitySeries[];
  pairs: number;
  events: number;
}

function median(sorted: Float64Array): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const h = n >> 1;
  return n % 2 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

/** The robust band of counts (see the file comment): median and upper edge. */
export function robustBand(counts: ArrayLike<number>, k = 3): { median: number; upper: number } {
  const xs = Float64Array.from(counts).sort();
  const m = median(xs);
  const dev = xs.map((x) => Math.abs(x - m)).sort();
  const s = Math.max(1.4826 * median(dev), Math.sqrt(Math.max(m, 1)));
  return { median: m, upper: m + k * s };
}

/** The most the pair did at the same time of day (one bucket either side) in the reference buckets [0, refEnd). */
function seasonalPeak(counts: Float64Array, i: number, refEnd: number, perDay: number): number {
  let peak = 0;
  for (let d = i - perDay; d >= 0; d -= perDay) {
    for (let j = Math.max(0, d - 1); j <= d + 1 && j < refEnd; j++) peak = Math.max(peak, counts[j]);
  }
  return peak;
}

export function spikeScore(count: number, upper: number): number {
  return count > upper && count > 0 ? 1 - upper / count : 0;
}

/** Flags buckets far above each pair's own baseline. */
export function findSpikes(counts: ActivityCount[], range: ActivityRange, options: SpikeOptions = {}): ActivityResult {
  const { from, to } = checkRange(range);
  const size = range.bucketSeconds;
  const b0 = Math.floor(from / 1000 / size);
  const b1 = Math.ceil(to / 1000 / size);
  const n = b1 - b0;
  const scoreFrom = options.scoreFrom ? Date.parse(options.scoreFrom) : from;
  if (!Number.isFinite(scoreFrom)) throw new SecmlError('BAD_ARGUMENT', `"${options.scoreFrom}" is not an ISO time.`);
  const s0 = Math.min(n, Math.max(0, Math.floor(scoreFrom / 1000 / size) - b0));
  // At least a day of earlier buckets makes a baseline of their own; otherwise the whole range is the reference.
  const refEnd = s0 >= Math.ceil(86400 / size) ? s0 : n;
  const k = options.k ?? 3;
  const perDay = 86400 / size;
  const seasonal = refEnd === s0 && Number.isInteger(perDay) && perDay >= 4;
  const threshold = options.threshold ?? 0.2;
  const byPair = new Map<string, { principal: string; action: string; counts: Float64Array }>();
  for (const c of counts) {
    const i = c.bucket - b0;
    if (i < 0 || i >= n) continue;
    const key = `${c.principal}\u0000${c.action}`;
    let p = byPair.get(key);
    if (!p) byPair.set(key, (p = { principal: c.principal, action: c.action, counts: new Float64Array(n) }));
    p.counts[i] += c.events;
  }
  const spikes: ActivitySpike[] = [];
  const series: ActivitySeries[] = [];
  let events = 0;
  for (const p of byPair.values()) {
    let inWindow = 0;
    for (let i = s0; i < n; i++) inWindow += p.counts[i];
    if (inWindow === 0) continue;
    events += inWindow;
    const band = robustBand(p.counts.subarray(0, refEnd), k);
    let peak = 0;
    for (let i = s0; i < n; i++) {
      const upper = seasonal ? Math.max(band.upper, seasonalPeak(p.counts, i, refEnd, perDay)) : band.upper;
      const score = spikeScore(p.counts[i], upper);
      peak = Math.max(peak, score);
      if (score > threshold) {
        spikes.push({ principal: p.principal, action: p.action, start: new Date((b0 + i) * size * 1000).toISOString(), events: p.counts[i], median: band.median, upper, score });
      }
    }
    series.push({ principal: p.principal, action: p.action, counts: Array.from(p.counts), median: band.median, upper: band.upper, events: inWindow, peak });
  }
  spikes.sort((a, b) => b.score - a.score || b.events - a.events || (a.start < b.start ? -1 : 1));
  series.sort((a, b) => b.peak - a.peak || b.events - a.events || (a.principal < b.principal ? -1 : 1));
  return {
    bucketSeconds: size,
    start: new Date(b0 * size * 1000).toISOString(),
    scoreFrom: new Date((b0 + s0) * size * 1000).toISOString(),
    buckets: n,
    spikes,
    series,
    pairs: series.length,
    events,
  };
}

/** The whole days covering the table's events: [first day 00:00, day after the last), ISO; undefined when empty. */
export async function eventDays(engine: QueryEngine, work: WorkOptions = {}): Promise<{ from: string; to: string } | undefined> {
  const execution = await engine.run({ sql: `select min(eventtime), max(eventtime) from cloudtrail` }, work);
  try {
    const [row] = (await collectRows(execution, 1, work)).rows;
    const first = Date.parse(String(row?.[0] ?? ''));
    const last = Date.parse(String(row?.[1] ?? ''));
    if (!Number.isFinite(first) || !Number.isFinite(last)) return undefined;
    const day = 86_400_000;
    return { from: new Date(Math.floor(first / day) * day).toISOString(), to: new Date(Math.floor(last / day) * day + day).toISOString() };
  } finally {
    await execution.close();
  }
}
