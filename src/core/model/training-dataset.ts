/**
 * The one place that reads a flattened dataset folder for training: the split files in SageMaker's label-first
 * convention and manifest.json (read and validated by src/core/features/manifest). A folder without a manifest (plain
 * SageMaker-style CSVs) still trains; its features are then named f0, f1, ...
 */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { SecmlError } from '../errors';
import { exists } from '../fs-atomic';
import { findDatasetVariants, MANIFEST_FILE, readDatasetManifest } from '../features/manifest';

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
  if (!(await exists(file(MANIFEST_FILE)))) {
    // Plain SageMaker-style CSVs, or a dataset folder holding several variants (readDatasetManifest says which).
    if (!(await exists(file('train.csv')))) {
      if ((await findDatasetVariants(dir).catch(() => [])).length > 0) await readDatasetManifest(dir);
      throw noTrain('train.csv');
    }
    const files = { train: file('train.csv'), validation: await optional('validation.csv'), test: await optional('test.csv') };
    const cols = Math.max(0, (await firstLineFieldCount(files.train)) - 1);
    const features = Array.from({ length: cols }, (_, i) => `f${i}`);
    return { dir, features, vocabulary: [], reader: null, variant: null, counts: null, hasManifest: false, files };
  }
  const m = await readDatasetManifest(dir);
  const files = { train: file(m.files.train), validation: await optional(m.files.validation), test: await optional(m.files.test) };
  if (!(await exists(files.train))) throw noTrain(m.files.train);
  return { dir, features: m.features, vocabulary: m.vocabulary, reader: m.reader, variant: m.variant, counts: m.counts, hasManifest: true, files };
}
