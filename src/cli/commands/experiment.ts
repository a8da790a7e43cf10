/**
 * `secml experiment run SPEC`: the seed's batch driver (TrainRunner.start_jobs + wait_for_jobs + "print a comparison"):
 * flattens once, trains one run per variant (up to the concurrency limit), evaluates each and prints the comparison.
 * `secml experiment list` / `compare NAME` read the run store.
 */
import * as path from 'node:path';
import type { CliIO, CommandSpec, ParsedArgs } from '../command';
import { flag, list, num, positional, str, usageError } from '../args';
import { cancelledError } from '../../core/errors';
import { printable } from '../../core/printable';
import { loadExperimentSpec, type BackendName } from '../../core/experiments/spec';
import { RunStore } from '../../core/experiments/run-store';
import { launchExperiment } from '../../core/experiments/runner';
import { baselineOf, comparisonCsv, comparisonRows, defaultEvaluationSet, headlineMetrics, meetsTarget, METRIC_COLUMNS, TARGET, type ComparisonRow, type EvaluationSet } from '../../core/experiments/comparison';
import { createRunnerDeps } from '../../core/experiments/engine';
import { AWS_OPTIONS, awsSessionFromArgs, sageMakerOptionsExcept, sageMakerSettingsFromArgs } from '../aws-options';
import type { MetricsSummary, RunRecord } from '../../core/experiments/run-record';

const workspaceOption = { name: 'workspace', short: 'w', type: 'string' as const, valueName: 'DIR', description: 'Folder whose .secml/ holds the run store (default: the current folder, or the spec\'s folder when the spec is outside it).' };

function workspaceFor(args: ParsedArgs, specFile?: string): string {
  const given = str(args, 'workspace');
  if (given) return path.resolve(given);
  const cwd = process.cwd();
  if (!specFile) return cwd;
  const rel = path.relative(cwd, path.resolve(specFile));
  return rel.startsWith('..') || path.isAbsolute(rel) ? path.dirname(path.resolve(specFile)) : cwd;
}

/** `--set` when given (validated before any work starts); otherwise the caller picks the default from the runs. */
function givenSet(args: ParsedArgs): EvaluationSet | undefined {
  const s = str(args, 'set');
  if (s !== undefined && s !== 'test' && s !== 'evaluation') throw usageError(`--set expects test or evaluation, got "${s}"`);
  return s;
}

const pct = (v: number | null | undefined) => (v === undefined || v === null || !Number.isFinite(v) ? '-' : `${(v * 100).toFixed(1)}%`);
const dec = (v: number | null | undefined) => (v === undefined || v === null || !Number.isFinite(v) ? '-' : v.toFixed(3));

function targetLine(meeting: string[]): string {
  if (meeting.length === 0) return `${TARGET.label}: no run meets it.`;
  return `${TARGET.label}: met by ${meeting.join(', ')}.`;
}

/** The comparison as an aligned text table (runs, baseline, target). */
export function formatComparison(rows: ComparisonRow[], baseline: MetricsSummary | undefined, set: EvaluationSet): string {
  const head = ['variant', 'status', ...METRIC_COLUMNS.map((c) => c.label), 'train s', 'target'];
  const cells = (m: MetricsSummary | undefined) => METRIC_COLUMNS.map((c) => (m ? (c.kind === 'rate' ? pct(m[c.key]) : c.kind === 'score' ? dec(m[c.key]) : String(m[c.key])) : '-'));
  const body = rows.map((r) => [r.variant, r.status, ...cells(r.metrics), r.trainingSeconds === undefined ? '-' : r.trainingSeconds.toFixed(1), r.meetsTarget ? 'yes' : '-']);
  if (baseline) body.push(['baseline (all negative)', '', ...cells(baseline), '', '-']);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cols: string[]) => cols.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  const errors = rows.filter((r) => r.error && r.status !== 'completed').map((r) => `  ${r.variant}: ${r.error}`);
  return [
    `Comparison on the ${set === 'test' ? 'test split' : 'evaluation files'}:`,
    line(head),
    ...body.map(line),
    targetLine(rows.filter((r) => r.meetsTarget).map((r) => r.variant)),
    ...(errors.length ? ['', 'Not completed:', ...errors] : []),
  ].join('\n');
}

