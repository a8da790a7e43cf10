/**
 * Every model of a workspace that can score on this machine, in one list: the completed runs of its experiments that
 * have a local model folder (listLocalModels) and the model folders of "Train Model on Dataset" / `secml train` in
 * `.secml/models/` (listModelFolders). The Endpoints view's "Local models" and the "Score with which model?" picker
 * both show this list.
 *
 * Filter: a model folder on disk, whatever trained it (a run is listed when it completed and recorded a modelDir; runs
 * that trained remotely have none). Sort: newest first by the time the model was finished (a run's finishedAt, a
 * folder's createdAt), runs and folders interleaved, because the model a user just trained is the one they score with.
 */
import * as path from 'node:path';
import type { RunRecord } from '../experiments/run-record';
import { RunStore } from '../experiments/run-store';
import { listModelFolders } from '../model/load-model';
import type { SecmlModelManifest } from '../model/model-manifest';
import { listLocalModels } from './model-choices';

/** `<workspace>/.secml/models`: where "Train Model on Dataset" writes its model folders. */
export function modelsFolder(workspace: string): string {
  return path.join(workspace, '.secml', 'models');
}

interface ModelCommon {
  /** Unique in the workspace: `<experiment>/<run id>` or `models/<folder name>`. */
  id: string;
  /** `experiment / variant` for a run, the folder name for a model folder. */
  label: string;
  /** The folder holding model.json and secml-model.json. */
  modelDir: string;
  /** ISO time the model was finished (the sort key); undefined sorts last. */
  finishedAt?: string;
  rocAuc?: number | null;
  recallAtFpr5?: number;
  /** The dataset variant it was trained on (e.g. `last:5`), when known. */
  variantSpec?: string;
}

export type WorkspaceModel = (ModelCommon & { source: 'run'; run: RunRecord }) | (ModelCommon & { source: 'folder'; manifest: SecmlModelManifest });

/** The workspace's local models (runs and model folders), newest first. */
export async function listWorkspaceModels(workspace: string): Promise<WorkspaceModel[]> {
  const [runs, folders] = await Promise.all([listLocalModels(RunStore.forWorkspace(workspace)), listModelFolders(modelsFolder(workspace))]);
  const models: WorkspaceModel[] = [
    ...runs.map((c): WorkspaceModel => ({
      source: 'run',
      run: c.run,
      id: `${c.run.experiment}/${c.run.id}`,
      label: c.label,
      modelDir: c.modelDir,
      finishedAt: c.run.finishedAt ?? c.run.createdAt,
      rocAuc: c.rocAuc,
      recallAtFpr5: c.recallAtFpr5,
      variantSpec: c.run.variantSpec,
    })),
    ...folders.map((f): WorkspaceModel => ({
      source: 'folder',
      manifest: f.manifest,
      id: `models/${path.basename(f.dir)}`,
      label: path.basename(f.dir),
      modelDir: f.dir,
      finishedAt: f.manifest.createdAt,
      rocAuc: f.manifest.metrics?.test?.rocAuc,
      recallAtFpr5: f.manifest.metrics?.test?.recallAtFpr5,
      variantSpec: f.manifest.variant?.spec,
    })),
  ];
  return models.sort((a, b) => (b.finishedAt ?? '').localeCompare(a.finishedAt ?? ''));
}
