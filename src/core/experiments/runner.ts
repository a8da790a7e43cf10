/**
 * Runs an experiment: records one queued run per variant, flattens the inputs once (all variants in one pass), then trains
 * the runs on a backend, at most `maxConcurrentRuns` at a time, and evaluates each finished model on the test split and
 * the evaluation files. Backend-agnostic: the local worker-thread trainer and SageMaker plug in through `Backend`.
 *
 * - Cancellation: `launch.stop(runId)` stops one run (a queued run never starts), `launch.stop()` or the work signal stops
 *   all. A stopped run is `stopped`, never `failed`.
 * - Teardown: a scorer (SageMaker: an endpoint) is disposed in `finally`, also when evaluation fails or is cancelled.
 * - Every state change is written to the run store atomically and reported through `onEvent`; a heartbeat keeps
 *   active runs fresh so another process can tell a live run from an interrupted one.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isCancellation, isSecmlError, SecmlError, userMessage } from '../errors';
import type { Logger, WorkOptions } from '../progress';
import { withScorer, type Backend, type Scorer, type TrainResult, type TrainStatus } from '../backends/backend';
import { headlineMetrics } from './comparison';
import { HEARTBEAT_MS, STOP_POLL_MS } from './process-owner';
import { isFinished, type RunMetrics, type RunRecord } from './run-record';
import type { RunStore } from './run-store';
import { hyperparametersFor, specLine, unmatchedOverrides, type BackendName, type ExperimentSpec, type LoadedSpec } from './spec';

export interface VariantRef {
  /** As written in the spec: `first:5`. */
  spec: string;
  /** Folder and run name: `first5`. */
  name: string;
}

/** Flattening, as the runner needs it (src/core/features in production, a fake in tests). */
export interface DatasetPreparer {
  /** The variant's name; throws BAD_ARGUMENT for a spec the flattener does not understand. */
  variantName(variantSpec: string): string;
  /** Flattens the spec's inputs once into `outDir/<variant name>/` for every variant. */
  flatten(spec: ExperimentSpec, variants: VariantRef[], outDir: string, work: WorkOptions): Promise<void>;
}

export interface EvaluationInput {
  spec: ExperimentSpec;
  run: RunRecord;
  /** `<dataset>/<variant>`: test.csv, manifest.json. */
  variantDir: string;
  result: TrainResult;
  scorer: Scorer;
}

/** Scores a trained run on its test split and the spec's evaluation files. */
export interface RunEvaluator {
  evaluate(input: EvaluationInput, work: WorkOptions): Promise<RunMetrics>;
}

export interface RunnerDeps {
  store: RunStore;
  /** The backend for a launch (the spec carries backend options, e.g. its SageMaker instance type). */
  backend(name: BackendName, spec: ExperimentSpec): Promise<Backend>;
  datasets: DatasetPreparer;
  evaluator: RunEvaluator;
  /** Rejects hyperparameters the backend cannot train with (BAD_ARGUMENT), before anything starts. */
  checkHyperparameters?(backend: BackendName, hyperparameters: Record<string, string>): void;
}

export type RunnerEvent = { type: 'run'; run: RunRecord } | { type: 'finished'; experiment: string; launchId: string; runs: RunRecord[] };

export interface LaunchOptions extends WorkOptions {
  /** Only these variants (spec or name); default all of the spec's. */
  variants?: string[];
  backend?: BackendName;
  maxConcurrentRuns?: number;
  /** Variant name -> a remote job to re-attach to instead of starting a new one (an interrupted SageMaker run's job). */
  resumeJobs?: Record<string, string>;
  onEvent?(event: RunnerEvent): void;
}

export interface ExperimentLaunch {
  readonly experiment: string;
  readonly launchId: string;
  /** Live records (the same objects the runner updates). */
  readonly runs: readonly RunRecord[];
  /** Stops one run, or every run of the launch. */
  stop(runId?: string): void;
  /** Resolves with the final records once every run has finished (it never rejects: failures are run statuses). */
  readonly done: Promise<RunRecord[]>;
}

const DEFAULT_CONCURRENCY = 2;
const PROGRESS_WRITE_MS = 1000;
/** Share of a run's progress bar taken by the shared flatten, training and evaluation. */
const FLATTEN_SHARE = 0.1;
const TRAIN_SHARE = 0.8;

