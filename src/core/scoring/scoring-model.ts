/**
 * A model that can score new logs: how to read and flatten them (the training data's reader options, vocabulary and
 * feature order) and how to turn rows into probabilities (the local scorer, or a SageMaker endpoint). The threshold
 * that flags a session defaults to the run's threshold at FPR 5%.
 */
import type { ScoringModelInfo } from '../features/scoring-table';
import type { WorkOptions } from '../progress';

export const DEFAULT_SCORE_THRESHOLD = 0.5;

export interface ModelThreshold {
  value: number;
  /** Where it comes from, for people: `the run's threshold at FPR 5% (validation set)`. */
  source: string;
}

export interface ScoringModel {
  kind: 'local' | 'endpoint';
  /** Short name for titles and summaries: `harvest / full`, a model folder, or an endpoint name. */
  label: string;
  /** Where the model is: a model folder, or `endpoint NAME`. */
  location: string;
  info: ScoringModelInfo;
  threshold: ModelThreshold;
  /** Probabilities for n rows of info.features.length values each (row-major, NaN = missing). */
  predict(rows: Float32Array, n: number, work?: WorkOptions): Promise<Float32Array>;
}

/** The threshold a model file or run record gives, or the default. */
export function thresholdOf(value: number | null | undefined, source: string): ModelThreshold {
  if (typeof value === 'number' && Number.isFinite(value)) return { value, source };
  return { value: DEFAULT_SCORE_THRESHOLD, source: `default ${DEFAULT_SCORE_THRESHOLD} (the model records no threshold at FPR 5%)` };
}
