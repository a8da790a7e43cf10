/**
 * `flattenToDataset`: log files in, a dataset folder out (one sub-folder per variant when there are several), with
 * splits, optional augmentation (an attacker-only file added to training), and a manifest per variant.
 */
import * as path from 'node:path';
import { SecmlError } from '../errors';
import { writeJsonAtomic } from '../fs-atomic';
import { detectFormat } from '../logs/detect-format';
import { DEFAULT_SESSION_GAP_MINUTES } from '../logs/event-source';
import { listInputFiles, type InputFile } from '../logs/input-files';
import type { LogFormat, ReaderOptions, SkippedRow } from '../logs/log-event';
import type { WorkOptions } from '../progress';
import { DATASET_FILES, type VariantCounts } from './dataset-writer';
import { hashFilesInBackground, InlineFileHashes, INLINE_HASH_BYTES } from './file-hashes';
import type { FlatTables } from './flatten-engine';
import { checkShard, shardCheck, shardPlan, startShardWorker, type ShardWorker } from './flatten-shard';
import { DATASET_FORMAT_VERSION, DATASET_KIND, MANIFEST_FILE, readDatasetManifest, type DatasetManifest, type SourceFile } from './manifest';
import { checkOutputFolder, discardStagingFolder, makeStagingFolder, publishStagingFolder } from './output-folder';
import { MAIN } from './session-table';
import { checkSplitRatios, DEFAULT_SPLIT } from './split';
import { flattenIntoFolders, type DatasetRowsPlan, type VariantsJob } from './variant-folders';
import { parseVariants } from './variants';

export const GENERATOR = 'secml-lab flatten 1';

export interface FlattenOptions {
  /** Reader options; the format is detected from content when omitted. */
  reader?: Partial<ReaderOptions>;
  /** Variant specs (default: ["full"]). */
  variants?: string[];
  /** Reuse a vocabulary (e.g. from another dataset's manifest): other event types count as `__other__`. */
  vocabulary?: string[];
  split?: [number, number, number];
  seed?: number;
  /** An attacker-only log added to training only. */
  augment?: string;
  /** Session-time features (default: on when the log has times). */
  timeFeatures?: boolean;
  /** Dataset name in manifests (default: the output folder's name). */
  name?: string;
  /** Replace an existing dataset at outDir. */
  overwrite?: boolean;
  /** 1: one thread; 2: a second thread writes part of the variants; default: two for several variants over 128 MB of input (see flatten-shard). */
  threads?: number;
}

export interface VariantSummary extends VariantCounts {
  name: string;
  spec: string;
  dir: string;
}

export interface FlattenSummary {
  outDir: string;
  name: string;
  format: LogFormat;
  files: number;
  events: number;
  sessions: number;
  positives: number;
  unlabelled: number;
  vocabulary: number;
  features: string[];
  timeFeatures: boolean;
  skipped: { count: number; first: SkippedRow[] };
  unseen: Record<string, number>;
  /** Sessions whose events were not in time order in the input. */
  reordered: number;
  augment: null | { sessions: number; events: number; droppedOverlapping: number };
  variants: VariantSummary[];
  elapsedMs: number;
  eventsPerSecond: number;
  /** Bytes of per-session state held by the engine at the end. */
  stateBytes: number;
}

/** The reader options for inputs, detecting the format from the first input when not given. */
export async function resolveReaderOptions(inputs: string[], reader: Partial<ReaderOptions> = {}): Promise<ReaderOptions> {
  const format = reader.format ?? (await detectFormat(inputs[0]));
  const out: ReaderOptions = { format, strict: Boolean(reader.strict) };
  if (format === 'csv') {
    if (!reader.columns?.session || !reader.columns.event) {
      throw new SecmlError('BAD_ARGUMENT', `${inputs[0]} is a CSV/TSV log: say which columns hold the session and the event (--session COL --event COL, optionally --time and --label)`);
    }
    out.columns = { ...reader.columns };
    if (reader.sessionGapMinutes !== undefined) out.sessionGapMinutes = reader.sessionGapMinutes;
  }
  if (format === 'cloudtrail') out.sessionGapMinutes = reader.sessionGapMinutes ?? DEFAULT_SESSION_GAP_MINUTES;
  if (out.sessionGapMinutes !== undefined && !(out.sessionGapMinutes > 0)) throw new SecmlError('BAD_ARGUMENT', `The session gap must be above 0 minutes, got ${out.sessionGapMinutes}`);
  return out;
}

