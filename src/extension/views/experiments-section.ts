/**
 * The local-runs section of the Experiments view: experiment -> runs of its latest launch (variant, status icon, live
 * progress, recall at FPR 5%) -> earlier launches, collapsed. contextValues match package.json's view/item/context:
 *   experiment                       open metrics, reveal, delete
 *   run.active.running               a queued/running run of this window: stop
 *   run.active.elsewhere             a run another process is running (the CLI): stop asks that process to stop it
 *   run.done.<status>.<backend>      finished: re-run, delete; `completed` also deploy
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { isFinished, type MetricsSummary, type RunRecord } from '../../core/experiments/run-record';
import type { ExperimentEntry } from '../../core/experiments/run-store';
import { headlineMetrics, TARGET } from '../../core/experiments/comparison';
import type { Services } from '../services';
import type { ExperimentLaunches } from '../commands/experiment-launches';
import { loadChildren, type TreeNode } from './tree';

const ICONS: Record<RunRecord['status'], [string, string?]> = {
  queued: ['clock'],
  running: ['sync~spin', 'charts.blue'],
  completed: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  stopped: ['debug-stop', 'disabledForeground'],
  interrupted: ['warning', 'list.warningForeground'],
};

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

function progressText(r: RunRecord): string {
  const p = r.progress;
  if (!p) return r.status;
  if (p.phase === 'queued') return 'queued';
  if (p.round !== undefined && p.rounds) return `${p.phase} ${p.round}/${p.rounds}`;
  return p.fraction !== undefined && p.fraction > 0 ? `${p.phase} ${Math.round(p.fraction * 100)}%` : p.phase;
}

/** Short enough for a 300 px sidebar: recall at FPR 5% (✓ when it meets the target), then PR AUC. The tooltip spells it out. */
export function runDescription(r: RunRecord): string {
  switch (r.status) {
    case 'completed': {
      // On the evaluation files when the run has them, else the test split: the tooltip says which.
      const m = headlineMetrics(r)?.metrics;
      if (!m) return 'completed';
      return `${pct(m.recallAtFpr5)}${m.recallAtFpr5 >= TARGET.recall ? ' ✓' : ''} · PR ${m.prAuc.toFixed(3)}`;
    }
    case 'queued':
    case 'running':
      return progressText(r);
    case 'failed':
      return `failed: ${r.error?.message.split('\n')[0].slice(0, 80) ?? ''}`;
    default:
      return r.status;
  }
}

export function runContextValue(r: RunRecord, activeHere: boolean): string {
  if (!isFinished(r.status)) return activeHere ? 'run.active.running' : 'run.active.elsewhere';
  return `run.done.${r.status}.${r.backend}`;
}

/** What the description's figures are and which set they are on, in words (tooltip first line, screen readers). */
export function headlineText(r: RunRecord, evaluationFiles: readonly string[]): string | undefined {
  const h = headlineMetrics(r);
  if (!h) return undefined;
  const on = h.set === 'test' ? 'on the test split' : `on ${evaluationFiles.length ? evaluationFiles.map((f) => path.basename(f)).join(', ') : 'the evaluation files'}`;
  const verdict = h.metrics.recallAtFpr5 >= TARGET.recall ? 'meets' : 'misses';
  return `Recall at FPR 5% ${pct(h.metrics.recallAtFpr5)} (${verdict} the ${pct(TARGET.recall)} target), PR AUC ${h.metrics.prAuc.toFixed(3)}, ${on}`;
}

function figures(m: MetricsSummary): string {
  return `recall at FPR 5% ${pct(m.recallAtFpr5)}, PR AUC ${m.prAuc.toFixed(3)}, ROC AUC ${m.rocAuc?.toFixed(3) ?? '–'}; at threshold ${m.threshold.toFixed(2)}: precision ${pct(m.precision)}, recall ${pct(m.recall)}, F1 ${m.f1.toFixed(3)}, TP ${m.tp}, FP ${m.fp}, TN ${m.tn}, FN ${m.fn}`;
}

function runTooltip(r: RunRecord, evaluationFiles: readonly string[]): vscode.MarkdownString {
  // Text only: error messages can quote log content.
  const md = new vscode.MarkdownString();
  md.appendText(`${r.variant} (${r.variantSpec}) · ${r.status} · ${r.backend}\n`);
  const headline = headlineText(r, evaluationFiles);
  if (headline) md.appendText(`${headline}\n`);
  md.appendText(`Run ${r.id}\n`);
  if (r.startedAt) md.appendText(`Started ${new Date(r.startedAt).toLocaleString()}\n`);
  if (r.finishedAt) md.appendText(`Finished ${new Date(r.finishedAt).toLocaleString()}\n`);
  if (r.trainingSeconds !== undefined) md.appendText(`Training ${r.trainingSeconds.toFixed(1)} s\n`);
  const m = r.summary?.test;
  if (m) md.appendText(`Test split: ${figures(m)}\n`);
  const e = r.summary?.evaluation;
  if (e) md.appendText(`${evaluationFiles.length ? evaluationFiles.map((f) => path.basename(f)).join(', ') : 'Evaluation files'}: ${figures(e)}\n`);
  if (r.job?.name) md.appendText(`Job ${r.job.name}\n`);
  if (r.job?.imageUri) md.appendText(`Image ${r.job.imageUri}\n`);
  if (r.error) md.appendText(`Error: ${r.error.message}\n`);
  if (r.interruptedReason) md.appendText(`${r.interruptedReason}\n`);
  return md;
}

