/**
 * From flattened tables to variant folders: which sessions a dataset holds and in which split (`planDatasetRows`),
 * and the four CSV files of each variant (`writeVariantFolders`). Shared by the flatten's main thread and its second
 * thread (flatten-shard), which must split and write identically.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DatasetWriter, type DatasetRows, type VariantCounts } from './dataset-writer';
import { sessionDisplayId, type FlatTables } from './flatten-engine';
import { MAIN } from './session-table';
import { assignSplits } from './split';

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
export function planDatasetRows(tables: FlatTables, ratios: [number, number, number], seed: number): DatasetRowsPlan {
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
export async function writeVariantFolders(stage: string, nested: boolean, plan: DatasetRowsPlan, signal?: AbortSignal): Promise<VariantCounts[]> {
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
