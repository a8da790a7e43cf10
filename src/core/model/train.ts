/**
 * trainModel: trains a local model on a dataset folder in a worker thread (so a VS Code extension host stays
 * responsive), reports every round, honours cancellation by terminating the worker, and writes the model folder:
 * model.json (XGBoost's JSON format) then secml-model.json (our manifest), each atomically. Nothing is written
 * when training fails or is cancelled.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Worker } from 'node:worker_threads';
import { cancelledError, SecmlError } from '../errors';
import { writeFileAtomic } from '../fs-atomic';
import { throwIfAborted, type WorkOptions } from '../progress';
import type { RoundMetrics } from './boosting';
import type { Hyperparameters } from './hyperparameters';
import { formatManifestJson, MODEL_MANIFEST_FILE, type SecmlModelManifest } from './model-manifest';
import type { TrainingJobResult } from './training-job';
import { fromWorkerError, workerScript, type WorkerErrorMessage } from '../worker-script';

export interface TrainingWorkerInput {
  datasetDir: string;
  params: Hyperparameters;
}

export type TrainingWorkerMessage =
  | { type: 'round'; round: RoundMetrics }
  | { type: 'stage'; message: string }
  | { type: 'done'; result: TrainingJobResult }
  | { type: 'error'; error: WorkerErrorMessage };

export interface RoundProgress extends RoundMetrics {
  numRound: number;
}

export interface TrainModelOptions extends WorkOptions {
  /** After every boosting round: round number and the train/validation eval metrics. */
  onRound?: (r: RoundProgress) => void;
}

export interface TrainModelResult {
  outDir: string;
  modelFile: string;
  manifestFile: string;
  manifest: SecmlModelManifest;
}

const WORKER = 'train.worker';

function describeRound(r: RoundProgress): string {
  const fmt = (set: Record<string, number | null | undefined> | undefined, name: string) =>
    Object.entries(set ?? {}).map(([k, v]) => `${name}-${k} ${v === null || v === undefined ? 'n/a' : v.toFixed(4)}`);
  return [`round ${r.round}/${r.numRound}`, ...fmt(r.train, 'train'), ...fmt(r.validation, 'validation')].join('  ');
}

function runWorker(input: TrainingWorkerInput, work: TrainModelOptions): Promise<TrainingJobResult> {
  const { code, evaluated } = workerScript(WORKER, __dirname, __filename);
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: evaluated, workerData: input });
    let settled = false;
    const finish = (err: unknown, result?: TrainingJobResult) => {
      if (settled) return;
      settled = true;
      work.signal?.removeEventListener('abort', onAbort);
      void worker.terminate();
      if (err) reject(err);
      else resolve(result!);
    };
    const onAbort = () => finish(cancelledError());
    work.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: TrainingWorkerMessage) => {
      if (settled) return;
      if (m.type === 'round') {
        const r: RoundProgress = { ...m.round, numRound: input.params.numRound };
        work.onRound?.(r);
        work.onProgress?.({ message: describeRound(r), fraction: r.round / r.numRound, done: r.round, total: r.numRound, unit: 'rounds' });
      } else if (m.type === 'stage') {
        work.logger?.debug(`train: ${m.message}`);
        work.onProgress?.({ message: m.message });
      } else if (m.type === 'done') {
        finish(null, m.result);
      } else {
        if (m.error.stack) work.logger?.debug(m.error.stack);
        finish(fromWorkerError(m.error));
      }
    });
    worker.on('error', (e) => finish(new SecmlError('INTERNAL', `Training failed: ${e.message}`, { cause: e })));
    worker.on('exit', (exitCode) => finish(new SecmlError('INTERNAL', `The training worker stopped unexpectedly (exit code ${exitCode}).`)));
  });
}

/** Trains on `datasetDir` (a flatten output folder) and writes the model folder `outDir`. */
export async function trainModel(datasetDir: string, outDir: string, params: Hyperparameters, work: TrainModelOptions = {}): Promise<TrainModelResult> {
  throwIfAborted(work.signal);
  const started = Date.now();
  const { modelJson, manifest, warnings } = await runWorker({ datasetDir: path.resolve(datasetDir), params }, work);
  for (const w of warnings ?? []) work.logger?.warn(w);
  throwIfAborted(work.signal);
  const modelFile = path.join(outDir, manifest.modelFile);
  const manifestFile = path.join(outDir, MODEL_MANIFEST_FILE);
  // A previous model's manifest goes first, so no reader ever pairs it with the new model.json.
  await fs.rm(manifestFile, { force: true });
  await writeFileAtomic(modelFile, modelJson);
  await writeFileAtomic(manifestFile, formatManifestJson(manifest) + '\n');
  work.logger?.info(`Trained ${manifest.numTrees} trees in ${((Date.now() - started) / 1000).toFixed(1)} s: ${outDir}`);
  return { outDir, modelFile, manifestFile, manifest };
}
