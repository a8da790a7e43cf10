/**
 * What the CloudTrail analytics panel shows, built from core results in pure code (unit-tested without VS Code):
 * bounded tables of text, with a series per activity row.
 */
import type { ActivityResult } from '../../core/analytics/activity-over-time';
import type { UnusualPairsResult } from '../../core/analytics/unusual-pairs';
import { MAX_CAPTION, MAX_CELL, MAX_POINTS, MAX_ROWS, type AnalyticsView, type OpenLocationMessage } from '../../../webview/analytics/protocol';
import { cutText } from '../../../webview/shared/protocol';

const n = (x: number) => x.toLocaleString('en-US');
/** Log text (a principal ARN, an event name) cut to the page's cell limit: one long value must not blank the whole view. */
const cell = (s: string) => cutText(s, MAX_CELL);
const when = (iso: string) => iso.slice(0, 19).replace('T', ' ');

/** `h` for an hour, `day`, else `15 min`: per-bucket counts say per what (`Calls/h`). */
export function perBucket(bucketSeconds: number): string {
  if (bucketSeconds === 3600) return 'h';
  if (bucketSeconds === 86400) return 'day';
  return bucketSeconds % 60 === 0 ? `${bucketSeconds / 60} min` : `${bucketSeconds} s`;
}

export function pairsView(title: string, r: UnusualPairsResult, read: { records: number; serviceSources: number; otherSources: number }, threshold = 0.2): AnalyticsView {
  const rows = r.pairs.slice(0, MAX_ROWS);
  return {
    title: cutText(title, MAX_CAPTION),
    summary: [
      `${n(r.pairs.length)} principal/IP pairs: ${n(r.pairs.filter((p) => p.score > threshold).length)} score above ${threshold}. ${n(r.principals)} principals, ${n(r.addresses)} addresses, ${n(r.windowEvents)} events.`,
      `${n(read.records)} records read; ${n(read.serviceSources)} from AWS service hosts (*.amazonaws.com) and ${n(read.otherSources)} from other non-IP sources left out.`,
      'Score = principal novelty x account novelty: high only when this principal rarely changes networks and the address is new or rare for the whole account.',
    ],
    tables: [
      {
        caption: r.pairs.length > rows.length ? `Top ${n(rows.length)} of ${n(r.pairs.length)} pairs` : 'Pairs, most unusual first',
        columns: ['Principal', 'Address', 'Score', 'For the principal', 'For the account', 'Earlier events', 'Events', 'First seen (UTC)', 'First call'],
        kinds: ['tail', 'tail', 'num', 'text', 'text', 'text', 'num', 'text', 'tail'],
        rows: rows.map((p) => [cell(p.principal), cell(p.address), p.score.toFixed(3), p.level, p.accountLevel, `${n(p.principalEvents)} from ${p.principalAddresses} address${p.principalAddresses === 1 ? '' : 'es'}`, n(p.events), when(p.firstTime), cell(p.firstEvent)]),
        locations: rows.map((p) => ({ file: p.file, line: Math.max(1, p.line) })),
        scoreColumn: 2,
      },
    ],
  };
}

/** One scored pair of an IP Insights run: the pair, where it was first seen, its dot product (null: IPv6, not scored). */
export interface IpInsightsPairView {
  principal: string;
  address: string;
  dotProduct: number | null;
  events: number;
  firstTime: string;
  file: string;
  line: number;
}

