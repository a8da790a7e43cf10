/**
 * From logs to variant folders: the flatten (`flattenSessions`), which sessions a dataset holds and in which split
 * (`planDatasetRows`), and the four CSV files of each variant (`writeVariantFolders`), in one call
 * (`flattenIntoFolders`) shared by the flatten's main thread and its second thread (flatten-shard), which must read,
 * split and write identically. Manifests are the caller's.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { EventSource } from '../logs/event-source';
import type { InputFile } from '../logs/input-files';
import type { ReaderOptions } from '../logs/log-event';
import type { WorkOptions } from '../progress';
import { DatasetWriter, type DatasetRows, type VariantCounts } from './dataset-writer';
import { flattenSessions, sessionDisplayId, type EngineOptions, type FlatTables } from './flatten-engine';
import { AUGMENT, MAIN } from './session-table';
import { assignSplits } from './split';
import type { VariantSpec } from './variants';

/** What to flatten and how: the same for both threads of a flatten, bar the variants each writes. */
export interface VariantsJob {
  files: InputFile[];
  augmentFiles: InputFile[];
  reader: ReaderOptions;
  variants: VariantSpec[];
  vocabulary?: string[];
  timeFeatures?: boolean;
  seed: number;
  ratios: [number, number, number];
}

export interface FlattenedFolders {
  tables: FlatTables;
  plan: DatasetRowsPlan;
  /** Per variant of the job, in its order. */
  counts: VariantCounts[];
}

/**
 * Flattens the job's inputs and writes its variants into `stage` (each in a sub-folder named after it when `nested`).
 * `onFileBytes` sees the raw bytes as they are read (to hash them).
 */
export async function flattenIntoFolders(job: VariantsJob, stage: string, nested: boolean, work: WorkOptions = {}, onFileBytes?: EngineOptions['onFileBytes']): Promise<FlattenedFolders> {
  const sources = [{ source: new EventSource(job.files, job.reader), group: MAIN }];
  if (job.augmentFiles.length) sources.push({ source: new EventSource(job.augmentFiles, job.reader), group: AUGMENT });
  const { variants, vocabulary, timeFeatures, seed } = job;
  const tables = await flattenSessions(sources, { variants, vocabulary, timeFeatures, seed, strict: Boolean(job.reader.strict), onFileBytes }, work);
  const plan = planDatasetRows(tables, job.ratios, seed);
  const counts = await writeVariantFolders(stage, nested, plan, work.signal);
  return { tables, plan, counts };
}

export interface DatasetRowsPlan {
  rows: DatasetRows;
  /** Main-input sessions, in input order. */
  mainSessions: number[];
  /** Augmentation sessions used (those not also in the main input), their events, and those dropped as overlapping. */
  augmentSessions: number;
  augmentEvents: number;
  dropped: number;
}

/** Main sessions and their splits (stratified, seeded); augmentation sessions that overlap the main input are dropped. */
function planDatasetRows(tables: FlatTables, ratios: [number, number, number], seed: number): DatasetRowsPlan {
  const { sessions } = tables;
  const mainSessions: number[] = [];
  let augmentSessions = 0;
  let augmentEvents = 0;
  let dropped = 0;
  const overlapping = new Uint8Array(sessions.count);
  for (let s = 0; s < sessions.count; s++) {
    if (sessions.group[s] === MAIN) mainSessions.push(s);
    else if (sessions.find(sessionDisplayId(sessions, s)) !== undefined) {
      overlapping[s] = 1;
      dropped++;
    } else {
      augmentSessions++;
      augmentEvents += sessions.events[s];
    }
  }
  const splitOf = assignSplits(mainSessions, (s) => sessions.label[s] === 1, sessions.count, ratios, seed);
  return { rows: { tables, splitOf, augmentKept: (s) => overlapping[s] === 0 }, mainSessions, augmentSessions, augmentEvents, dropped };
}

/**
 * Writes every variant of `tables` into `stage` (each in a sub-folder named after it when `nested`); returns their
 * counts in the same order. Manifests are the caller's.
 */
async function writeVariantFolders(stage: string, nested: boolean, plan: DatasetRowsPlan, signal?: AbortSignal): Promise<VariantCounts[]> {
  const { tables } = plan.rows;
  const writer = new DatasetWriter(plan.rows, tables.variants.length);
  writer.prime(tables.variants);
  const counts: VariantCounts[] = [];
  for (const acc of tables.variants) {
    const dir = nested ? path.join(stage, acc.variant.name) : stage;
    if (nested) await fs.mkdir(dir);
    counts.push(await writer.write(dir, acc, signal));
  }
  return counts;
}
