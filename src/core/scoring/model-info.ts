/**
 * What scoring needs to flatten new logs exactly like a model's training data (reader options, vocabulary, feature
 * order, variant), read from the files that record it: a model's `secml-model.json`, a dataset's `manifest.json`, or a
 * run folder (its model, else the `dataset-manifest.json` copied there when the run was launched).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SecmlError } from '../errors';
import { readJson } from '../fs-atomic';
import type { ScoringModelInfo } from '../features/scoring-table';
import type { ReaderOptions } from '../logs/log-event';
import { MODEL_MANIFEST_FILE } from '../model/model-manifest';

export const RUN_DATASET_MANIFEST = 'dataset-manifest.json';
const RUN_MODEL_DIR = 'model';

export interface ModelInfoFile {
  info: ScoringModelInfo;
  /** The file it was read from. */
  file: string;
  kind: 'model' | 'dataset';
  /** The model's threshold at FPR 5% (validation set), when the file records one. */
  thresholdAtFpr5?: number | null;
}

const FORMATS = ['seed', 'cloudtrail', 'csv'];
const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');

function invalid(file: string, why: string): SecmlError {
  return new SecmlError('MODEL_FORMAT', `cannot score with this: ${why}.`, { file });
}

/** Checks the parts every source must have; `doc` is a parsed secml-model.json or dataset manifest. */
function infoOf(doc: Record<string, unknown>, file: string): ScoringModelInfo {
  const reader = doc.reader as Partial<ReaderOptions> | undefined;
  if (!reader || typeof reader !== 'object' || !FORMATS.includes(reader.format as string)) {
    throw invalid(file, 'it does not say how the training logs were read ("reader.format" must be seed, cloudtrail or csv)');
  }
  if (!isStrings(doc.vocabulary)) throw invalid(file, 'it has no "vocabulary" (the event types the model was trained on)');
  if (!isStrings(doc.features) || doc.features.length === 0) throw invalid(file, 'it has no "features" (the model\'s column order)');
  const variant = doc.variant as { spec?: unknown } | null | undefined;
  return {
    reader: { ...(reader as ReaderOptions) },
    vocabulary: doc.vocabulary,
    features: doc.features,
    ...(variant && typeof variant.spec === 'string' ? { variant: variant.spec } : {}),
  };
}

const isFile = (p: string) => fs.stat(p).then((s) => s.isFile(), () => false);

/** The JSON file describing `target` (a file, a model folder, a dataset folder or a run folder). */
async function describingFile(target: string): Promise<string> {
  const stat = await fs.stat(target).catch(() => null);
  if (!stat) throw new SecmlError('NOT_FOUND', 'does not exist.', { file: target });
  if (stat.isFile()) return target;
  const candidates = [path.join(target, MODEL_MANIFEST_FILE), path.join(target, RUN_MODEL_DIR, MODEL_MANIFEST_FILE), path.join(target, RUN_DATASET_MANIFEST), path.join(target, 'manifest.json')];
  for (const c of candidates) if (await isFile(c)) return c;
  throw new SecmlError('NOT_FOUND', `holds neither a model (${MODEL_MANIFEST_FILE}) nor a dataset manifest (manifest.json): scoring needs the vocabulary and reader options the model was trained with.`, { file: target });
}

/** Reads the scoring information from a model folder or file, a dataset folder or manifest, or a run folder. */
export async function readModelInfo(target: string): Promise<ModelInfoFile> {
  const file = await describingFile(path.resolve(target));
  const doc = await readJson<unknown>(file);
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw invalid(file, 'not a JSON object');
  const d = doc as Record<string, unknown>;
  if (d.kind === 'secml-model') {
    const t = d.thresholdAtFpr5;
    return { info: infoOf(d, file), file, kind: 'model', thresholdAtFpr5: typeof t === 'number' && Number.isFinite(t) ? t : null };
  }
  if (d.kind === 'secml-dataset') return { info: infoOf(d, file), file, kind: 'dataset' };
  throw invalid(file, 'neither a SecML model manifest (kind "secml-model") nor a dataset manifest (kind "secml-dataset")');
}
