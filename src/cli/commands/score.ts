/** `secml score`: rank the sessions of new logs by attack probability with a local model or a SageMaker endpoint. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CliIO, CommandSpec, ParsedArgs } from '../command';
import { flag, num, positional, positionals, str, usageError } from '../args';
import { AWS_OPTIONS, awsSessionFromArgs } from '../aws-options';
import { progressLine } from '../progress-line';
import { formatTable } from '../table';
import { isSecmlError, SecmlError, userMessage } from '../../core/errors';
import { RunStore } from '../../core/experiments/run-store';
import { formatMetricsText } from '../../core/metrics/text-report';
import { endpointRun } from '../../core/scoring/model-choices';
import { loadLocalScoringModel } from '../../core/scoring/local-model';
import { readModelInfo } from '../../core/scoring/model-info';
import { scoreLogs, type ScoreResult } from '../../core/scoring/score-logs';
import { printable } from '../../core/printable';
import { scoreSummary, unseenMessage, type ScoredSession } from '../../core/scoring/score-summary';
import { defaultScoresPath, writeScoresCsv } from '../../core/scoring/scores-csv';
import { thresholdOf, type ScoringModel } from '../../core/scoring/scoring-model';

const ENDPOINT_ARN = /^arn:aws[a-z-]*:sagemaker:[^:]*:\d*:endpoint\/(.+)$/i;

interface EndpointTarget {
  name: string;
  /** Said so (endpoint:NAME or an ARN), rather than guessed from a name that is not a path. */
  explicit: boolean;
}

/** `endpoint:NAME`, an endpoint ARN, or a name that is not a path: an endpoint; else undefined (a local model). */
async function endpointOf(target: string): Promise<EndpointTarget | undefined> {
  if (target.startsWith('endpoint:')) return { name: target.slice('endpoint:'.length), explicit: true };
  const arn = ENDPOINT_ARN.exec(target);
  if (arn) return { name: arn[1], explicit: true };
  if (await fs.stat(target).then(() => true, () => false)) return undefined;
  if (/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(target)) return { name: target, explicit: false };
  throw new SecmlError('NOT_FOUND', 'does not exist: expected a model folder, or endpoint:NAME for a SageMaker endpoint.', { file: target });
}

async function endpointModel(args: ParsedArgs, io: CliIO, { name, explicit }: EndpointTarget): Promise<{ model: ScoringModel; close: () => void }> {
  // Loaded here only: the AWS SDK stays out of local scoring.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { describeScoringEndpoint, endpointScoringModel } = require('../../core/scoring/endpoint-model') as typeof import('../../core/scoring/endpoint-model');
  const session = awsSessionFromArgs(args);
  try {
    const ep = await describeScoringEndpoint(session, name, io.signal).catch((e: unknown) => {
      if (explicit && !(isSecmlError(e) && e.code === 'NOT_FOUND')) throw e;
      throw new SecmlError('NOT_FOUND', `${explicit ? 'no SageMaker endpoint of that name in this account and region' : 'no such model folder'} (${explicit ? userMessage(e) : `as an endpoint name: ${userMessage(e)}`}).`, { file: name, cause: e });
    });
    const vocab = str(args, 'vocab');
    let info, threshold, label;
    if (vocab) {
      const d = await readModelInfo(vocab);
      info = d.info;
      threshold = thresholdOf(d.thresholdAtFpr5, `the threshold at FPR 5% in ${path.basename(d.file)}`);
    } else {
      const store = RunStore.forWorkspace(path.resolve(str(args, 'workspace') ?? '.'));
      const r = await endpointRun(store, name, ep.tags);
      info = r.described.info;
      threshold = r.threshold;
      label = `${name} (${r.run.experiment} / ${r.run.variant})`;
    }
    return { model: endpointScoringModel(session, { endpointName: name, info, threshold, label }), close: () => session.destroy() };
  } catch (e) {
    session.destroy();
    throw e;
  }
}

const n = (x: number) => x.toLocaleString('en-US');

function duration(s: ScoredSession): string {
  if (!s.firstTime || !s.lastTime) return '';
  const secs = (Date.parse(s.lastTime) - Date.parse(s.firstTime)) / 1000;
  return secs < 120 ? `${Math.round(secs)} s` : secs < 7200 ? `${Math.round(secs / 60)} min` : `${(secs / 3600).toFixed(1)} h`;
}

function describe(r: ScoreResult, top: number, csv: string | undefined): string {
  const s = scoreSummary(r, top);
  const names = r.inputs.map((i) => path.basename(i)).join(', ');
  const lines = [
    `Scored ${n(s.sessions)} sessions (${n(s.events)} events) of ${names} with ${r.model.label} (${r.model.location}) in ${r.seconds.total.toFixed(2)} s`,
    `${n(s.flagged)} flagged at threshold ${s.threshold.toPrecision(4)} (${s.thresholdSource})`,
  ];
  if (s.top.length) {
    const hasLabel = r.table.labels !== null;
    lines.push(
      '',
      formatTable(
        ['RANK', 'PROBABILITY', 'FLAG', ...(hasLabel ? ['LABEL'] : []), 'SESSION', 'EVENTS', 'START', 'SPAN', 'FIRST EVENTS'],
        s.top.map((t) => [
          String(t.rank),
          t.probability.toFixed(4),
          t.flagged ? 'yes' : '',
          ...(hasLabel ? [t.label === 1 ? 'attacker' : t.label === 0 ? 'normal' : ''] : []),
          printable(t.session, 40),
          n(t.events),
          t.firstTime ? t.firstTime.slice(0, 19).replace('T', ' ') : '',
          duration(t),
          printable(t.firstEvents.join(' '), 60),
        ]),
      ),
    );
  }
  if (r.metrics) lines.push('', formatMetricsText(r.metrics, `labelled sessions (${n(r.labelled)})`));
  if (csv) lines.push('', `scores: ${csv}`);
  return lines.join('\n');
}

