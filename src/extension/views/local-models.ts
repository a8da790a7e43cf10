/**
 * The "Local models" section of the Endpoints view: every completed local run with a model on disk (XGBoost JSON) and
 * every model folder of "Train Model on Dataset" (.secml/models/), newest first, with its test ROC AUC. Local models
 * cost nothing and need no account; clicking one opens its model card (secml-model.json). Nothing shows (and the
 * view's welcome text appears) until a local model exists.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../../core/experiments/run-store';
import { listModelFolders } from '../../core/model/load-model';
import { MODEL_MANIFEST_FILE } from '../../core/model/model-manifest';
import type { Services } from '../services';
import { loadChildren, type TreeNode } from './tree';

/** What the view shows of a local model, whether it came from an experiment run or a model folder. */
interface LocalModel {
  id: string;
  label: string;
  modelDir: string;
  rocAuc?: number | null;
  finishedAt?: string;
  origin: string;
  /** Set for models of experiment runs (commands on the node use it). */
  experiment?: string;
}

class LocalModelNode implements TreeNode {
  readonly id: string;
  parent?: TreeNode;
  constructor(readonly model: LocalModel) {
    this.id = `local-model:${model.id}`;
  }
  get experiment(): string | undefined {
    return this.model.experiment;
  }
  treeItem(): vscode.TreeItem {
    const m = this.model;
    const item = new vscode.TreeItem(m.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = [typeof m.rocAuc === 'number' ? `ROC AUC ${m.rocAuc.toFixed(3)}` : '', m.finishedAt ? m.finishedAt.slice(0, 16).replace('T', ' ') : ''].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon('symbol-class');
    item.tooltip = `${m.label} (${m.origin})\nLocal model: ${m.modelDir}`;
    item.contextValue = 'localModel';
    item.command = { command: 'vscode.open', title: 'Open Model Card', arguments: [vscode.Uri.file(path.join(m.modelDir, MODEL_MANIFEST_FILE))] };
    return item;
  }
}

class LocalModelsGroupNode implements TreeNode {
  readonly id = 'local-models';
  parent?: TreeNode;
  constructor(private readonly section: LocalModelsSection) {}
  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem('Local models', vscode.TreeItemCollapsibleState.Expanded);
    item.id = this.id;
    item.iconPath = new vscode.ThemeIcon('device-desktop');
    item.description = `${this.section.models.length} · no cost`;
    item.contextValue = 'localModelsGroup';
    return item;
  }
  children(): Promise<TreeNode[]> {
    return loadChildren(this.section.services, 'local models', async () => this.section.models.map((m) => new LocalModelNode(m)));
  }
}

export class LocalModelsSection {
  models: LocalModel[] = [];
  private readonly group = new LocalModelsGroupNode(this);

  constructor(readonly services: Services) {}

  async roots(): Promise<TreeNode[]> {
    const root = this.services.workspaceRoot();
    if (!root) return [];
    return loadChildren(this.services, 'local models', async () => {
      const experiments = await RunStore.forWorkspace(root).listExperiments();
      const fromRuns: LocalModel[] = experiments
        .flatMap((e) => e.runs)
        .filter((r) => r.backend === 'local' && r.status === 'completed' && r.modelDir)
        .map((r) => ({ id: `${r.experiment}/${r.id}`, label: `${r.experiment} / ${r.variant}`, modelDir: r.modelDir!, rocAuc: r.summary?.test?.rocAuc, finishedAt: r.finishedAt, origin: `run ${r.id}`, experiment: r.experiment }));
      const fromFolders: LocalModel[] = (await listModelFolders(path.join(root, '.secml', 'models'))).map((f) => ({
        id: `models/${path.basename(f.dir)}`,
        label: path.basename(f.dir),
        modelDir: f.dir,
        rocAuc: f.manifest.metrics.test?.rocAuc,
        finishedAt: f.manifest.createdAt,
        origin: `trained on ${f.manifest.dataset.dir}`,
      }));
      this.models = [...fromRuns, ...fromFolders].sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''));
      return this.models.length ? [this.group] : [];
    });
  }
}
