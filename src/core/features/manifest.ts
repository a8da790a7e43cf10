/**
 * `manifest.json` of a flattened dataset variant: what was read (files with sizes and hashes, reader options), how
 * (variant, vocabulary, feature columns, time features, split) and what came out (counts, files). Trainers read the
 * feature order from here; scoring reuses its reader options and vocabulary.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SecmlError } from '../errors';
import { readJson } from '../fs-atomic';
import type { ReaderOptions, SkippedRow } from '../logs/log-event';
import type { SplitName } from './split';

export const DATASET_KIND = 'secml-dataset';
export const DATASET_FORMAT_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

export interface SourceFile {
  path: string;
  size: number;
  sha256: string;
}

export interface SplitCounts {
  sessions: number;
  positives: number;
}

export interface DatasetManifest {
  kind: typeof DATASET_KIND;
  formatVersion: number;
  /** Dataset name (the output folder's name). */
  name: string;
  variant: { name: string; spec: string };
  createdAt: string;
  generator: string;
  sources: SourceFile[];
  /** The attacker-only file added to training, or null. */
  augment: null | (SourceFile & { sessions: number; events: number; droppedOverlapping: number });
  reader: ReaderOptions;
  /** Event types, sorted; their counts are the first feature columns. */
  vocabulary: string[];
  /** Every feature column in order: vocabulary, `__other__`, then the time features when on. */
  features: string[];
  timeFeatures: boolean;
  split: { ratios: [number, number, number]; seed: number };
  labels: 'all' | 'partial' | 'none';
  counts: {
    /** Events read from the main input (all sessions, before truncation). */
    events: number;
    /** Sessions in this variant (after min:N), main input only. */
    sessions: number;
    positives: number;
    /** Sessions with no labelled event (written as 0 in the split files). */
    unlabelled: number;
    skippedRows: number;
    /** Event types outside a reused vocabulary (`--vocab`), counted as `__other__`. */
    unseenEventTypes: number;
    /** Events kept by the variant, main input. */
    keptEvents: number;
    splits: Record<SplitName, SplitCounts>;
  };
  /** The first skipped rows, for the report. */
  skipped: SkippedRow[];
  files: { train: string; validation: string; test: string; sessions: string };
}

function invalid(file: string, why: string): SecmlError {
  return new SecmlError('BAD_ARGUMENT', `not a usable SecML dataset manifest: ${why}`, { file });
}

/** Reads and validates a variant's manifest; `dir` may be the variant folder or the manifest file itself. */
export async function readDatasetManifest(dir: string): Promise<DatasetManifest> {
  const file = dir.endsWith('.json') ? dir : path.join(dir, MANIFEST_FILE);
  const exists = await fs.stat(file).then(
    () => true,
    () => false,
  );
  if (!exists && !dir.endsWith('.json')) {
    const variants = await findDatasetVariants(dir).catch(() => []);
    if (variants.length > 0) {
      throw new SecmlError('BAD_ARGUMENT', `${dir} holds several variants (${variants.map((v) => path.basename(v)).join(', ')}): choose one of its folders`);
    }
    throw new SecmlError('NOT_FOUND', `${dir}: no ${MANIFEST_FILE} here; is this a flattened dataset folder?`);
  }
  const m = await readJson<Partial<DatasetManifest>>(file);
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw invalid(file, 'not a JSON object');
  if (m.kind !== DATASET_KIND) throw invalid(file, `"kind" is ${JSON.stringify(m.kind)}, expected "${DATASET_KIND}"`);
  if (typeof m.formatVersion !== 'number') throw invalid(file, '"formatVersion" is missing');
  if (m.formatVersion > DATASET_FORMAT_VERSION) {
    throw invalid(file, `format version ${m.formatVersion} is newer than this SecML Lab understands (${DATASET_FORMAT_VERSION}); update the extension`);
  }
  const strings = (v: unknown) => Array.isArray(v) && v.every((x) => typeof x === 'string');
  if (!strings(m.vocabulary)) throw invalid(file, '"vocabulary" must be a list of event types');
  if (!strings(m.features)) throw invalid(file, '"features" must be a list of column names');
  if (!m.reader || typeof m.reader !== 'object' || !['seed', 'cloudtrail', 'csv'].includes((m.reader as ReaderOptions).format)) throw invalid(file, '"reader.format" must be seed, cloudtrail or csv');
  if (!m.variant || typeof m.variant.spec !== 'string') throw invalid(file, '"variant.spec" is missing');
  if (!m.counts || typeof m.counts.sessions !== 'number') throw invalid(file, '"counts" is missing');
  if (!m.files || typeof m.files.train !== 'string') throw invalid(file, '"files" is missing');
  for (const f of [m.files.train, m.files.validation, m.files.test, m.files.sessions]) {
    if (typeof f !== 'string' || f.includes('/') || f.includes('\\') || f.startsWith('.')) throw invalid(file, `"files" must name files inside the dataset folder, got ${JSON.stringify(f)}`);
  }
  return m as DatasetManifest;
}

/** Variant folders of a dataset: the folder itself when it holds a manifest, else its sub-folders that do. */
export async function findDatasetVariants(dir: string): Promise<string[]> {
  if (await fs.stat(path.join(dir, MANIFEST_FILE)).then(
    () => true,
    () => false,
  )) {
    return [dir];
  }
  const entries = await fs.readdir(dir, { withFileTypes: true });
  const out: string[] = [];
  // `full` first, then natural order (drop0.2, first5, first10, last5, last10): the order a reader expects.
  const rank = (name: string) => (name === 'full' ? 0 : 1);
  entries.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name, 'en', { numeric: true }));
  for (const e of entries) {
    if (!e.isDirectory() || e.name.startsWith('.')) continue;
    const sub = path.join(dir, e.name);
    if (await fs.stat(path.join(sub, MANIFEST_FILE)).then(
      () => true,
      () => false,
    )) {
      out.push(sub);
    }
  }
  return out;
}