/** Resolves the variants to run (all, or the requested subset) and checks them and their hyperparameters up front. */
function planRuns(loaded: LoadedSpec, deps: RunnerDeps, backend: BackendName, only?: string[]): { variant: VariantRef; hyperparameters: Record<string, string> }[] {
  const { spec } = loaded;
  const all: VariantRef[] = spec.variants.map((v, i) => {
    try {
      return { spec: v, name: deps.datasets.variantName(v) };
    } catch (e) {
      throw new SecmlError('BAD_ARGUMENT', `variants[${i}]: ${userMessage(e)}`, { file: loaded.file, line: specLine(loaded, ['variants', i]), cause: e });
    }
  });
  const stray = unmatchedOverrides(spec, all);
  if (stray.length) throw new SecmlError('BAD_ARGUMENT', `overrides.${stray[0]}: matches no variant (use a variant as written, e.g. "first:5", or its name, e.g. "first5")`, { file: loaded.file, line: specLine(loaded, ['overrides', stray[0]]) });
  let chosen = all;
  if (only?.length) {
    chosen = only.map((o) => {
      const v = all.find((a) => a.spec === o || a.name === o);
      if (!v) throw new SecmlError('BAD_ARGUMENT', `Variant "${o}" is not in ${path.basename(loaded.file)} (it has: ${all.map((a) => a.name).join(', ')}).`);
      return v;
    });
  }
  return chosen.map((variant) => {
    const hyperparameters = hyperparametersFor(spec, variant.spec, variant.name);
    try {
      deps.checkHyperparameters?.(backend, hyperparameters);
    } catch (e) {
      const where = spec.overrides[variant.spec] ? ['overrides', variant.spec] : spec.overrides[variant.name] ? ['overrides', variant.name] : ['hyperparameters'];
      throw new SecmlError('BAD_ARGUMENT', `${variant.name}: ${userMessage(e)}`, { file: loaded.file, line: specLine(loaded, where), cause: e });
    }
    return { variant, hyperparameters };
  });
}

/**
 * Validates the spec against the backend and the flattener, records the launch (every run queued) and starts it.
 * Throws only for problems found before anything is recorded; later failures are run statuses.
 */
export async function launchExperiment(loaded: LoadedSpec, deps: RunnerDeps, options: LaunchOptions = {}): Promise<ExperimentLaunch> {
  const backendName = options.backend ?? loaded.spec.backend;
  const plan = planRuns(loaded, deps, backendName, options.variants);
  const backend = await deps.backend(backendName, loaded.spec);
  const { launchId, runs } = await deps.store.createLaunch(
    loaded.spec,
    loaded.file,
    backendName,
    plan.map((p) => ({ variant: p.variant.name, variantSpec: p.variant.spec, hyperparameters: p.hyperparameters })),
  );
  const execution = new LaunchExecution(loaded.spec, launchId, runs, backend, deps, options);
  return {
    experiment: loaded.spec.name,
    launchId,
    runs,
    stop: (runId) => execution.stop(runId),
    done: execution.start(),
  };
}

class LaunchExecution {
  private readonly controllers = new Map<string, AbortController>();
  private readonly all = new AbortController();
  private readonly lastWrite = new Map<string, number>();
  private readonly logChains = new Map<string, Promise<void>>();
  private readonly logger?: Logger;

  constructor(
    private readonly spec: ExperimentSpec,
    private readonly launchId: string,
    private readonly runs: RunRecord[],
    private readonly backend: Backend,
    private readonly deps: RunnerDeps,
    private readonly options: LaunchOptions,
  ) {
    this.logger = options.logger;
    for (const r of runs) this.controllers.set(r.id, new AbortController());
    const outer = options.signal;
    if (outer) {
      if (outer.aborted) this.stop();
      else outer.addEventListener('abort', () => this.stop(), { once: true });
    }
  }

  stop(runId?: string): void {
    for (const run of this.runs) {
      if (runId !== undefined && run.id !== runId) continue;
      this.controllers.get(run.id)?.abort();
      if (run.status === 'queued') void this.finish(run, 'stopped', { message: 'Stopped before it started.' });
    }
    if (this.runs.every((r) => this.controllers.get(r.id)?.signal.aborted)) this.all.abort();
  }

