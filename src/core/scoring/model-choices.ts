/**
 * The models a user can score with, from the workspace's run store: completed local runs (newest first, with their
 * test metrics), and for a SageMaker endpoint the run that created it (found by its secml:experiment and secml:run
 * tags), whose dataset manifest gives the vocabulary and column order the endpoint expects.
 */
import * as path from 'node:path';
import { SecmlError } from '../errors';
import type { RunRecord } from '../experiments/run-record';
import type { RunStore } from '../experiments/run-store';
import { loadLocalScoringModel } from './local-model';
import { readModelInfo, RUN_DATASET_MANIFEST, type ModelInfoFile } from './model-info';
import { thresholdOf, type ModelThreshold, type ScoringModel } from './scoring-model';

export interface LocalModelChoice {
  run: RunRecord;
  modelDir: string;
  /** `experiment / variant` */
  label: string;
  recallAtFpr5?: number;
  rocAuc?: number | null;
}

export const runLabel = (r: Pick<RunRecord, 'experiment' | 'variant'>) => `${r.experiment} / ${r.variant}`;

/** Completed runs with a local model, newest first (by finish time, then launch). */
export async function listLocalModels(store: RunStore): Promise<LocalModelChoice[]> {
  const experiments = await store.listExperiments();
  return experiments
    .flatMap((e) => e.runs)
    .filter((r) => r.status === 'completed' && typeof r.modelDir === 'string' && r.modelDir !== '')
    .sort((a, b) => (b.finishedAt ?? b.launchId).localeCompare(a.finishedAt ?? a.launchId))
    .map((run) => ({ run, modelDir: run.modelDir!, label: runLabel(run), recallAtFpr5: run.summary?.test?.recallAtFpr5, rocAuc: run.summary?.test?.rocAuc }));
}

/** The scoring model of a completed local run. */
export function localRunModel(run: RunRecord): Promise<ScoringModel> {
  if (!run.modelDir) throw new SecmlError('NOT_FOUND', `Run ${runLabel(run)} has no local model.`);
  return loadLocalScoringModel(run.modelDir, { label: runLabel(run) });
}

export interface EndpointTags {
  experiment?: string;
  runId?: string;
}

export interface EndpointRun {
  run: RunRecord;
  described: ModelInfoFile;
  threshold: ModelThreshold;
}

/**
 * The run an endpoint was deployed from, with what scoring needs; throws NOT_FOUND with the reason when the endpoint
 * has no known vocabulary (no tags, or its run is not in this run store).
 */
export async function endpointRun(store: RunStore, endpointName: string, tags: EndpointTags): Promise<EndpointRun> {
  const noVocab = (why: string) =>
    new SecmlError('NOT_FOUND', `Endpoint ${endpointName} has no known vocabulary: ${why}. Scoring needs the event types and column order it was trained on: score with its run's local model, or give the dataset manifest it was trained on (secml score --vocab).`);
  if (!tags.experiment || !tags.runId) throw noVocab('it carries no secml:experiment and secml:run tags (SecML did not deploy it from a run)');
  let run: RunRecord;
  try {
    run = await store.readRun(tags.experiment, tags.runId);
  } catch {
    throw noVocab(`its run ${tags.experiment}/${tags.runId} is not in this workspace's run store (${store.root})`);
  }
  const dir = store.runDir(tags.experiment, tags.runId);
  let described: ModelInfoFile;
  try {
    described = await readModelInfo(run.modelDir ?? path.join(dir, RUN_DATASET_MANIFEST));
  } catch {
    described = await readModelInfo(path.join(dir, RUN_DATASET_MANIFEST)).catch(() => {
      throw noVocab(`its run ${tags.experiment}/${tags.runId} kept no ${RUN_DATASET_MANIFEST}`);
    });
  }
  const threshold =
    described.thresholdAtFpr5 != null
      ? thresholdOf(described.thresholdAtFpr5, "the run's threshold at FPR 5% (validation set)")
      : thresholdOf(run.summary?.test?.thresholdAtFpr5, "the run's threshold at FPR 5% (test set)");
  return { run, described, threshold };
}
