/** `secml cloudtrail pairs`: unusual principal/IP pairs in CloudTrail, or GuardDuty findings' pairs scored against it. */
import * as path from 'node:path';
import type { CliIO, CommandSpec } from '../command';
import { flag, list, num, positionals, str, usageError } from '../args';
import { progressLine } from '../progress-line';
import { formatTable } from '../table';
import { readAddressEvents, type AddressEvents } from '../../core/analytics/cloudtrail-addresses';
import { readGuardDutyFindings } from '../../core/analytics/guardduty-findings';
import { sourceAddress } from '../../core/analytics/source-address';
import { findUnusualPairs, fitIpHistory } from '../../core/analytics/unusual-pairs';
import { printable } from '../../core/printable';

const n = (x: number) => x.toLocaleString('en-US');

export function isoOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (!Number.isFinite(t)) throw usageError(`--${name} expects an ISO time or a day (2024-05-14 or 2024-05-14T12:00:00Z), got "${value}"`);
  return t;
}

export function readSummary(ev: AddressEvents): string {
  return `${n(ev.records)} records in ${n(ev.files.length)} files; ${n(ev.serviceSources)} from AWS service hosts (*.amazonaws.com) and ${n(ev.otherSources)} from other non-IP sources left out${ev.skipped.count ? `; ${n(ev.skipped.count)} malformed records skipped` : ''}`;
}

async function scoreFindings(ev: AddressEvents, files: string[], threshold: number, top: number, all: boolean, io: CliIO, json: boolean): Promise<number> {
  const history = fitIpHistory(ev);
  const gd = await readGuardDutyFindings(files.map((f) => path.resolve(f)));
  const scored = gd.tuples
    .map((t) => {
      const s = history.score(t.principal, sourceAddress(t.address));
      return { ...t, score: s.score, level: s.principal.level, accountLevel: s.account.level, principalNovelty: s.principal.novelty, accountNovelty: s.account.novelty, principalEvents: s.principal.events };
    })
    .sort((a, b) => b.score - a.score);
  const shown = all ? scored : scored.slice(0, top);
  if (json) {
    io.out(JSON.stringify({ findings: gd.findings, withoutPrincipal: gd.withoutPrincipal, withoutAddress: gd.withoutAddress, historyEvents: history.events, threshold, flagged: scored.filter((s) => s.score > threshold).length, tuples: shown }, null, 2));
    return 0;
  }
  io.out(`${n(gd.findings)} findings: ${n(gd.tuples.length)} with a principal and a remote address (${n(gd.withoutPrincipal)} about other resources, ${n(gd.withoutAddress)} without a remote IPv4), scored against ${n(history.events)} CloudTrail events of ${n(history.principalCount)} principals`);
  if (shown.length) {
    io.out('');
    io.out(formatTable(['SCORE', 'PRINCIPAL', 'ADDRESS', 'FOR THE PRINCIPAL', 'FINDING', 'WHERE'], shown.map((s) => [s.score.toFixed(3), printable(s.principal, 60), printable(s.address, 40), s.level, printable(s.findingType, 50), `${path.basename(s.file)}:${s.line}`])));
  }
  return 0;
}

