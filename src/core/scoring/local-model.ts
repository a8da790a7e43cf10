/**
 * A local model for scoring: a model folder from `secml train` or a local experiment run (its `model/`), or any
 * XGBoost JSON model together with the dataset manifest it was trained on. Scoring runs in this thread in blocks,
 * yielding between them so progress shows and Cancel is honoured.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SecmlError } from '../errors';
import { readJson } from '../fs-atomic';
import { loadModel } from '../model/load-model';
import { MODEL_MANIFEST_FILE } from '../model/model-manifest';
import { throttle, throwIfAborted, type WorkOptions } from '../progress';
import { readModelInfo } from './model-info';
import { thresholdOf, type ModelThreshold, type ScoringModel } from './scoring-model';

/** Rows scored between two yields to the event loop. */
const BLOCK_ROWS = 32_768;

export interface LocalModelOptions {
  /** For a bare XGBoost model: the dataset manifest (or model) that gives the reader, vocabulary and feature order. */
  vocab?: string;
  /** Shown in titles (default: the folder name). */
  label?: string;
  /** Overrides the model's own threshold (e.g. a run record's). */
  threshold?: ModelThreshold;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A run folder's model is in `model/`; anything else is loaded as given. */
async function modelTarget(target: string): Promise<string> {
  const inRun = path.join(target, 'model');
  return (await fs.stat(path.join(inRun, MODEL_MANIFEST_FILE)).then(() => true, () => false)) ? inRun : target;
}

/** `experiment / variant` for a run's model, else the model folder's name. */
async function defaultLabel(dir: string): Promise<string> {
  const run = await readJson<{ experiment?: unknown; variant?: unknown }>(path.join(path.dirname(dir), 'run.json')).catch(() => undefined);
  if (run && typeof run.experiment === 'string' && typeof run.variant === 'string') return `${run.experiment} / ${run.variant}`;
  return path.basename(dir);
}

export async function loadLocalScoringModel(target: string, opts: LocalModelOptions = {}): Promise<ScoringModel> {
  const dir = await modelTarget(path.resolve(target));
  const model = await loadModel(dir);
  let described;
  if (opts.vocab) described = await readModelInfo(opts.vocab);
  else if (model.manifest) described = await readModelInfo(path.join(path.dirname(model.modelFile), MODEL_MANIFEST_FILE));
  else {
    throw new SecmlError(
      'MODEL_FORMAT',
      `an XGBoost model without ${MODEL_MANIFEST_FILE}: scoring needs the reader options, vocabulary and feature order it was trained with. Give the dataset manifest it was trained on (secml score --vocab DATASET/manifest.json).`,
      { file: model.modelFile },
    );
  }
  const info = described.info;
  const F = info.features.length;
  if (F !== model.scorer.numFeature) {
    throw new SecmlError('MODEL_FORMAT', `the model takes ${model.scorer.numFeature} features but ${path.basename(described.file)} lists ${F}: they do not belong together.`, { file: model.modelFile });
  }
  const scorer = model.scorer;
  const threshold = opts.threshold ?? thresholdOf(described.thresholdAtFpr5, "the model's threshold at FPR 5% (validation set)");
  return {
    kind: 'local',
    label: opts.label ?? (await defaultLabel(path.dirname(model.modelFile))),
    location: path.dirname(model.modelFile),
    info,
    threshold,
    async predict(rows, n, work: WorkOptions = {}) {
      const out = new Float32Array(n);
      const report = throttle(work.onProgress, 200);
      for (let start = 0; start < n; start += BLOCK_ROWS) {
        throwIfAborted(work.signal);
        const count = Math.min(BLOCK_ROWS, n - start);
        scorer.predict(rows.subarray(start * F, (start + count) * F), count, F, out.subarray(start, start + count));
        const done = start + count;
        report({ message: `Scored ${done.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} sessions`, done, total: n, unit: 'sessions', fraction: done / n });
        if (done < n) await yieldToLoop();
      }
      return out;
    },
  };
}
