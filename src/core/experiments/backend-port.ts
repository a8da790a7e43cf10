/**
 * The part of the Backend contract (src/core/backends/backend.ts, from the SageMaker work) the runner relies on, kept here
 * until that module is on main. Shapes are identical, so a backend written against either satisfies both.
 */
import type { WorkOptions } from '../progress';
import type { BackendName } from './spec';

export interface TrainRequest {
  experiment: string;
  runId: string;
  variant: string;
  /** The variant folder: train.csv, validation.csv, test.csv (label first, no header), manifest.json. */
  datasetDir: string;
  /** XGBoost hyperparameters as strings. */
  hyperparameters: Record<string, string>;
  /** The run's own folder: a backend may write its model or job record there. */
  runDir: string;
  resumeJobName?: string;
}

export type TrainState = 'queued' | 'uploading' | 'starting' | 'training' | 'stopping' | 'completed' | 'failed' | 'stopped';

export interface TrainStatus {
  state: TrainState;
  secondary?: string;
  message?: string;
  jobName?: string;
  jobArn?: string;
  consoleUrl?: string;
  logsUrl?: string;
}

export interface TrainWork extends WorkOptions {
  onStatus?(status: TrainStatus): void;
}

export interface TrainResult {
  backend: BackendName;
  modelDir?: string;
  jobName?: string;
  jobArn?: string;
  modelArtifact?: string;
  imageUri?: string;
  finalMetrics?: Record<string, number>;
  features?: string[];
  consoleUrl?: string;
  logsUrl?: string;
  experiment?: string;
  variant?: string;
  runId?: string;
}

export interface Scorer {
  readonly description: string;
  predict(rows: Float32Array, n: number, F: number, signal?: AbortSignal): Promise<Float32Array>;
  dispose(): Promise<void>;
}

export interface ScorerOptions extends WorkOptions {
  keep?: boolean;
}

export interface StopTarget {
  runId?: string;
  jobName?: string;
}

export interface Backend {
  readonly name: BackendName;
  train(request: TrainRequest, work?: TrainWork): Promise<TrainResult>;
  stop(target: StopTarget, work?: WorkOptions): Promise<void>;
  createScorer(result: TrainResult, work?: ScorerOptions): Promise<Scorer>;
}
