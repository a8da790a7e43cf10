/**
 * The production wiring of the runner: the flattener (src/core/features), the evaluator (metrics on the test split and
 * the evaluation files) and the backends (local worker threads, SageMaker).
 */
import { SecmlError } from '../errors';
import type { Logger } from '../progress';
import type { RunnerDeps } from './runner';
import type { RunStore } from './run-store';
import type { ExperimentSpec } from './spec';
import type { Backend } from '../backends/backend';

export interface EngineOptions {
  store: RunStore;
  logger?: Logger;
  /** Builds the SageMaker backend for a spec (CLI: flags and environment; extension: settings and upload consent). */
  sagemaker?: (spec: ExperimentSpec) => Backend | Promise<Backend>;
}

const notYet = () => new SecmlError('INTERNAL', 'Experiments need the flattening engine and the trainer, which are not in this build yet.');

export function createRunnerDeps(options: EngineOptions): RunnerDeps {
  return {
    store: options.store,
    backend: async () => {
      throw notYet();
    },
    datasets: {
      variantName: () => {
        throw notYet();
      },
      flatten: async () => {
        throw notYet();
      },
    },
    evaluator: {
      evaluate: async () => {
        throw notYet();
      },
    },
  };
}
