/** `secml cloudtrail activity`: calls per principal and API over time, and the buckets far above their baseline. */
import * as path from 'node:path';
import type { CommandSpec } from '../command';
import { flag, num, positionals, str, usageError } from '../args';
import { connectionFromEnv } from '../../core/aws/connection';
import { activityCounts, eventDays, findSpikes } from '../../core/analytics/activity-over-time';
import { SecmlError } from '../../core/errors';
import { throttle } from '../../core/progress';
import { openQueryEngine } from '../../core/query/open-engine';
import { printable } from '../../core/printable';
import { formatTable } from '../table';
import { isoOption } from './cloudtrail-pairs';

export const cloudtrailActivityCommand: CommandSpec = {
  name: 'activity',
  summary: 'Calls per principal and API over time, with the buckets far above their own baseline',
  description: [
    'Counts events per <principal, eventSource:eventName> per bucket with SQL on the cloudtrail table (DuckDB over',
    'LOGS, or Athena), then flags buckets above the pair\'s robust band (median + k x robust deviation, at least the',
    'same time of day on earlier days); spike score = 1 - band / count. See README "CloudTrail analytics".',
    '',
    'examples:',
    '  secml cloudtrail activity AWSLogs/ --score-from 2024-05-14',
    '  secml cloudtrail activity AWSLogs/ --bucket 15 --from 2024-05-14 --to 2024-05-15 --json',
    '  secml cloudtrail activity --engine athena --database security --from 2024-05-01 --to 2024-05-15',
  ].join('\n'),
  positionals: [{ name: 'LOGS', description: 'CloudTrail files or folders (DuckDB)', variadic: true }],
  options: [
    { name: 'from', type: 'string', valueName: 'TIME', description: 'start of the range (ISO time or day; default: the first day of the logs)' },
    { name: 'to', type: 'string', valueName: 'TIME', description: 'end of the range, exclusive (default: the day after the last event)' },
    { name: 'score-from', type: 'string', valueName: 'TIME', description: 'flag buckets from this time on; earlier ones are the baseline (default: the whole range)' },
    { name: 'bucket', type: 'number', valueName: 'MINUTES', description: 'bucket size', default: 60 },
    { name: 'k', type: 'number', valueName: 'K', description: 'band width in robust standard deviations', default: 3 },
    { name: 'threshold', short: 't', type: 'number', valueName: 'S', description: 'flag buckets whose spike score exceeds S', default: 0.2 },
    { name: 'top', type: 'number', valueName: 'N', description: 'spikes listed', default: 20 },
    { name: 'engine', type: 'string', valueName: 'duckdb|athena', description: 'query engine (default duckdb)' },
    { name: 'workgroup', type: 'string', valueName: 'NAME', description: 'Athena workgroup (env SECML_ATHENA_WORKGROUP)' },
    { name: 'output-location', type: 'string', valueName: 'S3_URI', description: 'Athena results location (env SECML_ATHENA_OUTPUT_LOCATION)' },
    { name: 'database', type: 'string', valueName: 'NAME', description: 'Athena database holding the cloudtrail table (env SECML_ATHENA_DATABASE)' },
  ],
  async run(args, io) {
    const engine = (str(args, 'engine') ?? 'duckdb').toLowerCase();
    if (engine !== 'duckdb' && engine !== 'athena') throw usageError(`--engine must be duckdb or athena, not "${engine}"`);
    const logs = positionals(args, 'LOGS').map((p) => path.resolve(p));
    if (engine === 'duckdb' && !logs.length) throw usageError('give the CloudTrail files or folders (LOGS), or --engine athena');
    if (engine === 'athena' && logs.length) throw usageError("LOGS are for DuckDB; Athena reads the cloudtrail table's S3 location");
    const bucket = num(args, 'bucket') ?? 60;
    const threshold = num(args, 'threshold') ?? 0.2;
    const top = num(args, 'top') ?? 20;
    if (!(threshold >= 0 && threshold < 1)) throw usageError(`--threshold is a score from 0 to 1, got ${threshold}`);
    let from = isoOption(str(args, 'from'), 'from');
    let to = isoOption(str(args, 'to'), 'to');
    const scoreFrom = isoOption(str(args, 'score-from'), 'score-from');
    const json = flag(args, 'json');
    const work = { signal: io.signal, logger: io.logger, onProgress: throttle((p) => p.message && io.logger.info(p.message), 1000) };
    const env = process.env;
    const qe = await openQueryEngine(
      {
        engine,
        logs,
        materialize: false,
        athena: engine === 'athena' ? { connection: connectionFromEnv(env), workgroup: str(args, 'workgroup') ?? env.SECML_ATHENA_WORKGROUP, outputLocation: str(args, 'output-location') ?? env.SECML_ATHENA_OUTPUT_LOCATION, database: str(args, 'database') ?? env.SECML_ATHENA_DATABASE } : undefined,
      },
      work,
    );
    try {
      if (from === undefined || to === undefined) {
        if (engine === 'athena') throw usageError('Athena needs --from and --to (a scan of the whole table costs money)');
        const days = await eventDays(qe, work);
        if (!days) throw new SecmlError('NO_SESSIONS', `No CloudTrail events in ${logs.join(', ')}.`);
        from ??= Date.parse(days.from);
        to ??= Date.parse(days.to);
      }
      const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString(), bucketSeconds: Math.round(bucket * 60) };
      const counts = await activityCounts(qe, range, work);
      const r = findSpikes(counts, range, { scoreFrom: scoreFrom !== undefined ? new Date(scoreFrom).toISOString() : undefined, k: num(args, 'k'), threshold });
      if (json) {
        io.out(JSON.stringify({ ...r, spikes: r.spikes, series: r.series.slice(0, Math.max(top, 0)) }, null, 2));
        return 0;
      }
      io.out(`${r.pairs.toLocaleString('en-US')} principal/API pairs, ${r.events.toLocaleString('en-US')} events in ${r.buckets} buckets of ${bucket} min from ${r.start} (scored from ${r.scoreFrom}); ${r.spikes.length} bucket(s) above the band by more than ${threshold}`);
      if (r.spikes.length) {
        io.out('');
        io.out(formatTable(['SCORE', 'BUCKET', 'CALLS', 'USUAL', 'BAND', 'PRINCIPAL', 'API'], r.spikes.slice(0, top).map((s) => [s.score.toFixed(3), s.start.slice(0, 16).replace('T', ' '), String(s.events), String(s.median), s.upper.toFixed(1), printable(s.principal, 60), printable(s.action, 60)])));
      }
      return 0;
    } finally {
      await qe.dispose();
    }
  },
};