  async start(): Promise<RunRecord[]> {
    const heartbeat = setInterval(() => void this.beat(), HEARTBEAT_MS);
    heartbeat.unref?.();
    const stopPoll = setInterval(() => void this.pollStopRequests(), STOP_POLL_MS);
    stopPoll.unref?.();
    try {
      for (const r of this.runs) this.emit(r);
      const datasetDir = this.deps.store.datasetDir(this.spec.name, this.launchId);
      const flattened = await this.flattenOnce(datasetDir);
      if (flattened) await this.trainAll(datasetDir);
    } finally {
      clearInterval(heartbeat);
      clearInterval(stopPoll);
      await Promise.all([...this.logChains.values()]).catch(() => {});
    }
    this.options.onEvent?.({ type: 'finished', experiment: this.spec.name, launchId: this.launchId, runs: structuredClone(this.runs) });
    this.reportOverall(true);
    return this.runs;
  }

  /** One flatten for every variant of the launch. On failure every waiting run fails (or stops) with its reason. */
  private async flattenOnce(datasetDir: string): Promise<boolean> {
    const waiting = () => this.runs.filter((r) => r.status === 'queued');
    for (const r of waiting()) await this.update(r, { progress: { phase: 'flattening', fraction: 0, message: 'Flattening the logs (shared by every run)' } }, true);
    this.log(undefined, `Flattening ${this.spec.input.files.length} input(s) into ${this.runs.length} variant(s)`);
    try {
      await this.deps.datasets.flatten(
        this.spec,
        this.runs.map((r) => ({ spec: r.variantSpec, name: r.variant })),
        datasetDir,
        {
          signal: this.all.signal,
          logger: this.launchLogger(),
          onProgress: (p) => {
            for (const r of waiting()) void this.update(r, { progress: { phase: 'flattening', fraction: FLATTEN_SHARE * (p.fraction ?? 0), message: p.message ?? 'Flattening' } });
          },
        },
      );
    } catch (e) {
      for (const r of waiting()) await this.finish(r, isCancellation(e) ? 'stopped' : 'failed', errorOf(e));
      return false;
    }
    for (const r of this.runs) {
      const manifest = path.join(datasetDir, r.variant, 'manifest.json');
      await fs.copyFile(manifest, path.join(this.deps.store.runDir(r.experiment, r.id), 'dataset-manifest.json')).catch(() => {});
    }
    return true;
  }

  private async trainAll(datasetDir: string): Promise<void> {
    const queue = this.runs.filter((r) => r.status === 'queued');
    for (const r of queue) await this.update(r, { progress: { phase: 'queued', fraction: FLATTEN_SHARE, message: 'Waiting for a free slot' } }, true);
    const limit = Math.max(1, this.options.maxConcurrentRuns ?? this.spec.maxConcurrentRuns ?? DEFAULT_CONCURRENCY);
    const worker = async () => {
      for (let run = queue.shift(); run; run = queue.shift()) {
        if (run.status !== 'queued') continue;
        await this.runOne(run, path.join(datasetDir, run.variant));
      }
    };
    await Promise.all(Array.from({ length: Math.min(limit, queue.length) }, worker));
  }

