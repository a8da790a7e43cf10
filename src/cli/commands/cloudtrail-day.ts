/** `secml cloudtrail day`: the day's alerts from one day of CloudTrail (unusual pairs, activity spikes, model sessions). */
import * as path from 'node:path';
import type { CommandSpec } from '../command';
import { flag, num, positionals, str, usageError } from '../args';
import { progressLine } from '../progress-line';
import { formatTable } from '../table';
import { dayAlerts, parseDay } from '../../core/analytics/day-alerts';
import { printable } from '../../core/printable';
import { loadLocalScoringModel } from '../../core/scoring/local-model';

const n = (x: number) => x.toLocaleString('en-US');

export const cloudtrailDayCommand: CommandSpec = {
  name: 'day',
  summary: "Batch-score one day of CloudTrail: the day's alerts above a threshold",
  description: [
    'Reads the day (AWSLogs/.../YYYY/MM/DD/ or CloudTrail file names of that day; files without a date are placed by',
    'eventTime) and up to --history-days earlier days as history, then lists what scores above --threshold (the seed',
    'alerted over 0.2): principal/IP pairs first seen that day, hours far above a principal+API pair\'s baseline, and',
    'with --model the sessions a trained CloudTrail model flags (at its own threshold).',
    '',
    'examples:',
    '  secml cloudtrail day AWSLogs/ --day 2024-05-14',
    '  secml cloudtrail day AWSLogs/ --day 2024-05-14 --model .secml/models/cloudtrail-full --json',
  ].join('\n'),
  positionals: [{ name: 'LOGS', description: 'CloudTrail files or folders (an AWSLogs tree)', required: true, variadic: true }],
  options: [
    { name: 'day', type: 'string', valueName: 'YYYY-MM-DD', description: 'the day to score (UTC)' },
    { name: 'history-days', type: 'number', valueName: 'N', description: 'earlier days read as history', default: 7 },
    { name: 'threshold', short: 't', type: 'number', valueName: 'S', description: 'alert on scores above S', default: 0.2 },
    { name: 'bucket', type: 'number', valueName: 'MINUTES', description: 'activity bucket', default: 60 },
    { name: 'model', type: 'string', valueName: 'DIR', description: "also score the day's sessions with this model folder (secml train, a run folder)" },
    { name: 'top', type: 'number', valueName: 'N', description: 'alerts listed (all with --json)', default: 50 },
  ],
  async run(args, io) {
    const day = str(args, 'day');
    if (!day) throw usageError('--day YYYY-MM-DD is required');
    try {
      parseDay(day);
    } catch (e) {
      throw usageError((e as Error).message);
    }
    const inputs = positionals(args, 'LOGS').map((p) => path.resolve(p));
    const modelDir = str(args, 'model');
    const model = modelDir ? await loadLocalScoringModel(modelDir) : undefined;
    const json = flag(args, 'json');
    const progress = progressLine(io, json);
    let r;
    try {
      r = await dayAlerts(inputs, { day, historyDays: num(args, 'history-days'), threshold: num(args, 'threshold'), bucketMinutes: num(args, 'bucket'), model }, { signal: io.signal, logger: io.logger, onProgress: progress.update });
    } finally {
      progress.done();
    }
    const first = r.skippedFirst[0];
    if (r.skippedRecords) io.logger.warn(`${n(r.skippedRecords)} malformed CloudTrail record(s) skipped${first ? `, the first: ${first.file}:${first.line}: ${first.reason}` : ''}`);
    if (json) {
      io.out(JSON.stringify(r, null, 2));
      return 0;
    }
    const top = num(args, 'top') ?? 50;
    io.out(`${day}: ${n(r.alerts.length)} alert(s) above ${r.threshold} from ${n(r.files.day)} file(s) of the day (${n(r.files.history)} earlier file(s) as history)`);
    io.out(`  pairs: ${n(r.pairs.scored)} principal/IP pairs in ${n(r.pairs.events)} events (${n(r.pairs.serviceSources)} from AWS service hosts left out)`);
    io.out(`  activity: ${n(r.activity.pairs)} principal/API pairs, ${n(r.activity.spikes)} bucket(s) of ${r.activity.bucketSeconds / 60} min above their band`);
    if (r.sessions) io.out(`  sessions: ${n(r.sessions.flagged)} of ${n(r.sessions.scored)} flagged by ${r.sessions.model}`);
    if (r.alerts.length) {
      io.out('');
      io.out(formatTable(['SCORE', 'KIND', 'TIME', 'PRINCIPAL', 'WHAT', 'WHY'], r.alerts.slice(0, top).map((a) => [a.score.toFixed(3), a.kind, a.time.slice(0, 19).replace('T', ' '), printable(a.principal, 50), printable(a.subject, 45), printable(a.detail, 120)])));
    }
    return 0;
  },
};