export const cloudtrailPairsCommand: CommandSpec = {
  name: 'pairs',
  summary: 'Rank principal/IP pairs by how unusual the address is for the principal (local model, no AWS)',
  description: [
    'Replays the events in time order; each <principal, source IP> pair in the window [--from, --to) is judged once, at',
    'its first event there, against everything before it: score = principal novelty x account novelty in [0, 1] (see',
    'README "CloudTrail analytics"). AWS service hosts (*.amazonaws.com) and other non-IP sources are counted and left out.',
    'With --guardduty, the findings\' <principal, remote IP> pairs are scored against all the CloudTrail events instead.',
    '',
    'examples:',
    '  secml cloudtrail pairs AWSLogs/ --top 10',
    '  secml cloudtrail pairs AWSLogs/ --from 2024-05-14 --json',
    '  secml cloudtrail pairs AWSLogs/ --guardduty findings.json',
  ].join('\n'),
  positionals: [{ name: 'LOGS', description: 'CloudTrail files or folders', required: true, variadic: true }],
  options: [
    { name: 'from', type: 'string', valueName: 'TIME', description: 'score pairs from this ISO time or day on (earlier events are history only)' },
    { name: 'to', type: 'string', valueName: 'TIME', description: 'ignore events from this time on' },
    { name: 'guardduty', type: 'string', multiple: true, valueName: 'FILE', description: 'GuardDuty findings JSON to score against the logs (repeatable)' },
    { name: 'threshold', short: 't', type: 'number', valueName: 'S', description: 'pairs scoring above S are flagged', default: 0.2 },
    { name: 'top', type: 'number', valueName: 'N', description: 'pairs listed', default: 20 },
    { name: 'all', type: 'boolean', description: 'list every pair' },
  ],
  async run(args, io) {
    const inputs = positionals(args, 'LOGS').map((p) => path.resolve(p));
    const threshold = num(args, 'threshold') ?? 0.2;
    if (!(threshold >= 0 && threshold <= 1)) throw usageError(`--threshold is a score from 0 to 1, got ${threshold}`);
    const top = num(args, 'top') ?? 20;
    if (!Number.isInteger(top) || top < 0) throw usageError(`--top expects a whole number >= 0, got ${top}`);
    const from = isoOption(str(args, 'from'), 'from');
    const to = isoOption(str(args, 'to'), 'to');
    const json = flag(args, 'json');
    const progress = progressLine(io, json);
    let ev: AddressEvents;
    try {
      ev = await readAddressEvents(inputs, { signal: io.signal, logger: io.logger, onProgress: progress.update });
    } finally {
      progress.done();
    }
    if (ev.skipped.count) io.logger.warn(`${n(ev.skipped.count)} malformed record(s) skipped, the first: ${ev.skipped.first[0].file}:${ev.skipped.first[0].line}: ${ev.skipped.first[0].reason}`);
    const guardduty = list(args, 'guardduty');
    if (guardduty.length) return scoreFindings(ev, guardduty, threshold, top, flag(args, 'all'), io, json);
    const r = findUnusualPairs(ev, { from, to });
    const flagged = r.pairs.filter((p) => p.score > threshold).length;
    const shown = flag(args, 'all') ? r.pairs : r.pairs.slice(0, top);
    if (json) {
      io.out(JSON.stringify({ records: ev.records, serviceSources: ev.serviceSources, otherSources: ev.otherSources, skippedRecords: ev.skipped.count, windowEvents: r.windowEvents, historyEvents: r.historyEvents, pairCount: r.pairs.length, threshold, flagged, pairs: shown }, null, 2));
      return 0;
    }
    io.out(readSummary(ev));
    io.out(`${n(r.pairs.length)} principal/IP pairs (${n(r.principals)} principals, ${n(r.addresses)} addresses, ${n(r.windowEvents)} events${r.historyEvents ? `, ${n(r.historyEvents)} earlier events as history` : ''}); ${n(flagged)} score above ${threshold}`);
    if (shown.length) {
      io.out('');
      io.out(
        formatTable(
          ['SCORE', 'PRINCIPAL', 'ADDRESS', 'FOR THE PRINCIPAL', 'HISTORY', 'EVENTS', 'FIRST SEEN', 'FIRST CALL'],
          shown.map((p) => [p.score.toFixed(3), printable(p.principal, 60), p.address, p.level, `${n(p.principalEvents)} ev / ${p.principalAddresses} ip`, n(p.events), p.firstTime.slice(0, 19).replace('T', ' '), printable(p.firstEvent, 50)]),
        ),
      );
    }
    return 0;
  },
};