/** IP Insights results: pairs by dot product, lowest (most unusual for the principal) first; IPv6 pairs last. */
export function ipInsightsView(
  title: string,
  pairs: IpInsightsPairView[],
  run: { trainingJob: string; tuples: number; principals: number; skippedIpv6: number; endpoint: string; kept: boolean; from?: string },
): AnalyticsView {
  const sorted = [...pairs].sort((a, b) => (a.dotProduct ?? Infinity) - (b.dotProduct ?? Infinity));
  const rows = sorted.slice(0, MAX_ROWS);
  return {
    title: cutText(title, MAX_CAPTION),
    summary: [
      `Trained ${cell(run.trainingJob)} on ${n(run.tuples)} principal/IPv4 tuples of ${n(run.principals)} principals${run.skippedIpv6 ? ` (${n(run.skippedIpv6)} IPv6 left out)` : ''}${run.from ? `, events before ${when(run.from)} UTC` : ''}.`,
      `Scored ${n(pairs.length)} pairs${run.from ? ` active from ${when(run.from)} UTC` : ''} on ${cell(run.endpoint)}${run.kept ? ' (still running: delete it in the Endpoints view)' : ', then deleted it'}.`,
      'A lower dot product means an address less usual for that principal (IP Insights learns which principals use which addresses).',
    ],
    tables: [
      {
        caption: pairs.length > rows.length ? `Top ${n(rows.length)} of ${n(pairs.length)} pairs` : 'Pairs, most unusual first',
        columns: ['Principal', 'Address', 'Dot product', 'Events', 'First seen (UTC)'],
        kinds: ['tail', 'tail', 'num', 'num', 'text'],
        rows: rows.map((p) => [cell(p.principal), cell(p.address), p.dotProduct === null ? 'IPv6: n/a' : p.dotProduct.toFixed(4), n(p.events), when(p.firstTime)]),
        locations: rows.map((p) => ({ file: p.file, line: Math.max(1, p.line) })),
      },
    ],
  };
}

function series(r: ActivityResult, s: ActivityResult['series'][number]): { counts: number[]; upper: number; scoredFrom: number } {
  const scoredFrom = Math.round((Date.parse(r.scoreFrom) - Date.parse(r.start)) / 1000 / r.bucketSeconds);
  const skip = Math.max(0, s.counts.length - MAX_POINTS);
  return { counts: s.counts.slice(skip), upper: s.upper, scoredFrom: Math.max(0, scoredFrom - skip) };
}

export function activityView(title: string, r: ActivityResult, threshold = 0.2): AnalyticsView {
  const byPair = new Map(r.series.map((s) => [`${s.principal}\u0000${s.action}`, s]));
  const spikes = r.spikes.slice(0, MAX_ROWS);
  const quiet = r.series.filter((s) => s.peak <= threshold).slice(0, MAX_ROWS);
  const per = `/${perBucket(r.bucketSeconds)}`;
  return {
    title: cutText(title, MAX_CAPTION),
    summary: [
      `${n(r.pairs)} principal/API pairs, ${n(r.events)} events in ${n(r.buckets)} buckets of ${r.bucketSeconds / 60} min from ${when(r.start)} UTC (scored from ${when(r.scoreFrom)} UTC).`,
      `${n(r.spikes.length)} bucket(s) above their pair's band by more than ${threshold}. Band = median + 3 robust deviations, at least the same time of day on earlier days; score = 1 - band / calls.`,
    ],
    tables: [
      {
        caption: spikes.length ? 'Spikes, highest first' : 'No spikes',
        columns: ['Principal', 'API', 'Score', 'Bucket (UTC)', `Calls${per}`, `Usual${per}`, `Band${per}`],
        kinds: ['tail', 'tail', 'num', 'text', 'num', 'num', 'num'],
        rows: spikes.map((s) => [cell(s.principal), cell(s.action), s.score.toFixed(3), when(s.start), n(s.events), String(s.median), s.upper.toFixed(1)]),
        series: spikes.map((s) => {
          const p = byPair.get(`${s.principal}\u0000${s.action}`);
          return p ? series(r, p) : null;
        }),
        scoreColumn: 2,
      },
      {
        caption: 'Other pairs, busiest first',
        columns: ['Principal', 'API', 'Events', `Usual${per}`, `Band${per}`],
        kinds: ['tail', 'tail', 'num', 'num', 'num'],
        rows: quiet.sort((a, b) => b.events - a.events).map((s) => [cell(s.principal), cell(s.action), n(s.events), String(s.median), s.upper.toFixed(1)]),
        series: quiet.map((s) => series(r, s)),
      },
    ],
  };
}

/** The location the host itself put at (table, row) of the view it sent, or undefined: a page message never names a file. */
export function locationOf(view: AnalyticsView, msg: OpenLocationMessage): { file: string; line: number } | undefined {
  return view.tables[msg.table]?.locations?.[msg.row] ?? undefined;
}
