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

/** Appends a session's count columns (in column order) and commas to `row`; returns the new length. */
function putCounts(row: Uint8Array, n: number, data: Uint8Array | Uint16Array | Uint32Array, base: number, columnSlot: Int32Array): number {
  for (let c = 0; c < columnSlot.length; c++) {
    const v = data[base + columnSlot[c]];
    if (v === 0) row[n++] = 48;
    else n = putUint(row, n, v);
    row[n++] = 44;
  }
  return n;
}

/**
 * The row loop of one variant, synchronous: it fills the four writers' buffers until one would overflow and returns
 * the next session to write (the caller flushes, awaiting, then calls again). Keeping awaits out of the hot loop
 * lets it run as optimised code.
 */
class VariantRows {
  readonly counts: VariantCounts = {
    sessions: 0,
    positives: 0,
    unlabelled: 0,
    keptEvents: 0,
    splits: { train: { sessions: 0, positives: 0 }, validation: { sessions: 0, positives: 0 }, test: { sessions: 0, positives: 0 } },
  };
  private readonly row: Uint8Array;
  private readonly tf = new Float64Array(4);
  private readonly min: number;

  constructor(
    private readonly input: WriteVariantInput,
    private readonly writers: CsvBytesWriter[],
  ) {
    this.row = new Uint8Array(input.tables.features.length * 24 + 64);
    this.min = input.acc.variant.min ?? 0;
  }

  fill(from: number): number {
    const { tables, acc, splitOf } = this.input;
    const { sessions, columnSlot, timeFeatures } = tables;
    const { row, tf, writers, counts } = this;
    const data = acc.counts.data;
    const stride = acc.counts.stride;
    const sessionsOut = writers[3];
    for (let s = from; s < sessions.count; s++) {
      const group = sessions.group[s];
      if (group === AUGMENT && !this.input.augmentKept(s)) continue;
      if (sessions.events[s] < this.min) continue;
      const id = group === MAIN ? sessions.ids[s] : '';
      const split = group === AUGMENT ? TRAIN : splitOf[s];
      const out = writers[split];
      const room = row.length + 4;
      if (!out.fits(room) || (group === MAIN && !sessionsOut.fits(room + id.length * 6 + 16))) return s;
      let n = putCounts(row, 0, data, s * stride, columnSlot);
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
      out.byte(label === 1 ? 49 : 48);
      out.byte(44);
      out.bytes(row, n);
      const sc = counts.splits[SPLIT_NAMES[split]];
      sc.sessions++;
      if (label === 1) sc.positives++;
      if (group !== MAIN) continue;
      counts.sessions++;
      if (label === 1) counts.positives++;
      if (label < 0) counts.unlabelled++;
      counts.keptEvents += acc.kept[s];
      sessionsOut.cell(id);
      sessionsOut.byte(44);
      if (label >= 0) sessionsOut.byte(label === 1 ? 49 : 48);
      sessionsOut.byte(44);
      sessionsOut.bytes(row, n);
    }
    return sessions.count;
  }
}

export async function writeVariantFiles(dir: string, input: WriteVariantInput): Promise<VariantCounts> {
  const { features } = input.tables;
  await fs.mkdir(dir, { recursive: true });
  const handles = await Promise.all([DATASET_FILES.train, DATASET_FILES.validation, DATASET_FILES.test, DATASET_FILES.sessions].map((f) => fs.open(path.join(dir, f), 'w')));
  const writers = handles.map((h) => new CsvBytesWriter(h));
  try {
    const header = ['session', 'label', ...features].map(csvCell).join(',') + '\n';
    await writers[3].reserve(Buffer.byteLength(header));
    writers[3].text(header);
    const rows = new VariantRows(input, writers);
    const total = input.tables.sessions.count;
    for (let s = 0; s < total; ) {
      throwIfAborted(input.signal);
      s = rows.fill(s);
      if (s < total) await Promise.all(writers.map((w) => w.flush()));
    }
    for (const w of writers) await w.flush();
    return rows.counts;
  } finally {
    await Promise.all(handles.map((h) => h.close()));
  }
}