function runJson(r: RunRecord) {
  return {
    id: r.id,
    variant: r.variant,
    variantSpec: r.variantSpec,
    status: r.status,
    backend: r.backend,
    trainingSeconds: r.trainingSeconds,
    metrics: { test: r.summary?.test, evaluation: r.summary?.evaluation },
    baseline: r.summary?.baseline,
    /** On the evaluation files when the run has them, else on the test split (`headlineSet`). */
    headlineSet: headlineMetrics(r)?.set,
    meetsTarget: meetsTarget(headlineMetrics(r)?.metrics),
    job: r.job,
    error: r.error,
    interruptedReason: r.interruptedReason,
  };
}

const runCommand: CommandSpec = {
  name: 'run',
  summary: 'Launch an experiment spec: flatten once, train every variant, evaluate, print the comparison',
  description: [
    'Examples:',
    '  secml experiment run sample.secml.json',
    '  secml experiment run sample.secml.json --variant first:5 --variant last:5 --max-concurrent 1',
    '  secml experiment run sample.secml.json --json > runs.json',
    'Exit code 0 when every run completed or was stopped on request, 1 when one failed, 130 when cancelled (runs are then "stopped").',
  ].join('\n'),
  positionals: [{ name: 'SPEC', description: 'The experiment spec (*.secml.json).', required: true }],
  options: [
    { name: 'backend', type: 'string', valueName: 'local|sagemaker', description: 'Where to train (default: the spec\'s "backend").' },
    { name: 'max-concurrent', type: 'number', valueName: 'N', description: 'Runs training at the same time (default: the spec\'s maxConcurrentRuns, else 2).' },
    { name: 'variant', type: 'string', multiple: true, valueName: 'V', description: 'Run only this variant (spec or name); repeatable.' },
    { name: 'set', type: 'string', valueName: 'test|evaluation', description: 'Which evaluation the printed comparison shows (default: the evaluation files when the spec has them, else the test split).' },
    workspaceOption,
    ...AWS_OPTIONS,
    ...sageMakerOptionsExcept('ip-insights-image'),
  ],
  async run(args, io) {
    const specFile = positional(args, 'SPEC')!;
    const backend = str(args, 'backend');
    if (backend !== undefined && backend !== 'local' && backend !== 'sagemaker') throw usageError(`--backend expects local or sagemaker, got "${backend}"`);
    const maxConcurrent = num(args, 'max-concurrent');
    if (maxConcurrent !== undefined && (!Number.isInteger(maxConcurrent) || maxConcurrent < 1 || maxConcurrent > 32)) throw usageError('--max-concurrent expects an integer from 1 to 32');
    const setGiven = givenSet(args);
    const loaded = await loadExperimentSpec(specFile);
    const store = RunStore.forWorkspace(workspaceFor(args, specFile));
    const deps = createRunnerDeps({
      store,
      logger: io.logger,
      // SageMaker: flags, then the spec's "sagemaker" options, then environment (loaded only when used).
      sagemaker: async (spec) => {
        const { SageMakerBackend } = require('../../core/backends/sagemaker/backend') as typeof import('../../core/backends/sagemaker/backend');
        const fromSpec = Object.fromEntries(Object.entries(spec.sagemaker ?? {}).filter(([, v]) => v !== undefined));
        return new SageMakerBackend(awsSessionFromArgs(args), sageMakerSettingsFromArgs(args, fromSpec));
      },
    });
    const launch = await launchExperiment(loaded, deps, {
      backend: backend as BackendName | undefined,
      maxConcurrentRuns: maxConcurrent,
      variants: list(args, 'variant'),
      signal: io.signal,
      logger: io.logger,
    });
    io.logger.info(`Experiment ${launch.experiment}, launch ${launch.launchId}: ${launch.runs.length} run(s) in ${store.experimentDir(launch.experiment)}`);
    const runs = await launch.done;
    const set = setGiven ?? defaultEvaluationSet(runs);
    if (flag(args, 'json')) {
      io.out(JSON.stringify({ experiment: launch.experiment, launchId: launch.launchId, store: store.experimentDir(launch.experiment), target: { recall: TARGET.recall, fpr: TARGET.fpr }, runs: runs.map(runJson) }, null, 2));
    } else {
      io.out(formatComparison(comparisonRows(runs, set), baselineOf(runs, set), set));
    }
    if (io.signal.aborted) throw cancelledError();
    // A run stopped on request (VS Code's Stop) is not a failure.
    return runs.some((r) => r.status === 'failed' || r.status === 'interrupted') ? 1 : 0;
  },
};

