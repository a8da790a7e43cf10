/**
 * The one place that reads a flattened dataset folder for training (train.csv, validation.csv, test.csv in
 * SageMaker's label-first convention, and manifest.json written by src/core/features). Only the manifest fields
 * training needs are read here, so the coupling to the dataset format stays in this file. A folder without a
 * manifest (plain SageMaker-style CSVs) still trains; its features are then named f0, f1, ...
 */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { SecmlError } from '../errors';
import { exists, readJson } from '../fs-atomic';

export interface TrainingDataset {
  dir: string;
  /** Feature columns in order (the CSVs' columns after the label). */
  features: string[];
  vocabulary: string[];
  /** Copied as they are into the model manifest, so scoring can read and flatten new logs the same way. */
  reader: unknown;
  variant: { name: string; spec: string } | null;
  counts: unknown;
  /** False for a folder of CSVs without manifest.json. */
  hasManifest: boolean;
  files: { train: string; validation: string | null; test: string | null };
}

const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');

async function firstLineFieldCount(file: string): Promise<number> {
  const fh = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(1 << 16);
    const { bytesRead } = await fh.read(buf, 0, buf.length, 0);
    const text = buf.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    const line = text.split(/\r?\n/).find((l) => l.length > 0) ?? '';
    return line === '' ? 0 : line.split(',').length;
  } finally {
    await fh.close();
  }
}

export async function readTrainingDataset(dir: string): Promise<TrainingDataset> {
  const stat = await fs.stat(dir).catch(() => null);
  if (!stat?.isDirectory()) throw new SecmlError('NOT_FOUND', `not a dataset folder (expected train.csv, validation.csv, test.csv and manifest.json from "secml flatten").`, { file: dir });
  const file = (name: string) => path.join(dir, name);
  const noTrain = (name: string) => new SecmlError('NOT_FOUND', `no ${name} here: is it a dataset folder written by "secml flatten"?`, { file: dir });
  const optional = async (name: string) => ((await exists(file(name))) ? file(name) : null);
  const files = { train: file('train.csv'), validation: await optional('validation.csv'), test: await optional('test.csv') };
  const manifestFile = file('manifest.json');
  if (!(await exists(manifestFile))) {
    if (!(await exists(files.train))) throw noTrain('train.csv');
    const cols = Math.max(0, (await firstLineFieldCount(files.train)) - 1);
    const features = Array.from({ length: cols }, (_, i) => `f${i}`);
    return { dir, features, vocabulary: [], reader: null, variant: null, counts: null, hasManifest: false, files };
  }
  const m = await readJson<Record<string, unknown>>(manifestFile);
  if (m.kind !== undefined && m.kind !== 'secml-dataset') throw new SecmlError('BAD_ARGUMENT', `not a dataset manifest (kind "${String(m.kind)}").`, { file: manifestFile });
  if (!isStringArray(m.features)) throw new SecmlError('BAD_ARGUMENT', `no "features" list (the feature columns in order).`, { file: manifestFile });
  const v = m.variant as { name?: unknown; spec?: unknown } | undefined;
  // The manifest may name its split files; only plain names inside the folder are honoured.
  const named = (m.files ?? {}) as Record<string, unknown>;
  const inside = (key: 'train' | 'validation' | 'test') => {
    const name = named[key];
    return typeof name === 'string' && /^[^/\\.][^/\\]*$/.test(name) ? file(name) : null;
  };
  for (const key of ['train', 'validation', 'test'] as const) {
    const f = inside(key);
    if (f && (key === 'train' || (await exists(f)))) files[key] = f;
  }
  if (!(await exists(files.train))) throw noTrain(path.basename(files.train));
  return {
    dir,
    features: m.features,
    vocabulary: isStringArray(m.vocabulary) ? m.vocabulary : [],
    reader: m.reader ?? null,
    variant: v && typeof v.name === 'string' ? { name: v.name, spec: String(v.spec ?? v.name) } : null,
    counts: m.counts ?? null,
    hasManifest: true,
    files,
  };
}