export const scoreCommand: CommandSpec = {
  name: 'score',
  summary: 'Score log files with a model and rank sessions by attack probability',
  description: [
    "Reads the logs with the model's reader options, flattens them with the model's vocabulary (event types it never saw",
    'are counted as __other__ and reported), scores every session, ranks them, and writes <FILE>.scores.csv',
    '(session,probability,flagged[,label], highest first). A session is flagged when probability >= the threshold',
    "(default: the model's threshold at FPR 5%). When the logs carry labels, the metrics on the labelled sessions are",
    'printed; --json gives them with the keys of "secml eval --json".',
    '',
    'MODEL_DIR_OR_ENDPOINT: a model folder (secml train, or a run folder of an experiment), or endpoint:NAME for an InService',
    "SageMaker endpoint: its vocabulary comes from the run that deployed it (the workspace's run store), or --vocab.",
    '',
    'examples:',
    '  secml score .secml/experiments/harvest/20250101-120000-full single.txt',
    '  secml score models/full logs/ --out /tmp/day.scores.csv --top 50',
    '  secml score endpoint:harvest-full-20250101-abc123 single.txt --json',
  ].join('\n'),
  positionals: [
    { name: 'MODEL_DIR_OR_ENDPOINT', description: 'model folder, run folder, or endpoint:NAME', required: true },
    { name: 'FILE_OR_DIR', description: 'log files or folders to score', required: true, variadic: true },
  ],
  options: [
    { name: 'threshold', short: 't', type: 'number', valueName: 'T', description: "flag sessions with probability >= T (default: the model's threshold at FPR 5%)" },
    { name: 'out', short: 'o', type: 'string', valueName: 'FILE', description: 'write the scores CSV here (default: <FILE>.scores.csv beside the input)' },
    { name: 'force', short: 'f', type: 'boolean', description: 'overwrite an existing scores CSV' },
    { name: 'no-csv', type: 'boolean', description: 'write no scores CSV' },
    { name: 'top', type: 'number', valueName: 'N', description: 'sessions listed (text and --json)', default: 20 },
    { name: 'vocab', type: 'string', valueName: 'MANIFEST', description: 'reader, vocabulary and feature order from this dataset manifest or secml-model.json (a bare XGBoost model, an endpoint without a known run)' },
    { name: 'workspace', short: 'w', type: 'string', valueName: 'DIR', description: 'folder whose .secml/ run store maps endpoints to their runs (default: the current folder)' },
    ...AWS_OPTIONS,
  ],
  async run(args, io) {
    const target = positional(args, 'MODEL_DIR_OR_ENDPOINT')!;
    const inputs = positionals(args, 'FILE_OR_DIR').map((p) => path.resolve(p));
    const top = num(args, 'top') ?? 20;
    if (!Number.isInteger(top) || top < 0) throw usageError(`--top expects a whole number >= 0, got ${top}`);
    const threshold = num(args, 'threshold');
    if (threshold !== undefined && !(threshold >= 0 && threshold <= 1)) throw usageError(`--threshold is a probability between 0 and 1, got ${threshold}`);
    const noCsv = flag(args, 'no-csv');
    if (noCsv && str(args, 'out')) throw usageError('--out and --no-csv contradict each other');
    if (!noCsv && !str(args, 'out') && inputs.length > 1) throw usageError('several inputs: say where the scores go with --out FILE (or --no-csv)');
    const csv = noCsv ? undefined : path.resolve(str(args, 'out') ?? defaultScoresPath(inputs[0]));
    if (csv && !flag(args, 'force') && (await fs.stat(csv).then(() => true, () => false))) {
      throw new SecmlError('CONFLICT', 'already exists: use --force to overwrite it, or --out FILE.', { file: csv });
    }

    const endpoint = await endpointOf(target);
    const { model, close } = endpoint ? await endpointModel(args, io, endpoint) : { model: await loadLocalScoringModel(target, { vocab: str(args, 'vocab') }), close: () => {} };
    const progress = progressLine(io, flag(args, 'json'));
    let result: ScoreResult;
    try {
      result = await scoreLogs(inputs, model, { threshold }, { signal: io.signal, logger: io.logger, onProgress: progress.update });
    } finally {
      progress.done();
      close();
    }
    const unseen = unseenMessage(result.table.unseen);
    if (unseen) io.logger.warn(unseen);
    if (result.table.skipped.count) io.logger.warn(`${n(result.table.skipped.count)} malformed row(s) skipped, the first: ${result.table.skipped.first[0] ? `${result.table.skipped.first[0].file}:${result.table.skipped.first[0].line}: ${result.table.skipped.first[0].reason}` : ''}`);
    if (csv) await writeScoresCsv(result, csv, { overwrite: flag(args, 'force') });
    if (flag(args, 'json')) io.out(JSON.stringify({ ...scoreSummary(result, top), ...(csv ? { scoresCsv: csv } : {}) }, null, 2));
    else io.out(describe(result, top, csv));
    return 0;
  },
};
