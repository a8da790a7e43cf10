/**
 * Completed runs in a workspace's run store, made the quick way for scoring tests: flatten + train with core (what an
 * experiment's run does), then record the run as the experiments runner would (run.json with the model folder and
 * test metrics, dataset-manifest.json). A SageMaker run gets only its record and dataset manifest (its endpoint is
 * created by the test, on moto).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { flattenToDataset } from '../../src/core/features/flatten-dataset';
import { RunStore } from '../../src/core/experiments/run-store';
import type { MetricsSummary, RunRecord } from '../../src/core/experiments/run-record';
import type { BackendName, ExperimentSpec } from '../../src/core/experiments/spec';
import { parseHyperparameters } from '../../src/core/model/hyperparameters';
import { trainModel } from '../../src/core/model/train';
import type { MetricsReport } from '../../src/core/metrics/report';

export interface RunOptions {
  experiment: string;
  /** Variant spec (default `full`). */
  variant?: string;
  inputs: string[];
  augment?: string;
  backend?: BackendName;
  hyperparameters?: Record<string, string | number>;
}

function spec(o: RunOptions, backend: BackendName): ExperimentSpec {
  return {
    name: o.experiment,
    description: 'Created by a scoring test',
    input: { files: o.inputs, format: 'seed', augment: o.augment ? [o.augment] : [] },
    variants: [o.variant ?? 'full'],
    split: { train: 0.7, validation: 0.15, test: 0.15 },
    seed: 1,
    hyperparameters: {},
    overrides: {},
    backend,
    evaluation: { files: [] },
  };
}

function summaryOf(m: MetricsReport | null | undefined): MetricsSummary | undefined {
  if (!m) return undefined;
  const { curves: _c, baseline: _b, rows: _r, ...s } = m;
  return s;
}

/** Flattens, trains (locally) or not (sagemaker), and records one completed run; returns its record. */
export async function createCompletedRun(workspace: string, o: RunOptions): Promise<RunRecord> {
  const backend = o.backend ?? 'local';
  const store = RunStore.forWorkspace(workspace);
  const variant = o.variant ?? 'full';
  const { launchId, runs } = await store.createLaunch(spec(o, backend), path.join(workspace, `${o.experiment}.secml.json`), backend, [{ variant: variant.replace(/[^A-Za-z0-9._-]/g, ''), variantSpec: variant, hyperparameters: {} }]);
  const run = runs[0];
  const datasetRoot = store.datasetDir(o.experiment, launchId);
  const flat = await flattenToDataset(o.inputs, datasetRoot, { variants: [variant], augment: o.augment, overwrite: true });
  const datasetDir = flat.outDir;
  const runDir = store.runDir(o.experiment, run.id);
  const manifest = (await fs.stat(path.join(datasetDir, 'manifest.json')).then(() => true, () => false)) ? path.join(datasetDir, 'manifest.json') : path.join(datasetDir, run.variant, 'manifest.json');
  await fs.copyFile(manifest, path.join(runDir, 'dataset-manifest.json'));
  const now = new Date().toISOString();
  let done: RunRecord = { ...run, status: 'completed', startedAt: now, finishedAt: now, heartbeatAt: now, datasetDir: path.dirname(manifest), progress: { phase: 'completed', fraction: 1 } };
  if (backend === 'local') {
    const trained = await trainModel(path.dirname(manifest), path.join(runDir, 'model'), parseHyperparameters(o.hyperparameters ?? {}));
    done = { ...done, modelDir: trained.outDir, trainingSeconds: trained.manifest.trainingSeconds, summary: { test: summaryOf(trained.manifest.metrics.test) } };
  } else {
    done = { ...done, job: { name: `${o.experiment}-${run.variant}-job` }, summary: { test: { tp: 1, fp: 0, tn: 10, fn: 0, accuracy: 1, precision: 1, recall: 1, f1: 1, fpr: 0, rocAuc: 1, prAuc: 1, recallAtFpr5: 1, thresholdAtFpr5: 0.4, threshold: 0.5, positives: 1, negatives: 10 } } };
  }
  await store.writeRun(done);
  return done;
}