export class RunNode implements TreeNode {
  readonly id: string;
  parent?: TreeNode;
  /** Read by other features' commands (e.g. SageMaker "Deploy"), which take node arguments by property. */
  readonly experiment: string;
  readonly runDir: string;
  readonly jobName?: string;
  constructor(
    readonly run: RunRecord,
    private readonly activeHere: boolean,
    runDir: string,
    /** The experiment's evaluation files, to say which set the figures are on. */
    private readonly evaluationFiles: readonly string[] = [],
  ) {
    this.id = `secml.run/${run.experiment}/${run.id}`;
    this.experiment = run.experiment;
    this.runDir = runDir;
    this.jobName = run.job?.name;
  }
  treeItem(): vscode.TreeItem {
    const r = this.run;
    const item = new vscode.TreeItem(r.variant, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = runDescription(r);
    const [icon, color] = ICONS[r.status];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    item.tooltip = runTooltip(r, this.evaluationFiles);
    item.contextValue = runContextValue(r, this.activeHere);
    item.accessibilityInformation = { label: `${r.variant}, ${r.status}, ${headlineText(r, this.evaluationFiles) ?? runDescription(r)}` };
    item.command = { command: 'secml.run.openMetrics', title: 'Open Metrics', arguments: [this] };
    return item;
  }
}

/** Older launches of an experiment, collapsed under one node each. */
class LaunchNode implements TreeNode {
  readonly id: string;
  parent?: TreeNode;
  constructor(
    experiment: string,
    private readonly launchId: string,
    private readonly runs: RunNode[],
  ) {
    this.id = `secml.launch/${experiment}/${launchId}`;
  }
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(`Launch ${this.launchId}`, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const done = this.runs.filter((n) => n.run.status === 'completed').length;
    item.description = `${this.runs.length} run(s), ${done} completed`;
    item.iconPath = new vscode.ThemeIcon('history');
    item.contextValue = 'launch';
    return item;
  }
  async children(): Promise<TreeNode[]> {
    return this.runs;
  }
}

export class ExperimentNode implements TreeNode {
  readonly id: string;
  parent?: TreeNode;
  constructor(
    readonly entry: ExperimentEntry,
    private readonly launches: ExperimentLaunches,
  ) {
    this.id = `secml.experiment/${entry.name}`;
  }
  get name(): string {
    return this.entry.name;
  }
  /** For commands of other features that read `experiment` from a node (e.g. "Delete All Endpoints of This Experiment"). */
  get experiment(): string {
    return this.entry.name;
  }
  private runs(): RunRecord[] {
    return this.entry.runs.map((r) => this.launches.overlay(r));
  }
  treeItem(): vscode.TreeItem {
    const runs = this.runs();
    const item = new vscode.TreeItem(this.entry.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    const latest = runs.filter((r) => r.launchId === runs[0]?.launchId);
    const count = (s: RunRecord['status']) => latest.filter((r) => r.status === s).length;
    const parts = [`${count('completed')}/${latest.length} completed`];
    if (count('running') + count('queued')) parts.push(`${count('running') + count('queued')} active`);
    if (count('failed')) parts.push(`${count('failed')} failed`);
    item.description = parts.join(' · ');
    const md = new vscode.MarkdownString();
    md.appendText(`${this.entry.name}\n${this.entry.record?.description ?? ''}\n${this.entry.record?.specFile ?? ''}`);
    item.tooltip = md;
    item.iconPath = new vscode.ThemeIcon('beaker');
    item.contextValue = 'experiment';
    return item;
  }
  async children(): Promise<TreeNode[]> {
    const runs = this.runs();
    const byLaunch = new Map<string, RunNode[]>();
    for (const r of runs) {
      const list = byLaunch.get(r.launchId) ?? [];
      list.push(new RunNode(r, this.launches.isActiveHere(r.id), path.join(this.entry.dir, r.id), this.entry.record?.spec.evaluation.files));
      byLaunch.set(r.launchId, list);
    }
    const [latest, ...older] = [...byLaunch.entries()];
    if (!latest) return [];
    return [...latest[1], ...older.map(([id, nodes]) => new LaunchNode(this.entry.name, id, nodes))];
  }
}

/** Adds the local experiments section to the Experiments view. */
export function experimentsSection(services: Services, launches: ExperimentLaunches): () => Promise<TreeNode[]> {
  return async () => {
    if (!services.workspaceRoot()) return [];
    return loadChildren(services, 'experiments', async () => (await launches.listExperiments()).map((e) => new ExperimentNode(e, launches)));
  };
}
