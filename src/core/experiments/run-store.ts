/**
 * The local run store, like MLflow's file store:
 *
 *   .secml/experiments/<experiment>/experiment.json      name, description, spec file, last launched spec
 *   .secml/experiments/<experiment>/datasets/<launch>/    the launch's flattened variants (one flatten per launch)
 *   .secml/experiments/<experiment>/<run>/run.json       status, progress, timestamps, owner, headline metrics
 *   .secml/experiments/<experiment>/<run>/spec.json      the spec snapshot the run was launched with
 *   .secml/experiments/<experiment>/<run>/dataset-manifest.json, metrics.json, run.log, model/
 *
 * Every JSON file is written atomically (temp + rename): a crash or a reload never leaves half a record. A run left queued
 * or running by a process that no longer exists reads back as `interrupted` (and is saved so), whatever it was doing.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SecmlError } from '../errors';
import { exists, readJson, writeJsonAtomic } from '../fs-atomic';
import { utcStamp } from '../time-stamp';
import { currentOwner, ownerAlive, sameOwner } from './process-owner';
import { isFinished, RUN_STATUSES, type ExperimentRecord, type RunMetrics, type RunRecord } from './run-record';
import { EXPERIMENT_NAME_PATTERN, type BackendName, type ExperimentSpec } from './spec';

export interface ExperimentEntry {
  name: string;
  dir: string;
  record?: ExperimentRecord;
  runs: RunRecord[];
}

export interface NewRun {
  variant: string;
  variantSpec: string;
  hyperparameters: Record<string, string>;
}

const RUN_ID_PATTERN = /^[0-9]{8}-[0-9]{6}(-[0-9]+)?-[A-Za-z0-9._-]+$/;
const DATASETS = 'datasets';

function checkName(kind: string, name: string, pattern: RegExp): void {
  if (!pattern.test(name)) throw new SecmlError('BAD_ARGUMENT', `"${name}" is not a valid ${kind} name.`);
}

/** A run folder's stop request from another process (see RunStore.requestStop). */
export const STOP_REQUEST_FILE = 'stop-requested';

export class RunStore {
  /** Serialises writes per run file, so a slow write never lands after a newer one. */
  private readonly writes = new Map<string, Promise<void>>();

  /** `root` is `<workspace>/.secml/experiments`. */
  constructor(readonly root: string) {}

  static forWorkspace(workspace: string): RunStore {
    return new RunStore(path.join(workspace, '.secml', 'experiments'));
  }

  experimentDir(experiment: string): string {
    checkName('experiment', experiment, EXPERIMENT_NAME_PATTERN);
    return path.join(this.root, experiment);
  }

  runDir(experiment: string, runId: string): string {
    const dir = this.experimentDir(experiment);
    checkName('run', runId, RUN_ID_PATTERN);
    return path.join(dir, runId);
  }

  datasetDir(experiment: string, launchId: string): string {
    return path.join(this.experimentDir(experiment), DATASETS, launchId);
  }

  /**
   * Records a new launch: the experiment record, and one queued run per variant owned by this process. Returns the runs
   * (in variant order) and the launch id.
   */
  async createLaunch(spec: ExperimentSpec, specFile: string, backend: BackendName, runs: NewRun[], now = new Date()): Promise<{ launchId: string; runs: RunRecord[] }> {
    const expDir = this.experimentDir(spec.name);
    await fs.mkdir(expDir, { recursive: true });
    const launchId = await this.reserveLaunch(spec.name, utcStamp(now));
    const created = now.toISOString();
    const experiment: ExperimentRecord = { schemaVersion: 1, name: spec.name, description: spec.description, specFile, spec, updatedAt: created };
    await writeJsonAtomic(path.join(expDir, 'experiment.json'), experiment);
    const owner = currentOwner();
    const records: RunRecord[] = [];
    for (const [order, r] of runs.entries()) {
      const id = `${launchId}-${r.variant}`;
      const record: RunRecord = {
        schemaVersion: 1,
        id,
        experiment: spec.name,
        launchId,
        order,
        variant: r.variant,
        variantSpec: r.variantSpec,
        backend,
        status: 'queued',
        progress: { phase: 'queued', fraction: 0 },
        createdAt: created,
        heartbeatAt: created,
        owner,
        hyperparameters: r.hyperparameters,
        datasetDir: this.datasetDir(spec.name, launchId),
      };
      await writeJsonAtomic(path.join(this.runDir(spec.name, id), 'spec.json'), spec);
      await this.writeRun(record);
      records.push(record);
    }
    return { launchId, runs: records };
  }

