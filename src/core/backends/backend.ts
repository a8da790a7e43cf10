/**
 * Where a run trains and where its model scores: `local` (worker threads, in-process scorer) or `sagemaker` (training job,
 * endpoint). The experiments runner, the CLI and the extension only talk to this interface.
 *
 * Teardown guarantees every backend keeps:
 * - `train` stops what it started when `work.signal` aborts (SageMaker: StopTrainingJob), then rejects with CANCELLED.
 * - `createScorer` either resolves with a scorer or leaves nothing behind (a half-created endpoint is deleted before it rejects).
 * - `Scorer.dispose` releases everything the scorer created (SageMaker: endpoint, endpoint config, model), is idempotent and
 *   never uses the (possibly aborted) work signal. Use `withScorer` so evaluation tears down even when it fails.
 */
import { isCancellation, userMessage } from '../errors';
import type { Logger, WorkOptions } from '../progress';

export type BackendName = 'local' | 'sagemaker';

export interface TrainRequest {
  /** Experiment name (S3 paths, tags, job names). */
  experiment: string;
  /** Run id, unique within the experiment. */
  runId: string;
  /** Variant name (the dataset variant this run trains on). */
  variant: string;
  /** The variant folder: train.csv, validation.csv, test.csv (label first, no header), manifest.json. */
  datasetDir: string;
  /** XGBoost hyperparameters as strings (`max_depth: "5"`, `objective: "binary:logistic"`, `num_round: "50"`). */
  hyperparameters: Record<string, string>;
  /** The run's own folder: a backend may write its model or job record there. */
  runDir: string;
  /** Re-attach to a job this run already started (SageMaker: poll it instead of uploading and creating a new one). */
  resumeJobName?: string;
}

/** Normalised life cycle of a run on any backend. */
export type TrainState = 'queued' | 'uploading' | 'starting' | 'training' | 'stopping' | 'completed' | 'failed' | 'stopped';

export interface TrainStatus {
  state: TrainState;
  /** Backend detail, e.g. SageMaker's SecondaryStatus (`Downloading`, `Training`, `Uploading`). */
  secondary?: string;
  message?: string;
  jobName?: string;
  jobArn?: string;
  consoleUrl?: string;
  logsUrl?: string;
}

export interface TrainWork extends WorkOptions {
  /** Called whenever the state or secondary status changes (drives the tree's live status). */
  onStatus?(status: TrainStatus): void;
}

export interface TrainResult {
  backend: BackendName;
  /** Local: folder holding the XGBoost JSON model. */
  modelDir?: string;
  jobName?: string;
  jobArn?: string;
  /** SageMaker: s3://.../model.tar.gz. */
  modelArtifact?: string;
  /** Container image the model was trained with (SageMaker). */
  imageUri?: string;
  /** Metrics the backend reports itself (SageMaker FinalMetricDataList, e.g. `validation:auc`). */
  finalMetrics?: Record<string, number>;
  /** Feature names in model column order (from the dataset manifest), when known. */
  features?: string[];
  consoleUrl?: string;
  logsUrl?: string;
  /** Carried through to the resources a scorer creates (tags). */
  experiment?: string;
  variant?: string;
  runId?: string;
}

export interface Scorer {
  /** Where predictions come from, for logs (`local model`, `endpoint secml-...`). */
  readonly description: string;
  /** `rows` is n x F row-major in model column order, no label; resolves with one probability per row. */
  predict(rows: Float32Array, n: number, F: number, signal?: AbortSignal): Promise<Float32Array>;
  /** Releases what the scorer created. Idempotent. */
  dispose(): Promise<void>;
}

export interface ScorerOptions extends WorkOptions {
  /** Leave the created resources running after dispose (CLI --keep-endpoints, "Deploy"). */
  keep?: boolean;
}

/** What to stop: a run the backend is training (by runId) or a remote job by name. */
export interface StopTarget {
  runId?: string;
  jobName?: string;
}

export interface Backend {
  readonly name: BackendName;
  train(request: TrainRequest, work?: TrainWork): Promise<TrainResult>;
  /** Stops a running training. Resolves once the stop was requested (SageMaker: StopTrainingJob accepted). */
  stop(target: StopTarget, work?: WorkOptions): Promise<void>;
  createScorer(result: TrainResult, work?: ScorerOptions): Promise<Scorer>;
}

/**
 * Creates a scorer, runs `fn` with it and always disposes it, also when `fn` fails or is cancelled. A dispose failure after
 * a failed `fn` is logged and the original error wins; after a successful `fn` it is thrown, naming what is left running.
 */
export async function withScorer<T>(backend: Backend, result: TrainResult, work: ScorerOptions, fn: (scorer: Scorer) => Promise<T>): Promise<T> {
  const scorer = await backend.createScorer(result, work);
  let value: T;
  try {
    value = await fn(scorer);
  } catch (e) {
    await disposeQuietly(scorer, work.logger, e);
    throw e;
  }
  await scorer.dispose();
  return value;
}

async function disposeQuietly(scorer: Scorer, logger: Logger | undefined, cause: unknown): Promise<void> {
  try {
    await scorer.dispose();
  } catch (e) {
    const why = isCancellation(cause) ? 'after cancelling' : 'after a failure';
    logger?.error(`Could not release ${scorer.description} ${why}: ${userMessage(e)}`);
  }
}
