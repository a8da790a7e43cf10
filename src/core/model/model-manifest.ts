/**
 * `secml-model.json`: what a trained model folder says about itself, next to `model.json` (XGBoost's format).
 * Scoring reads the features, vocabulary and reader options from it to flatten new logs exactly like the
 * training data; the metrics panel reads the curve and metrics.
 */
import type { MetricsReport } from '../metrics/report';
import type { RoundMetrics } from './boosting';

export const MODEL_MANIFEST_FILE = 'secml-model.json';
export const MODEL_FILE = 'model.json';
export const MODEL_FORMAT_VERSION = 1;

export interface SecmlModelManifest {
  kind: 'secml-model';
  formatVersion: number;
  createdAt: string;
  /** The XGBoost JSON model beside this file. */
  modelFile: string;
  /** Feature columns in order: what each row passed to the scorer must hold. */
  features: string[];
  vocabulary: string[];
  /** Reader options and variant, copied from the dataset manifest. */
  reader: unknown;
  variant: { name: string; spec: string } | null;
  dataset: { dir: string; counts: unknown };
  /** XGBoost names and values. */
  hyperparameters: Record<string, string | number>;
  trainingCurve: RoundMetrics[];
  /** 0-based round of the last kept tree. */
  bestIteration: number;
  numTrees: number;
  stoppedEarly: boolean;
  trainingSeconds: number;
  rows: { train: number; validation: number; test: number };
  metrics: { validation: MetricsReport | null; test: MetricsReport | null };
  /** Operating point chosen on the validation set: flag sessions scoring >= this (null without validation rows). */
  thresholdAtFpr5: number | null;
}

export function isModelManifest(v: unknown): v is SecmlModelManifest {
  const m = v as Partial<SecmlModelManifest> | null;
  return typeof m === 'object' && m !== null && m.kind === 'secml-model' && Array.isArray(m.features);
}

/** JSON with 2-space indentation, but arrays of numbers/strings (features, curve points) on one line each. */
export function formatManifestJson(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return JSON.stringify(value);
    if (value.length === 0) return '[]';
    const inner = indent + '  ';
    return `[\n${value.map((v) => inner + formatManifestJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const inner = indent + '  ';
    return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${formatManifestJson(v, inner)}`).join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