  /** Creates the launch's dataset folder; its exclusive mkdir makes launch ids unique even across processes. */
  private async reserveLaunch(experiment: string, stamp: string): Promise<string> {
    await fs.mkdir(path.join(this.experimentDir(experiment), DATASETS), { recursive: true });
    for (let k = 1; ; k++) {
      const id = k === 1 ? stamp : `${stamp}-${k}`;
      try {
        await fs.mkdir(this.datasetDir(experiment, id));
        return id;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new SecmlError('IO', `Cannot create ${this.datasetDir(experiment, id)}: ${(e as Error).message}`, { cause: e });
      }
    }
  }

  /** Writes run.json atomically; writes to the same run are applied in call order. */
  writeRun(record: RunRecord): Promise<void> {
    const file = path.join(this.runDir(record.experiment, record.id), 'run.json');
    const snapshot = structuredClone(record);
    const prev = this.writes.get(file) ?? Promise.resolve();
    const next = prev.catch(() => {}).then(() => writeJsonAtomic(file, snapshot));
    this.writes.set(file, next);
    void next.finally(() => {
      if (this.writes.get(file) === next) this.writes.delete(file);
    }).catch(() => {});
    return next;
  }

  /**
   * Asks the process that runs `runId` to stop it (another process: the CLI, another window). The owner polls for this
   * marker (STOP_POLL_MS) and stops the run as if stopped locally; the marker is removed with the run's folder.
   */
  async requestStop(experiment: string, runId: string): Promise<void> {
    await fs.writeFile(path.join(this.runDir(experiment, runId), STOP_REQUEST_FILE), `${new Date().toISOString()} pid ${process.pid}\n`);
  }

  /** True when another process asked for this run to stop. */
  stopRequested(experiment: string, runId: string): Promise<boolean> {
    return exists(path.join(this.runDir(experiment, runId), STOP_REQUEST_FILE));
  }

  async writeMetrics(experiment: string, runId: string, metrics: RunMetrics): Promise<void> {
    await writeJsonAtomic(path.join(this.runDir(experiment, runId), 'metrics.json'), metrics);
  }

  async readMetrics(experiment: string, runId: string): Promise<RunMetrics | undefined> {
    const file = path.join(this.runDir(experiment, runId), 'metrics.json');
    if (!(await exists(file))) return undefined;
    return readJson<RunMetrics>(file);
  }

  logFile(experiment: string, runId: string): string {
    return path.join(this.runDir(experiment, runId), 'run.log');
  }

  /** Appends lines to the run's log (append-only: a crash can cut the last line, never corrupt earlier ones). */
  async appendLog(experiment: string, runId: string, text: string): Promise<void> {
    await fs.appendFile(this.logFile(experiment, runId), text.endsWith('\n') ? text : text + '\n');
  }

  async readExperiment(experiment: string): Promise<ExperimentRecord | undefined> {
    const file = path.join(this.experimentDir(experiment), 'experiment.json');
    if (!(await exists(file))) return undefined;
    return readJson<ExperimentRecord>(file);
  }

  /** One run, with interruption detected (and saved) when its owner is gone. */
  async readRun(experiment: string, runId: string): Promise<RunRecord> {
    const dir = this.runDir(experiment, runId);
    let record: RunRecord;
    try {
      record = await readJson<RunRecord>(path.join(dir, 'run.json'));
    } catch (e) {
      if ((e as SecmlError).code === 'NOT_FOUND') throw new SecmlError('NOT_FOUND', `No run ${runId} in experiment ${experiment}.`, { cause: e });
      return unreadableRun(experiment, runId, e);
    }
    if (!isRunRecord(record)) return unreadableRun(experiment, runId, new Error('run.json does not hold a run record'));
    return this.detectInterrupted(record);
  }

