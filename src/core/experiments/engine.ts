/**
 * The production wiring of the runner: the flattener (src/core/features), the evaluator (metrics on the test split and
 * the evaluation files) and the backends (local worker threads; SageMaker through a factory the caller provides, so the
 * AWS SDK is only loaded when a spec asks for it).
 */
import * as path from 'node:path';
import { SecmlError } from '../errors';
import type { Logger, WorkOptions } from '../progress';
import type { Backend } from '../backends/backend';
import { LocalBackend } from '../backends/local/local-backend';
import { flattenForScoring, flattenToDataset, variantName } from '../features';
import type { ReaderOptions } from '../logs/log-event';
import { parseHyperparameters } from '../model/hyperparameters';
import { createRunEvaluator, type ScoringFlattener } from './evaluate-run';
import type { DatasetPreparer, RunnerDeps, VariantRef } from './runner';
import type { RunStore } from './run-store';
import type { BackendName, ExperimentSpec } from './spec';

export interface EngineOptions {
  store: RunStore;
  logger?: Logger;
  /** Builds the SageMaker backend for a spec (CLI: flags and environment; extension: settings and upload consent). */
  sagemaker?: (spec: ExperimentSpec) => Backend | Promise<Backend>;
}

/** The reader options of a spec's input, as the flattener takes them. */
export function readerOptionsOf(spec: ExperimentSpec): Partial<ReaderOptions> {
  const { format, columns, sessionGapMinutes, strict } = spec.input;
  return { format, columns, sessionGapMinutes, strict };
}

/** Flattens a launch's variants in one pass into `outDir/<variant>/` (also when there is only one). */
export const featuresDatasetPreparer: DatasetPreparer = {
  variantName,
  async flatten(spec: ExperimentSpec, variants: VariantRef[], outDir: string, work: WorkOptions): Promise<void> {
    // With a single variant the flattener writes straight into its output folder: give it the variant's folder.
    const target = variants.length === 1 ? path.join(outDir, variants[0].name) : outDir;
    const summary = await flattenToDataset(
      spec.input.files,
      target,
      {
        reader: readerOptionsOf(spec),
        variants: variants.map((v) => v.spec),
        split: [spec.split.train, spec.split.validation, spec.split.test],
        seed: spec.seed,
        augment: spec.input.augment[0],
        timeFeatures: spec.timeFeatures,
        name: spec.name,
      },
      work,
    );
    work.logger?.info(
      `Flattened ${summary.events.toLocaleString('en-US')} events into ${summary.sessions.toLocaleString('en-US')} sessions (${summary.positives} attacker), ${summary.vocabulary} event types, ${summary.variants.length} variant(s) in ${(summary.elapsedMs / 1000).toFixed(1)} s` +
        (summary.skipped.count ? `; skipped ${summary.skipped.count} malformed row(s)` : ''),
    );
  },
};

const scoringFlattener: ScoringFlattener = async (inputs, model, work) => {
  const table = await flattenForScoring(inputs, { reader: model.reader as ReaderOptions, vocabulary: model.vocabulary, features: model.features, variant: model.variant }, work);
  return { rows: table.rows, n: table.n, labels: table.labels, unseen: table.unseen, skipped: table.skipped };
};

export function createRunnerDeps(options: EngineOptions): RunnerDeps {
  let local: LocalBackend | undefined;
  return {
    store: options.store,
    async backend(name: BackendName, spec: ExperimentSpec): Promise<Backend> {
      if (name === 'local') return (local ??= new LocalBackend());
      if (!options.sagemaker) throw new SecmlError('BAD_ARGUMENT', 'The sagemaker backend is not available here.');
      return options.sagemaker(spec);
    },
    datasets: featuresDatasetPreparer,
    evaluator: createRunEvaluator(scoringFlattener),
    checkHyperparameters(backend, hyperparameters) {
      // The local trainer's names and ranges; SageMaker's XGBoost takes more names and checks them itself.
      if (backend === 'local') parseHyperparameters(hyperparameters);
    },
  };
}
