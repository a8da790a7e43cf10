/** Test doubles for the runner: a flattener that writes tiny variant folders and a backend whose training is controllable. */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cancelledError, SecmlError } from '../../../src/core/errors';
import { sleep, type WorkOptions } from '../../../src/core/progress';
import type { Backend, Scorer, TrainRequest, TrainResult, TrainWork } from '../../../src/core/backends/backend';
import type { DatasetPreparer, RunEvaluator, RunnerDeps, VariantRef } from '../../../src/core/experiments/runner';
import type { MetricsSummary, RunMetrics } from '../../../src/core/experiments/run-record';
import { RunStore } from '../../../src/core/experiments/run-store';
import type { ExperimentSpec, LoadedSpec } from '../../../src/core/experiments/spec';
import { parseExperimentSpec } from '../../../src/core/experiments/spec';

const made: string[] = [];

/** A fresh temporary folder, removed after the test run. */
export async function tempDir(prefix = 'secml-exp-'): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

// A root-level hook (this module is loaded once per mocha run); absent when a child process imports the fakes.
if (typeof after === 'function') {
  after(async () => {
    await Promise.all(made.splice(0).map((d) => fs.rm(d, { recursive: true, force: true })));
  });
}

export function sampleSpec(overrides: Partial<Record<string, unknown>> = {}): LoadedSpec {
  const value = {
    name: 'harvest-bag-of-events',
    description: 'test',
    input: { files: ['mixed-1.txt'], format: 'seed', augment: ['known-attacker.txt'] },
    variants: ['full', 'drop:0.2', 'first:5', 'first:10', 'last:5', 'last:10'],
    hyperparameters: { max_depth: 5, num_round: 10 },
    evaluation: { files: ['single.txt'] },
    ...overrides,
  };
  const text = JSON.stringify(value, null, 2);
  return { spec: parseExperimentSpec(value, '/w/sample.secml.json', text), file: '/w/sample.secml.json', text };
}

export const fakeVariantName = (spec: string): string => {
  const m = /^(full|drop:([0-9.]+)|(first|last):([0-9]+))$/.exec(spec);
  if (!m) throw new SecmlError('BAD_ARGUMENT', `unknown variant "${spec}"`);
  return m[1] === 'full' ? 'full' : m[2] !== undefined ? `drop${m[2]}` : `${m[3]}${m[4]}`;
};

export class FakeDatasets implements DatasetPreparer {
  calls = 0;
  fail?: Error;
  delayMs = 0;
  variantName = fakeVariantName;
  async flatten(_spec: ExperimentSpec, variants: VariantRef[], outDir: string, work: WorkOptions): Promise<void> {
    this.calls++;
    work.onProgress?.({ fraction: 0.5, message: 'half' });
    if (this.delayMs) await sleep(this.delayMs, work.signal);
    if (this.fail) throw this.fail;
    for (const v of variants) {
      await fs.mkdir(path.join(outDir, v.name), { recursive: true });
      await fs.writeFile(path.join(outDir, v.name, 'manifest.json'), JSON.stringify({ variant: v.name }));
    }
  }
}

/** Training waits on a per-variant gate (or a delay), so tests decide when each run finishes. */
export class FakeBackend implements Backend {
  readonly name = 'local' as const;
  active = 0;
  maxActive = 0;
  trained: string[] = [];
  disposed = 0;
  scorersCreated = 0;
  failVariants = new Set<string>();
  failEvaluation = new Set<string>();
  delayMs = 5;
  private gates = new Map<string, () => void>();
  gated = new Set<string>();

  isWaiting(variant: string): boolean {
    return this.gates.has(variant);
  }

  release(variant: string): void {
    this.gates.get(variant)?.();
  }

  async train(request: TrainRequest, work: TrainWork = {}): Promise<TrainResult> {
    this.active++;
    this.maxActive = Math.max(this.maxActive, this.active);
    try {
      work.onStatus?.({ state: 'training' });
      work.onProgress?.({ done: 1, total: 2, unit: 'rounds' });
      if (this.gated.has(request.variant)) {
        await new Promise<void>((resolve, reject) => {
          this.gates.set(request.variant, resolve);
          work.signal?.addEventListener('abort', () => reject(cancelledError()), { once: true });
        });
      } else await sleep(this.delayMs, work.signal);
      if (this.failVariants.has(request.variant)) throw new SecmlError('MODEL_FORMAT', `cannot train ${request.variant}`);
      this.trained.push(request.variant);
      const modelDir = path.join(request.runDir, 'model');
      await fs.mkdir(modelDir, { recursive: true });
      return { backend: 'local', modelDir, variant: request.variant };
    } finally {
      this.active--;
    }
  }

  async stop(): Promise<void> {}

  async createScorer(result: TrainResult): Promise<Scorer> {
    this.scorersCreated++;
    const fail = this.failEvaluation.has(result.variant ?? '');
    return {
      description: `fake ${result.variant}`,
      predict: async (_rows, n) => {
        if (fail) throw new SecmlError('AWS', 'endpoint failed');
        return new Float32Array(n).fill(0.9);
      },
      dispose: async () => {
        this.disposed++;
      },
    };
  }
}

export function summary(recallAtFpr5: number): MetricsSummary {
  return { tp: 7, fp: 1, tn: 90, fn: 2, accuracy: 0.97, precision: 0.875, recall: 0.778, f1: 0.82, fpr: 0.011, rocAuc: 0.95, prAuc: 0.9, recallAtFpr5, thresholdAtFpr5: 0.4, threshold: 0.5, positives: 9, negatives: 91 };
}

export const fakeEvaluator: RunEvaluator = {
  async evaluate({ scorer, run }): Promise<RunMetrics> {
    await scorer.predict(new Float32Array(4), 2, 2);
    const s = summary(run.order / 10);
    const baseline = { ...s, tp: 0, fp: 0, tn: 91, fn: 9, recall: 0, precision: 0, recallAtFpr5: 0 };
    return { schemaVersion: 1, test: { summary: s, baseline, curve: [{ threshold: 1, tp: 0, fp: 0 }, { threshold: 0, tp: 9, fp: 91 }], rows: 100 } };
  },
};

export function fakeDeps(root: string, backend = new FakeBackend(), datasets = new FakeDatasets()): RunnerDeps & { backendImpl: FakeBackend; datasetsImpl: FakeDatasets } {
  return { store: new RunStore(root), backend: async () => backend, datasets, evaluator: fakeEvaluator, backendImpl: backend, datasetsImpl: datasets };
}