/** Reads the vocabulary of an existing dataset (for `--vocab`). */
export async function vocabularyFromManifest(manifestOrDir: string): Promise<string[]> {
  return (await readDatasetManifest(manifestOrDir)).vocabulary;
}

export async function flattenToDataset(inputs: string[], outDir: string, options: FlattenOptions = {}, work: WorkOptions = {}): Promise<FlattenSummary> {
  const started = Date.now();
  const out = path.resolve(outDir);
  const variants = parseVariants(options.variants ?? []);
  const ratios = checkSplitRatios(options.split ?? [...DEFAULT_SPLIT]);
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) throw new SecmlError('BAD_ARGUMENT', `The seed must be a whole number, got ${seed}`);
  await checkOutputFolder(out, Boolean(options.overwrite));
  const reader = await resolveReaderOptions(inputs, options.reader);
  const files = await listInputFiles(inputs, reader.format);
  const augmentFiles = options.augment ? await listInputFiles([options.augment], reader.format) : [];
  const inputPaths = new Set(files.map((f) => f.path));
  for (const f of augmentFiles) {
    if (inputPaths.has(f.path)) throw new SecmlError('BAD_ARGUMENT', `${f.path} is both an input and the augmentation file: augmentation must be a separate file`);
  }
  const allFiles = [...files, ...augmentFiles];
  const inputBytes = allFiles.reduce((a, f) => a + f.size, 0);
  const inline = inputBytes <= INLINE_HASH_BYTES ? new InlineFileHashes() : undefined;
  const hashing = inline ? undefined : hashFilesInBackground(allFiles.map((f) => f.path));
  // With several variants over a large input, a second thread writes part of them (see flatten-shard).
  const toWorker = new Set(shardPlan(variants, reader, inputBytes, options.threads));
  const nested = variants.length > 1;
  const name = options.name ?? path.basename(out);
  const stage = await makeStagingFolder(out);
  const job: VariantsJob = { files, augmentFiles, reader, variants, vocabulary: options.vocabulary, timeFeatures: options.timeFeatures, seed, ratios };
  let shard: ShardWorker | undefined;
  if (toWorker.size) {
    try {
      shard = startShardWorker({ ...job, variants: variants.filter((_, i) => toWorker.has(i)), stage }, work.signal);
    } catch (e) {
      // No second thread (its bundle missing, or the system refuses a thread): one thread does all the variants.
      work.logger?.warn(`Flattening on one thread: the second thread did not start (${(e as Error).message})`);
      toWorker.clear();
    }
  }
  let tables: FlatTables;
  let plan: DatasetRowsPlan;
  const summaries: VariantSummary[] = [];
  try {
    const mine = await flattenIntoFolders({ ...job, variants: variants.filter((_, i) => !toWorker.has(i)) }, stage, nested, work, inline?.update);
    tables = mine.tables;
    plan = mine.plan;
    const mainCounts = mine.counts;
    if (shard) work.onProgress?.({ message: 'Waiting for the second thread to write its variants...' });
    const shardResult = await shard?.result;
    if (shardResult) checkShard(shardCheck(tables), shardResult.check);
    const hashes = inline ? await inline.digests(allFiles) : await hashing!.result;
    const source = (f: InputFile): SourceFile => ({ path: f.path, size: f.size, sha256: hashes.get(f.path) ?? '' });
    const sourceFiles = files.map(source);
    const augmentSources = augmentFiles.map(source);
    let m = 0;
    let w = 0;
    for (let i = 0; i < variants.length; i++) {
      const v = variants[i];
      const counts = toWorker.has(i) ? shardResult!.counts[w++] : mainCounts[m++];
      const rel = nested ? v.name : '';
      const manifest = buildManifest({ name, variant: v, reader, sources: sourceFiles, tables, counts, ratios, seed, augment: augmentSources, augmentSessions: plan.augmentSessions, augmentEvents: plan.augmentEvents, dropped: plan.dropped });
      await writeJsonAtomic(path.join(stage, rel, MANIFEST_FILE), manifest);
      summaries.push({ name: v.name, spec: v.spec, dir: path.join(out, rel), ...counts });
    }
    await publishStagingFolder(stage, out);
  } catch (e) {
    hashing?.cancel();
    await shard?.stop();
    await discardStagingFolder(stage);
    throw e;
  }
  const mainSessions = plan.mainSessions;
  const elapsedMs = Date.now() - started;
  const mainTally = summarizeMain(tables, mainSessions);
  return {
    outDir: out,
    name,
    format: reader.format,
    files: files.length,
    events: tables.events[MAIN],
    sessions: mainSessions.length,
    positives: mainTally.positives,
    unlabelled: mainTally.unlabelled,
    vocabulary: tables.vocabulary.length,
    features: tables.features,
    timeFeatures: tables.timeFeatures,
    skipped: tables.skipped.summary(),
    unseen: tables.unseen,
    reordered: tables.reordered,
    augment: augmentFiles.length ? { sessions: plan.augmentSessions, events: plan.augmentEvents, droppedOverlapping: plan.dropped } : null,
    variants: summaries,
    elapsedMs,
    eventsPerSecond: Math.round((tables.events[0] + tables.events[1]) / Math.max(0.001, elapsedMs / 1000)),
    stateBytes: tables.stateBytes,
  };
}

