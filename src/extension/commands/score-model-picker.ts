/**
 * "Score with which model?": the workspace's local models right away (completed runs and .secml/models folders, newest
 * first: listWorkspaceModels, the same list as the Endpoints view; with recall at FPR 5%, ROC AUC and the variant), then
 * the InService SageMaker endpoints once they are listed (only when AWS is configured), each
 * mapped back to the run that deployed it; an endpoint without a known vocabulary says so and cannot be picked. The
 * last choice is remembered per workspace and offered first.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { RunStore } from '../../core/experiments/run-store';
import { formatHourlyCost } from '../../core/backends/sagemaker/prices';
import type { EndpointInfo } from '../../core/backends/sagemaker/endpoint-list';
import { SecmlError, userMessage } from '../../core/errors';
import { endpointRun, runLabel } from '../../core/scoring/model-choices';
import { listWorkspaceModels, type WorkspaceModel } from '../../core/scoring/workspace-models';
import type { Services } from '../services';
import { showWarning } from '../notify';

export const LAST_MODEL_KEY = 'secml.score.lastModel';

/** `local:<model folder>` or `endpoint:<name>`. */
export type ModelRef = string;

interface ModelItem extends vscode.QuickPickItem {
  ref?: ModelRef;
  /** Why it cannot score (an endpoint without a known vocabulary). */
  problem?: string;
  browse?: boolean;
}

const pct = (v: number | undefined) => (typeof v === 'number' ? `${(v * 100).toFixed(1)}%` : 'n/a');

function localItem(m: WorkspaceModel): ModelItem {
  const auc = typeof m.rocAuc === 'number' ? m.rocAuc.toFixed(3) : 'n/a';
  const finished = m.finishedAt ? ` · finished ${m.finishedAt.slice(0, 16).replace('T', ' ')}` : '';
  return {
    label: `$(symbol-class) ${m.label}`,
    description: `recall at FPR 5% ${pct(m.recallAtFpr5)} · ROC AUC ${auc}${m.variantSpec ? ` · ${m.variantSpec}` : ''}`,
    detail: m.source === 'run' ? `Local model · run ${m.run.id}${finished}` : `Local model folder · ${m.modelDir}`,
    ref: `local:${m.modelDir}`,
  };
}

async function endpointItem(store: RunStore | undefined, e: EndpointInfo): Promise<ModelItem> {
  const cost = `${e.instanceCount ?? 1} x ${e.instanceType ?? '?'} · ${formatHourlyCost(e.hourlyCost)}`;
  try {
    if (!store) throw new SecmlError('BAD_ARGUMENT', 'Open a folder first: no workspace folder is open, so no run store maps the model to its run.');
    const r = await endpointRun(store, e.name, e.tags);
    const s = r.run.summary?.test;
    return {
      label: `$(cloud) ${e.name}`,
      description: `${runLabel(r.run)} · recall at FPR 5% ${pct(s?.recallAtFpr5)} · ROC AUC ${typeof s?.rocAuc === 'number' ? s.rocAuc.toFixed(3) : 'n/a'}`,
      detail: `SageMaker endpoint · ${cost}`,
      ref: `endpoint:${e.name}`,
    };
  } catch (err) {
    return { label: `$(cloud) ${e.name}`, description: 'no known vocabulary', detail: userMessage(err), problem: userMessage(err) };
  }
}

export interface PickModelOptions {
  services: Services;
  /** The SageMaker endpoints when AWS is configured, else undefined (no AWS call is made). */
  endpoints?: () => Promise<EndpointInfo[]>;
  title: string;
}

/** Asks for a model; resolves undefined when the user dismisses the picker. */
export async function pickModel(o: PickModelOptions): Promise<ModelRef | undefined> {
  const root = o.services.workspaceRoot();
  const store = root ? RunStore.forWorkspace(root) : undefined;
  const last = o.services.context.workspaceState.get<string>(LAST_MODEL_KEY);
  const local = root ? (await listWorkspaceModels(root)).map(localItem) : [];
  const browse: ModelItem = { label: '$(folder-opened) Browse for a model folder…', detail: 'A folder from "secml train" or an experiment run (model.json + secml-model.json)', browse: true };
  let remote: ModelItem[] = [];

  const qp = vscode.window.createQuickPick<ModelItem>();
  qp.title = o.title;
  qp.placeholder = local.length ? 'Pick a model: local models (newest first) and SageMaker endpoints' : 'No local model yet: browse for a model folder, or run an experiment or train a model first';
  qp.matchOnDescription = true;
  qp.matchOnDetail = true;
  const compose = () => {
    const items: ModelItem[] = [];
    if (local.length) items.push({ label: 'Local models', kind: vscode.QuickPickItemKind.Separator }, ...local);
    if (remote.length) items.push({ label: 'SageMaker endpoints (InService)', kind: vscode.QuickPickItemKind.Separator }, ...remote);
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator }, browse);
    const lastItem = items.find((i) => i.ref && i.ref === last);
    if (lastItem) lastItem.description = `${lastItem.description ?? ''} · last used`;
    qp.items = items;
    if (lastItem) qp.activeItems = [lastItem];
  };
  compose();
  if (o.endpoints) {
    qp.busy = true;
    void o
      .endpoints()
      .then(async (all) => {
        remote = await Promise.all(all.filter((e) => e.status === 'InService').map((e) => endpointItem(store, e)));
        compose();
      })
      .catch((e) => o.services.logger.warn(`Score: could not list SageMaker endpoints: ${userMessage(e)}`))
      .finally(() => (qp.busy = false));
  }

  const picked = await new Promise<ModelItem | undefined>((resolve) => {
    qp.onDidAccept(() => {
      const item = qp.selectedItems[0];
      if (item?.problem) {
        void showWarning(item.problem);
        return;
      }
      resolve(item);
      qp.hide();
    });
    qp.onDidHide(() => resolve(undefined));
    qp.show();
  });
  qp.dispose();
  if (!picked) return undefined;
  if (picked.browse) {
    const dir = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Score With This Model', defaultUri: root ? vscode.Uri.file(path.join(root, '.secml')) : undefined });
    return dir?.[0] ? `local:${dir[0].fsPath}` : undefined;
  }
  return picked.ref;
}
