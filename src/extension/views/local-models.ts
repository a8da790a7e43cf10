/**
 * The "Local models" section of the Endpoints view: every completed local run with a model on disk (XGBoost JSON) and
 * every model folder of "Train Model on Dataset" (.secml/models/), newest first (listWorkspaceModels), with its test ROC AUC. Local models
 * cost nothing and need no account; clicking one opens its model card (secml-model.json). Nothing shows (and the
 * view's welcome text appears) until a local model exists.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { MODEL_MANIFEST_FILE } from '../../core/model/model-manifest';
import { listWorkspaceModels, type WorkspaceModel } from '../../core/scoring/workspace-models';
import type { Services } from '../services';
import { loadChildren, type TreeNode } from './tree';

const originOf = (m: WorkspaceModel) => (m.source === 'run' ? `run ${m.run.id}` : `trained on ${m.manifest.dataset.dir}`);

class LocalModelNode implements TreeNode {
  readonly id: string;
  parent?: TreeNode;
  constructor(readonly model: WorkspaceModel) {
    this.id = `local-model:${model.id}`;
  }
  /** Set for models of experiment runs (commands on the node use it). */
  get experiment(): string | undefined {
    return this.model.source === 'run' ? this.model.run.experiment : undefined;
  }
  treeItem(): vscode.TreeItem {
    const m = this.model;
    const item = new vscode.TreeItem(m.label, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    item.description = [typeof m.rocAuc === 'number' ? `ROC AUC ${m.rocAuc.toFixed(3)}` : '', m.finishedAt ? m.finishedAt.slice(0, 16).replace('T', ' ') : ''].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon('symbol-class');
    item.tooltip = `${m.label} (${originOf(m)})\nLocal model: ${m.modelDir}`;
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

/**
 * The section refreshes on services.modelsChanged (a run completed with a model, a run was deleted, a model folder was
 * written or removed), never on a run's progress ticks: listing it reads every run record and model manifest.
 */
export class LocalModelsSection implements vscode.Disposable {
  models: WorkspaceModel[] = [];
  private readonly group = new LocalModelsGroupNode(this);
  private readonly watcher: vscode.FileSystemWatcher | undefined;

  constructor(readonly services: Services) {
    const root = services.workspaceRoot();
    if (root) {
      // Model folders written by the CLI (secml train) or removed by hand.
      this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '.secml/models/*/secml-model.json'));
      const fire = () => services.modelsChanged.fire();
      this.watcher.onDidCreate(fire);
      this.watcher.onDidChange(fire);
      this.watcher.onDidDelete(fire);
    }
  }

  async roots(): Promise<TreeNode[]> {
    const root = this.services.workspaceRoot();
    if (!root) return [];
    return loadChildren(this.services, 'local models', async () => {
      this.models = await listWorkspaceModels(root);
      return this.models.length ? [this.group] : [];
    });
  }

  dispose(): void {
    this.watcher?.dispose();
  }
}
