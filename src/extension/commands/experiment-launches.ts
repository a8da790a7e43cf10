/**
 * The extension's handle on experiments: the workspace's run store, the launches running in this window (so their runs
 * can be stopped), and one throttled "runs changed" signal for the tree and the metrics panels. Runs written by another
 * process (the CLI, another window) are picked up through a file watcher on the run store.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { createRunnerDeps } from '../../core/experiments/engine';
import { launchExperiment, type ExperimentLaunch, type LaunchOptions } from '../../core/experiments/runner';
import { RunStore } from '../../core/experiments/run-store';
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
  private readonly disposables: vscode.Disposable[] = [];
  /** Builds the SageMaker backend for a spec; set once the SageMaker feature is registered. */
  sagemaker: ((spec: ExperimentSpec) => Backend) | undefined;

  constructor(private readonly services: Services) {
    const root = services.workspaceRoot();
    if (root) {
      const watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '.secml/experiments/**/run.json'));
      this.disposables.push(watcher, watcher.onDidChange(() => this.changed()), watcher.onDidCreate(() => this.changed()), watcher.onDidDelete(() => this.changed()));
    }
  }

  /** The workspace's run store (throws a clear message without an open folder). */
  store(): RunStore {
    return new RunStore(path.join(this.services.secmlDir(), 'experiments'));
  }

  /** Fires runsChanged at most every CHANGE_THROTTLE_MS. */
  changed(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.services.runsChanged.fire();
    }, CHANGE_THROTTLE_MS);
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
        this.changed();
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
