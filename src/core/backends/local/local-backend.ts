/**
 * The `local` backend: trains with the in-process GBDT (a worker thread per run, src/core/model/train.ts) into
 * `<runDir>/model/` (XGBoost JSON + secml-model.json) and scores with the compiled trees. Nothing to tear down.
 */
import * as path from 'node:path';
import { SecmlError } from '../../errors';
import { throwIfAborted, type WorkOptions } from '../../progress';
import { parseHyperparameters } from '../../model/hyperparameters';
import { loadModel } from '../../model/load-model';
import { trainModel } from '../../model/train';
import type { Backend, Scorer, ScorerOptions, StopTarget, TrainRequest, TrainResult, TrainWork } from '../backend';

export const LOCAL_MODEL_FOLDER = 'model';

export class LocalBackend implements Backend {
  readonly name = 'local' as const;
  private readonly running = new Map<string, AbortController>();

  async train(req: TrainRequest, work: TrainWork = {}): Promise<TrainResult> {
    const params = parseHyperparameters(req.hyperparameters);
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    if (work.signal?.aborted) controller.abort();
    work.signal?.addEventListener('abort', onAbort, { once: true });
    this.running.set(req.runId, controller);
    const modelDir = path.join(req.runDir, LOCAL_MODEL_FOLDER);
    try {
      work.onStatus?.({ state: 'training', message: `${params.numRound} rounds, max_depth ${params.maxDepth}, eta ${params.eta}` });
      const trained = await trainModel(req.datasetDir, modelDir, params, { signal: controller.signal, onProgress: work.onProgress, logger: work.logger });
      work.onStatus?.({ state: 'completed' });
      return { backend: 'local', modelDir, features: trained.manifest.features, experiment: req.experiment, variant: req.variant, runId: req.runId };
    } finally {
      work.signal?.removeEventListener('abort', onAbort);
      this.running.delete(req.runId);
    }
  }

  async stop(target: StopTarget, _work?: WorkOptions): Promise<void> {
    if (target.runId) this.running.get(target.runId)?.abort();
  }

  async createScorer(result: TrainResult, _work: ScorerOptions = {}): Promise<Scorer> {
    if (!result.modelDir) throw new SecmlError('NOT_FOUND', 'This run has no local model folder to score with.');
    const model = await loadModel(result.modelDir);
    return {
      description: `local model ${result.modelDir}`,
      async predict(rows, n, F, signal) {
        throwIfAborted(signal);
        if (F !== model.features.length) throw new SecmlError('MODEL_FORMAT', `The rows have ${F} features but the model expects ${model.features.length}.`, { file: result.modelDir });
        return model.scorer.predict(rows, n, F);
      },
      async dispose() {},
    };
  }
}