function summarizeMain(tables: FlatTables, main: number[]): { positives: number; unlabelled: number } {
  let positives = 0;
  let unlabelled = 0;
  for (const s of main) {
    if (tables.sessions.label[s] === 1) positives++;
    else if (tables.sessions.label[s] < 0) unlabelled++;
  }
  return { positives, unlabelled };
}

function buildManifest(a: {
  name: string;
  variant: { name: string; spec: string };
  reader: ReaderOptions;
  sources: SourceFile[];
  tables: FlatTables;
  counts: VariantCounts;
  ratios: [number, number, number];
  seed: number;
  augment: SourceFile[];
  augmentSessions: number;
  augmentEvents: number;
  dropped: number;
}): DatasetManifest {
  const { tables, counts } = a;
  const labels = counts.unlabelled === 0 ? 'all' : counts.unlabelled === counts.sessions ? 'none' : 'partial';
  const augment = a.augment.length
    ? { ...(a.augment.length === 1 ? a.augment[0] : { path: a.augment.map((f) => f.path).join(path.delimiter), size: a.augment.reduce((x, f) => x + f.size, 0), sha256: a.augment.map((f) => f.sha256).join(',') }), sessions: a.augmentSessions, events: a.augmentEvents, droppedOverlapping: a.dropped }
    : null;
  return {
    kind: DATASET_KIND,
    formatVersion: DATASET_FORMAT_VERSION,
    name: a.name,
    variant: { name: a.variant.name, spec: a.variant.spec },
    createdAt: new Date().toISOString(),
    generator: GENERATOR,
    sources: a.sources,
    augment,
    reader: a.reader,
    vocabulary: tables.vocabulary,
    features: tables.features,
    timeFeatures: tables.timeFeatures,
    split: { ratios: a.ratios, seed: a.seed },
    labels,
    counts: {
      events: tables.events[MAIN],
      sessions: counts.sessions,
      positives: counts.positives,
      unlabelled: counts.unlabelled,
      skippedRows: tables.skipped.count,
      unseenEventTypes: Object.keys(tables.unseen).length,
      keptEvents: counts.keptEvents,
      splits: counts.splits,
    },
    skipped: tables.skipped.first.slice(),
    files: { ...DATASET_FILES },
  };
}