  private async runOne(run: RunRecord, variantDir: string): Promise<void> {
    const signal = this.controllers.get(run.id)!.signal;
    const runLogger = this.runLogger(run);
    const t0 = Date.now();
    await this.update(run, { status: 'running', startedAt: new Date().toISOString(), progress: { phase: 'starting', fraction: FLATTEN_SHARE } }, true);
    this.log(run, `Training ${run.variant} on ${this.backend.name} with ${JSON.stringify(run.hyperparameters)}`);
    try {
      const result = await this.backend.train(
        {
          experiment: run.experiment,
          runId: run.id,
          variant: run.variant,
          datasetDir: variantDir,
          hyperparameters: run.hyperparameters,
          runDir: this.deps.store.runDir(run.experiment, run.id),
          resumeJobName: this.options.resumeJobs?.[run.variant],
        },
        {
          signal,
          logger: runLogger,
          onProgress: (p) => {
            const f = p.fraction ?? (p.total ? (p.done ?? 0) / p.total : undefined);
            void this.update(run, {
              progress: {
                ...run.progress,
                phase: 'training',
                fraction: f === undefined ? run.progress?.fraction : FLATTEN_SHARE + TRAIN_SHARE * f,
                message: p.message,
                round: p.unit === 'rounds' || p.unit === 'round' ? p.done : run.progress?.round,
                rounds: p.unit === 'rounds' || p.unit === 'round' ? p.total : run.progress?.rounds,
              },
            });
          },
          onStatus: (s) => void this.onStatus(run, s),
        },
      );
      const trainingSeconds = (Date.now() - t0) / 1000;
      await this.update(run, { modelDir: result.modelDir, job: jobOf(run, result), trainingSeconds, progress: { phase: 'evaluating', fraction: FLATTEN_SHARE + TRAIN_SHARE, message: 'Scoring the test split and evaluation files' } }, true);
      this.log(run, `Trained in ${trainingSeconds.toFixed(1)} s; evaluating`);
      const work = { signal, logger: runLogger };
      // withScorer disposes the scorer (SageMaker: endpoint, config, model) whatever happens; a failed teardown fails the run.
      const scored = { ...result, experiment: run.experiment, variant: run.variant, runId: run.id };
      const metrics = await withScorer(this.backend, scored, work, (scorer) => this.deps.evaluator.evaluate({ spec: this.spec, run, variantDir, result, scorer }, work));
      if (result.finalMetrics) metrics.finalMetrics = result.finalMetrics;
      await this.deps.store.writeMetrics(run.experiment, run.id, metrics);
      run.summary = { test: metrics.test.summary, evaluation: metrics.evaluation?.summary, baseline: { test: metrics.test.baseline, evaluation: metrics.evaluation?.baseline } };
      await this.finish(run, 'completed');
    } catch (e) {
      const stopped = isCancellation(e) || signal.aborted;
      if (!stopped) runLogger.error(userMessage(e));
      await this.finish(run, stopped ? 'stopped' : 'failed', stopped ? { message: 'Stopped.' } : errorOf(e));
    }
  }

  private async onStatus(run: RunRecord, s: TrainStatus): Promise<void> {
    const job = { ...run.job, name: s.jobName ?? run.job?.name, arn: s.jobArn ?? run.job?.arn, consoleUrl: s.consoleUrl ?? run.job?.consoleUrl, logsUrl: s.logsUrl ?? run.job?.logsUrl };
    const phase = s.secondary ? `${s.state} (${s.secondary})` : s.state;
    if (phase !== run.progress?.phase) this.log(run, `Backend: ${phase}${s.message ? `: ${s.message}` : ''}`);
    await this.update(run, { job: job.name || job.arn ? job : run.job, progress: { ...run.progress, phase, message: s.message ?? run.progress?.message } }, phase !== run.progress?.phase);
  }

  private async finish(run: RunRecord, status: RunRecord['status'], error?: { code?: string; message: string; file?: string; line?: number }): Promise<void> {
    if (isFinished(run.status)) return;
    const patch: Partial<RunRecord> = { status, finishedAt: new Date().toISOString(), progress: { phase: status, fraction: status === 'completed' ? 1 : run.progress?.fraction } };
    if (status === 'failed' && error) patch.error = { code: error.code ?? 'INTERNAL', message: error.message, file: error.file, line: error.line };
    await this.update(run, patch, true);
    const h = headlineMetrics(run);
    const headline = h ? `, recall at FPR 5% ${(h.metrics.recallAtFpr5 * 100).toFixed(1)}% on the ${h.set === 'test' ? 'test split' : 'evaluation files'}` : '';
    this.log(run, `${run.variant}: ${status}${status === 'failed' && error ? `: ${error.message}` : headline}`, status === 'failed' ? 'error' : 'info');
  }