const listCommand: CommandSpec = {
  name: 'list',
  summary: 'List experiments and their runs in the run store',
  options: [workspaceOption],
  async run(args, io) {
    const store = RunStore.forWorkspace(workspaceFor(args));
    const experiments = await store.listExperiments();
    if (flag(args, 'json')) {
      io.out(JSON.stringify({ experiments: experiments.map((e) => ({ name: e.name, description: e.record?.description, specFile: e.record?.specFile, runs: e.runs.map(runJson) })) }, null, 2));
      return 0;
    }
    if (experiments.length === 0) io.out(`No experiments in ${store.root}.`);
    for (const e of experiments) {
      io.out(`${printable(e.name)}${e.record?.description ? `: ${printable(e.record.description)}` : ''}`);
      let launch: string | undefined;
      for (const r of e.runs) {
        if (r.launchId !== launch) io.out(`  launch ${printable((launch = r.launchId))} (${r.backend})`);
        const h = headlineMetrics(r);
        const figures = h ? `recall@FPR5% ${pct(h.metrics.recallAtFpr5)} on the ${h.set === 'test' ? 'test split' : 'evaluation files'}` : printable(r.error?.message ?? r.interruptedReason ?? r.progress?.phase ?? '');
        io.out(`    ${printable(r.variant).padEnd(12)} ${r.status.padEnd(11)} ${figures}`);
      }
    }
    return 0;
  },
};

const compareCommand: CommandSpec = {
  name: 'compare',
  summary: 'Print the comparison of an experiment\'s runs (text, --csv or --json)',
  positionals: [{ name: 'EXPERIMENT', description: 'Experiment name (see: secml experiment list).', required: true }],
  options: [
    { name: 'set', type: 'string', valueName: 'test|evaluation', description: 'Test split or evaluation files (default: the evaluation files when the runs have them, else the test split).' },
    { name: 'launch', type: 'string', valueName: 'ID', description: 'The runs of this launch (default: the latest; see secml experiment list).' },
    { name: 'all', type: 'boolean', description: 'The runs of every launch.' },
    { name: 'csv', type: 'boolean', description: 'Print CSV (runs, baseline, target).' },
    workspaceOption,
  ],
  async run(args, io: CliIO) {
    const store = RunStore.forWorkspace(workspaceFor(args));
    const name = positional(args, 'EXPERIMENT')!;
    const setGiven = givenSet(args);
    if (flag(args, 'all') && str(args, 'launch') !== undefined) throw usageError('--launch and --all exclude each other');
    const all = await store.listRuns(name);
    // Newest launch first in the store: by default the latest launch alone (re-runs would otherwise repeat variants).
    const launchId = flag(args, 'all') ? undefined : (str(args, 'launch') ?? all[0]?.launchId);
    const runs = all.filter((r) => !launchId || r.launchId === launchId);
    if (runs.length === 0) throw usageError(`No runs for experiment "${name}"${launchId ? ` launch ${launchId}` : ''} in ${store.root}.`);
    const earlier = new Set(all.map((r) => r.launchId)).size - 1;
    const set = setGiven ?? defaultEvaluationSet(runs);
    const rows = comparisonRows(runs, set);
    if (flag(args, 'json')) io.out(JSON.stringify({ experiment: name, set, target: { recall: TARGET.recall, fpr: TARGET.fpr }, baseline: baselineOf(runs, set), runs: runs.map(runJson) }, null, 2));
    else if (flag(args, 'csv')) io.out(comparisonCsv(rows, set, baselineOf(runs, set)));
    else {
      if (launchId && earlier > 0) io.err(`launch ${launchId}; ${earlier} other launch(es): --launch ID or --all (ids: secml experiment list)`);
      io.out(formatComparison(rows, baselineOf(runs, set), set));
    }
    return 0;
  },
};

export const experimentCommand: CommandSpec = {
  name: 'experiment',
  summary: 'Run an experiment spec: one model per variant, locally or on SageMaker; list and compare runs',
  subcommands: [runCommand, listCommand, compareCommand],
};