  private async detectInterrupted(record: RunRecord): Promise<RunRecord> {
    if (isFinished(record.status)) return record;
    if (sameOwner(record.owner, currentOwner())) return record;
    if (ownerAlive(record.owner, record.heartbeatAt)) return record;
    const was = record.status;
    const interrupted: RunRecord = {
      ...record,
      status: 'interrupted',
      finishedAt: record.heartbeatAt ?? record.startedAt ?? record.createdAt,
      interruptedReason: `The process that ${was === 'running' ? 'ran' : 'queued'} it (pid ${record.owner.pid} on ${record.owner.host}) ended while it was ${was}${record.progress?.phase && was === 'running' ? ` (${record.progress.phase})` : ''}.`,
    };
    await this.writeRun(interrupted).catch(() => {});
    return interrupted;
  }

  /** The runs of an experiment, newest launch first, then in variant order. A damaged run.json becomes a failed entry. */
  async listRuns(experiment: string): Promise<RunRecord[]> {
    const dir = this.experimentDir(experiment);
    const names = (await this.dirNames(dir)).filter((n) => RUN_ID_PATTERN.test(n));
    const runs: RunRecord[] = [];
    for (const n of names) {
      if (!(await exists(path.join(dir, n, 'run.json')))) continue;
      runs.push(await this.readRun(experiment, n));
    }
    return runs.sort((a, b) => (a.launchId === b.launchId ? a.order - b.order : a.launchId < b.launchId ? 1 : -1));
  }

  async listExperiments(): Promise<ExperimentEntry[]> {
    const names = (await this.dirNames(this.root)).filter((n) => EXPERIMENT_NAME_PATTERN.test(n)).sort();
    const out: ExperimentEntry[] = [];
    for (const name of names) {
      const dir = path.join(this.root, name);
      const record = await this.readExperiment(name).catch(() => undefined);
      const runs = await this.listRuns(name);
      if (!record && runs.length === 0) continue;
      out.push({ name, dir, record, runs });
    }
    return out;
  }

  /** Deletes a finished run; its launch's dataset goes too once no run uses it. */
  async deleteRun(experiment: string, runId: string): Promise<void> {
    const run = await this.readRun(experiment, runId);
    if (!isFinished(run.status)) throw new SecmlError('CONFLICT', `Run ${run.variant} is ${run.status}: stop it before deleting it.`);
    await fs.rm(this.runDir(experiment, runId), { recursive: true, force: true });
    const others = await this.listRuns(experiment);
    if (!others.some((r) => r.launchId === run.launchId)) await fs.rm(this.datasetDir(experiment, run.launchId), { recursive: true, force: true });
  }

  /** Deletes an experiment with all its runs and datasets; refuses while a run is active. */
  async deleteExperiment(experiment: string): Promise<void> {
    const active = (await this.listRuns(experiment)).filter((r) => !isFinished(r.status));
    if (active.length) throw new SecmlError('CONFLICT', `Experiment ${experiment} has ${active.length} active run(s): stop them before deleting it.`);
    await fs.rm(this.experimentDir(experiment), { recursive: true, force: true });
  }

  private async dirNames(dir: string): Promise<string[]> {
    try {
      return (await fs.readdir(dir, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new SecmlError('IO', `Cannot list ${dir}: ${(e as Error).message}`, { file: dir, cause: e });
    }
  }
}

function isRunRecord(v: unknown): v is RunRecord {
  const r = v as Partial<RunRecord> | null;
  return typeof r === 'object' && r !== null && typeof r.id === 'string' && typeof r.variant === 'string' && RUN_STATUSES.includes(r.status as never) && typeof r.owner === 'object' && r.owner !== null;
}

/** A run whose run.json cannot be read: shown as failed (with the reason) instead of breaking the list. */
function unreadableRun(experiment: string, runId: string, e: unknown): RunRecord {
  const launch = /^([0-9]{8}-[0-9]{6}(?:-[0-9]+)?)-(.+)$/.exec(runId);
  return {
    schemaVersion: 1,
    id: runId,
    experiment,
    launchId: launch?.[1] ?? '',
    order: 0,
    variant: launch?.[2] ?? runId,
    variantSpec: launch?.[2] ?? runId,
    backend: 'local',
    status: 'failed',
    createdAt: '',
    owner: { pid: 0, host: '' },
    hyperparameters: {},
    error: { code: 'IO', message: `The run record is unreadable: ${(e as Error).message}` },
  };
}
