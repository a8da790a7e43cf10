/**
 * The "Local models" section of the Endpoints view: every completed local run with a model on disk (XGBoost JSON),
 * newest first, with its test ROC AUC. Local models cost nothing and need no account; clicking one opens its model card
 * (secml-model.json). Nothing shows (and the view's welcome text appears) until a local run has completed.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RunStore } from '../../core/experiments/run-store';
import type { RunRecord } from '../../core/experiments/run-record';
import { MODEL_MANIFEST_FILE } from '../../core/model/model-manifest';
import type { Services } from '../services';
import { loadChildren, type TreeNode } from './tree';

class LocalModelNode implements TreeNode {
  readonly id: string;
  parent?: TreeNode;
  constructor(readonly run: RunRecord) {
    this.id = `local-model:${run.experiment}/${run.id}`;
  }
  get experiment(): string {
    return this.run.experiment;
  }
  treeItem(): vscode.TreeItem {
    const r = this.run;
    const item = new vscode.TreeItem(`${r.experiment} / ${r.variant}`, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    const auc = r.summary?.test?.rocAuc;
    item.description = [auc !== undefined && auc !== null ? `ROC AUC ${auc.toFixed(3)}` : '', r.finishedAt ? r.finishedAt.slice(0, 16).replace('T', ' ') : ''].filter(Boolean).join(' · ');
    item.iconPath = new vscode.ThemeIcon('symbol-class');
    item.tooltip = `${r.experiment} / ${r.variant} (run ${r.id})\nLocal model: ${r.modelDir}`;
    item.contextValue = 'localModel';
    const card = vscode.Uri.file(path.join(r.modelDir!, MODEL_MANIFEST_FILE));
    item.command = { command: 'vscode.open', title: 'Open Model Card', arguments: [card] };
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
    return loadChildren(this.section.services, 'local models', async () => this.section.models.map((r) => new LocalModelNode(r)));
  }
}

export class LocalModelsSection {
  models: RunRecord[] = [];
  private readonly group = new LocalModelsGroupNode(this);

  constructor(readonly services: Services) {}

  async roots(): Promise<TreeNode[]> {
    const root = this.services.workspaceRoot();
    if (!root) return [];
    return loadChildren(this.services, 'local models', async () => {
      const experiments = await RunStore.forWorkspace(root).listExperiments();
      this.models = experiments
        .flatMap((e) => e.runs)
        .filter((r) => r.backend === 'local' && r.status === 'completed' && r.modelDir)
        .sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''));
      return this.models.length ? [this.group] : [];
    });
  }
}
