/**
 * The extension's handle on experiments: the workspace's run store, the launches running in this window (so their runs
 * can be stopped), and one throttled "runs changed" signal for the tree and the metrics panels, which share one listing
 * of the run store per signal. "Models changed" (for the Endpoints view's local models) fires only when a run completes
 * with a model or runs are deleted, not on progress. Runs written by another process (the CLI, another window) are
 * picked up through a file watcher on the run store.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { createRunnerDeps } from '../../core/experiments/engine';
import { launchExperiment, type ExperimentLaunch, type LaunchOptions } from '../../core/experiments/runner';
import { RunStore, type ExperimentEntry } from '../../core/experiments/run-store';
import type { RunRecord } from '../../core/experiments/run-record';
import type { ExperimentSpec, LoadedSpec } from '../../core/experiments/spec';
import type { Backend } from '../../core/backends/backend';
import type { Services } from '../services';

const CHANGE_THROTTLE_MS = 300;

export class ExperimentLaunches implements vscode.Disposable {
  private readonly active = new Map<string, ExperimentLaunch>();
  /** Live records of runs of this window, fresher than the throttled writes on disk. */
  private readonly live = new Map<string, RunRecord>();
  private timer: NodeJS.Timeout | undefined;
  /** The next runsChanged also fires modelsChanged. */
  private modelsPending = false;
  /** Runs (`experiment/id`) known to have completed with a model: modelsChanged fires once per run. */
  private readonly withModel = new Set<string>();
  /** The run store's experiments since the last runsChanged (shared by the tree and the metrics panels). */
  private listing: Promise<ExperimentEntry[]> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Builds the SageMaker backend for a spec; set once the SageMaker feature is registered. */
  sagemaker: ((spec: ExperimentSpec) => Backend) | undefined;

  constructor(private readonly services: Services) {
    const root = services.workspaceRoot();
    if (root) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '.secml/experiments/**/run.json'));
      this.disposables.push(watcher, watcher.onDidChange((u) => void this.runFileChanged(u)), watcher.onDidCreate((u) => void this.runFileChanged(u)), watcher.onDidDelete(() => this.changed({ models: true })));
    }
    // Also when runsChanged is fired by others (Refresh).
    this.disposables.push(services.runsChanged.event(() => (this.listing = undefined)));
  }

  /** The workspace's run store (throws a clear message without an open folder). */
  store(): RunStore {
    return new RunStore(path.join(this.services.secmlDir(), 'experiments'));
  }

  /**
   * Fires runsChanged at most every CHANGE_THROTTLE_MS; with `models` (a run gained or lost a model, e.g. it completed
   * or was deleted) that signal also fires modelsChanged.
   */
  changed(what: { models?: boolean } = {}): void {
    if (what.models) this.modelsPending = true;
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.listing = undefined;
      const models = this.modelsPending;
      this.modelsPending = false;
      this.services.runsChanged.fire();
      if (models) this.services.modelsChanged.fire();
    }, CHANGE_THROTTLE_MS);
  }

  /**
   * The run store's experiments as of the last runsChanged: every consumer of one signal (the Experiments view, each
   * metrics panel) shares one read of the run records.
   */
  listExperiments(): Promise<ExperimentEntry[]> {
    if (!this.listing) {
      const listing = this.store().listExperiments();
      this.listing = listing;
      listing.catch(() => {
        if (this.listing === listing) this.listing = undefined;
      });
    }
    return this.listing;
  }

  /** True the first time a run is seen completed with a local model. */
  private gainedModel(run: RunRecord): boolean {
    if (run.status !== 'completed' || !run.modelDir) return false;
    const key = `${run.experiment}/${run.id}`;
    if (this.withModel.has(key)) return false;
    this.withModel.add(key);
    return true;
  }

  /** A run.json was written: runs of this window report through their events; others are read to see if they completed. */
  private async runFileChanged(uri: vscode.Uri): Promise<void> {
    const runDir = path.dirname(uri.fsPath);
    const id = path.basename(runDir);
    if (this.live.has(id)) return this.changed();
    const run = await this.store()
      .readRun(path.basename(path.dirname(runDir)), id)
      .catch(() => undefined);
    this.changed({ models: run !== undefined && this.gainedModel(run) });
  }

  /** The live record when the run belongs to a launch of this window, else the given one. */
  overlay(run: RunRecord): RunRecord {
    return this.live.get(run.id) ?? run;
  }

  isActiveHere(runId: string): boolean {
    for (const l of this.active.values()) if (l.runs.some((r) => r.id === runId)) return true;
    return false;
  }

  async launch(loaded: LoadedSpec, options: Omit<LaunchOptions, 'onEvent' | 'logger'> = {}): Promise<ExperimentLaunch> {
    const deps = createRunnerDeps({ store: this.store(), logger: this.services.logger, sagemaker: this.sagemaker });
    const launch = await launchExperiment(loaded, deps, {
      ...options,
      logger: this.services.logger,
      onEvent: (e) => {
        if (e.type === 'run') this.live.set(e.run.id, e.run);
        const runs = e.type === 'run' ? [e.run] : e.runs;
        this.changed({ models: runs.filter((r) => this.gainedModel(r)).length > 0 });
      },
    });
    const key = `${launch.experiment}/${launch.launchId}`;
    this.active.set(key, launch);
    for (const r of launch.runs) this.live.set(r.id, structuredClone(r));
    this.changed();
    void launch.done.finally(() => {
      this.active.delete(key);
      for (const r of launch.runs) this.live.delete(r.id);
      this.changed();
    });
    return launch;
  }

  /** Stops a run of this window's launches; false when no launch here owns it. */
  stop(runId: string): boolean {
    for (const l of this.active.values()) {
      if (l.runs.some((r) => r.id === runId)) {
        l.stop(runId);
        return true;
      }
    }
    return false;
  }

  stopAll(): void {
    for (const l of this.active.values()) l.stop();
  }

  dispose(): void {
    this.stopAll();
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
