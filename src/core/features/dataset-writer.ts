/**
 * Writes one variant of a flattened dataset into a folder: `train.csv`, `validation.csv`, `test.csv` (SageMaker's
 * XGBoost CSV convention: label first, no header; unknown labels written as 0) and `sessions.csv` (header
 * `session,label,<features>`, every session of the main input, label empty when unknown). Each row is built once as
 * bytes and copied to the two files it belongs to.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { throwIfAborted } from '../progress';
import { CsvBytesWriter, csvCell, putNumber, putUint } from './csv-bytes';
import { timeFeatureValues } from './feature-columns';
import type { FlatTables } from './flatten-engine';
import { sessionDisplayId } from './flatten-engine';
import type { SplitCounts } from './manifest';
import type { SplitName } from './split';
import { AUGMENT, MAIN } from './session-table';
import { SPLIT_NAMES, TRAIN } from './split';
import type { VariantAccumulator } from './variant-accumulator';

export const DATASET_FILES = { train: 'train.csv', validation: 'validation.csv', test: 'test.csv', sessions: 'sessions.csv' } as const;

export interface VariantCounts {
  sessions: number;
  positives: number;
  unlabelled: number;
  keptEvents: number;
  splits: Record<SplitName, SplitCounts>;
}

export interface WriteVariantInput {
  tables: FlatTables;
  acc: VariantAccumulator;
  /** Split code per session (main input). */
  splitOf: Uint8Array;
  /** Whether an augmentation session is used (not overlapping the main input). */
  augmentKept: (s: number) => boolean;
  signal?: AbortSignal;
}

export async function writeVariantFiles(dir: string, input: WriteVariantInput): Promise<VariantCounts> {
  const { tables, acc, splitOf } = input;
  const { sessions, columnSlot, timeFeatures, features } = tables;
  const min = acc.variant.min ?? 0;
  await fs.mkdir(dir, { recursive: true });
  const handles = await Promise.all([DATASET_FILES.train, DATASET_FILES.validation, DATASET_FILES.test, DATASET_FILES.sessions].map((f) => fs.open(path.join(dir, f), 'w')));
  const writers = handles.map((h) => new CsvBytesWriter(h));
  const sessionsOut = writers[3];
  const counts: VariantCounts = {
    sessions: 0,
    positives: 0,
    unlabelled: 0,
    keptEvents: 0,
    splits: { train: { sessions: 0, positives: 0 }, validation: { sessions: 0, positives: 0 }, test: { sessions: 0, positives: 0 } },
  };
  try {
    const header = ['session', 'label', ...features].map(csvCell).join(',') + '\n';
    await sessionsOut.reserve(Buffer.byteLength(header));
    sessionsOut.text(header);
    const nCounts = columnSlot.length;
    const row = new Uint8Array(features.length * 24 + 64);
    const tf = new Float64Array(4);
    const counts32 = new Uint32Array(acc.counts.stride);
    for (let s = 0; s < sessions.count; s++) {
      if ((s & 4095) === 0) throwIfAborted(input.signal);
      const group = sessions.group[s];
      if (group === AUGMENT && !input.augmentKept(s)) continue;
      if (sessions.events[s] < min) continue;
      // Features, once.
      acc.counts.copyRow(s, counts32);
      let n = 0;
      for (let c = 0; c < nCounts; c++) {
        const v = counts32[columnSlot[c]];
        if (v === 0) row[n++] = 48;
        else n = putUint(row, n, v);
        row[n++] = 44;
      }
      if (timeFeatures) {
        timeFeatureValues(acc, s, tf);
        for (let k = 0; k < 4; k++) {
          n = putNumber(row, n, tf[k]);
          row[n++] = 44;
        }
      }
      row[n - 1] = 10;
      let label = sessions.label[s];
      if (group === AUGMENT && label < 0) label = 1;
      const split = group === AUGMENT ? TRAIN : splitOf[s];
      const out = writers[split];
      if (!out.fits(n + 2)) await out.reserve(n + 2);
      out.byte(label === 1 ? 49 : 48);
      out.byte(44);
      out.bytes(row, 0, n);
      const sc = counts.splits[SPLIT_NAMES[split]];
      sc.sessions++;
      if (label === 1) sc.positives++;
      if (group !== MAIN) continue;
      counts.sessions++;
      if (label === 1) counts.positives++;
      if (label < 0) counts.unlabelled++;
      counts.keptEvents += acc.kept[s];
      const id = sessionDisplayId(sessions, s);
      if (!sessionsOut.fits(id.length * 6 + n + 16)) await sessionsOut.reserve(id.length * 6 + n + 16);
      sessionsOut.cell(id);
      sessionsOut.byte(44);
      if (label >= 0) sessionsOut.byte(label === 1 ? 49 : 48);
      sessionsOut.byte(44);
      sessionsOut.bytes(row, 0, n);
    }
    for (const w of writers) await w.flush();
  } finally {
    await Promise.all(handles.map((h) => h.close()));
  }
  return counts;
}