  /** Applies a patch to the live record, writes it (throttled unless forced) and reports it. */
  private async update(run: RunRecord, patch: Partial<RunRecord>, force = false): Promise<void> {
    Object.assign(run, patch, { heartbeatAt: new Date().toISOString() });
    const now = Date.now();
    if (!force && now - (this.lastWrite.get(run.id) ?? 0) < PROGRESS_WRITE_MS) return;
    this.lastWrite.set(run.id, now);
    try {
      await this.deps.store.writeRun(run);
    } catch (e) {
      this.logger?.error(`Could not save run ${run.id}: ${userMessage(e)}`);
    }
    this.emit(run);
  }

  private emit(run: RunRecord): void {
    this.options.onEvent?.({ type: 'run', run: structuredClone(run) });
    this.reportOverall(false);
  }

  private reportOverall(force: boolean): void {
    const onProgress = this.options.onProgress;
    if (!onProgress) return;
    const done = this.runs.filter((r) => isFinished(r.status)).length;
    const fraction = this.runs.reduce((s, r) => s + (isFinished(r.status) ? 1 : (r.progress?.fraction ?? 0)), 0) / Math.max(1, this.runs.length);
    const running = this.runs.filter((r) => r.status === 'running').map((r) => r.variant);
    if (force || done < this.runs.length) onProgress({ fraction, done, total: this.runs.length, unit: 'runs', message: `${done}/${this.runs.length} runs finished${running.length ? `; running ${running.join(', ')}` : ''}` });
  }

  /** Stops the runs another process asked to stop (RunStore.requestStop). */
  private async pollStopRequests(): Promise<void> {
    for (const r of this.runs) {
      if (isFinished(r.status) || this.controllers.get(r.id)?.signal.aborted) continue;
      if (await this.deps.store.stopRequested(r.experiment, r.id).catch(() => false)) {
        this.log(r, 'Stop requested by another process');
        this.stop(r.id);
      }
    }
  }

  private async beat(): Promise<void> {
    for (const r of this.runs) if (!isFinished(r.status)) await this.update(r, {}, true);
  }

  /** Writes a line to the run's log (or every run's log when `run` is undefined) and to the caller's logger. */
  private log(run: RunRecord | undefined, message: string, level: 'info' | 'error' = 'info'): void {
    const line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}`;
    for (const r of run ? [run] : this.runs) this.appendLog(r, line);
    this.logger?.[level](run && !message.startsWith(`${run.variant}:`) ? `${run.variant}: ${message}` : message);
  }

  private appendLog(run: RunRecord, line: string): void {
    const prev = this.logChains.get(run.id) ?? Promise.resolve();
    this.logChains.set(run.id, prev.then(() => this.deps.store.appendLog(run.experiment, run.id, line)).catch(() => {}));
  }

  /** A Logger for the shared flatten: every run's log gets its lines, and so does the caller. */
  private launchLogger(): Logger {
    const write = (level: 'debug' | 'info' | 'warn' | 'error') => (m: string) => {
      for (const r of this.runs) this.appendLog(r, `${new Date().toISOString()} ${level.toUpperCase()} ${m}`);
      this.logger?.[level](m);
    };
    return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
  }

  /** A Logger for the backend and evaluator: everything goes to the run's log; warnings and errors also to the caller. */
  private runLogger(run: RunRecord): Logger {
    const write = (level: string) => (m: string) => this.appendLog(run, `${new Date().toISOString()} ${level} ${m}`);
    return {
      debug: write('DEBUG'),
      info: write('INFO'),
      warn: (m) => {
        write('WARN')(m);
        this.logger?.warn(`${run.variant}: ${m}`);
      },
      error: write('ERROR'),
    };
  }
}

function jobOf(run: RunRecord, r: TrainResult): RunRecord['job'] {
  if (!r.jobName && !r.jobArn) return run.job;
  return { ...run.job, name: r.jobName, arn: r.jobArn, consoleUrl: r.consoleUrl ?? run.job?.consoleUrl, logsUrl: r.logsUrl ?? run.job?.logsUrl, modelArtifact: r.modelArtifact, imageUri: r.imageUri ?? run.job?.imageUri };
}

function errorOf(e: unknown): { code: string; message: string; file?: string; line?: number } {
  if (isSecmlError(e)) return { code: e.code, message: e.message, file: e.file, line: e.line };
  return { code: 'INTERNAL', message: userMessage(e) };
}
