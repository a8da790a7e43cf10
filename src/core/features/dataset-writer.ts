/**
 * Writes the variants of a flattened dataset, each into a folder: `train.csv`, `validation.csv`, `test.csv`
 * (SageMaker's XGBoost CSV convention: label first, no header; unknown labels written as 0) and `sessions.csv` (header
 * `session,label,<features>`, every session of the main input, label empty when unknown).
 *
 * Each row is formatted once, into sessions.csv's buffer region, and copied natively to its split file's region (see
 * OutputRegions). What does not change between variants is formatted once per dataset (see session-row-bytes: each
 * session's `id,label,` cells, and the cells of a session that variants keep whole).
 */
import * as path from 'node:path';
import { throwIfAborted } from '../progress';
import { csvCell } from '../csv-cell';
import { putNumber, putUint } from './csv-bytes';
import { timeFeatureValues } from './feature-columns';
import type { FlatTables } from './flatten-engine';
import type { SplitCounts } from './manifest';
import { OutputRegions } from './output-regions';
import { AUGMENT, MAIN } from './session-table';
import { MAX_WHOLE_ROW_BYTES, SessionLinePrefixes, WholeRows } from './session-row-bytes';
import type { SplitName } from './split';
import { SPLIT_NAMES, TRAIN } from './split';
import type { VariantAccumulator } from './variant-accumulator';

export const DATASET_FILES = { train: 'train.csv', validation: 'validation.csv', test: 'test.csv', sessions: 'sessions.csv' } as const;
const FILE_ORDER = [DATASET_FILES.train, DATASET_FILES.validation, DATASET_FILES.test, DATASET_FILES.sessions];
/** Region of sessions.csv (regions 0..2 are the splits, by split code). */
const SESSIONS = 3;

export interface VariantCounts {
  sessions: number;
  positives: number;
  unlabelled: number;
  keptEvents: number;
  splits: Record<SplitName, SplitCounts>;
}

export interface DatasetRows {
  tables: FlatTables;
  /** Split code per session (main input). */
  splitOf: Uint8Array;
  /** Whether an augmentation session is used (not overlapping the main input). */
  augmentKept: (s: number) => boolean;
}

/** "0," as a little-endian 16-bit word: one store writes a zero count and its comma. */
const ZERO_CELL = 0x2c30;
/** The output buffer's spare region: formatted rows of sessions that a variant kept whole (see WholeRows). */
const WHOLE_ROWS = 4;

/**
 * The row loop of one variant, synchronous: it fills the regions until one could overflow and returns the next
 * session to write (the caller flushes, awaiting, then calls again). Keeping awaits out of the hot loop lets it run
 * as optimised code.
 */
class VariantRows {
  /** Sessions and positives per split (train, validation, test), then main sessions, positives, unlabelled, kept events. */
  readonly tally = new Float64Array(10);
  private readonly tf = new Float64Array(4);
  private readonly min: number;

  constructor(
    private readonly input: DatasetRows,
    private readonly acc: VariantAccumulator,
    private readonly out: OutputRegions,
    private readonly prefixes: SessionLinePrefixes,
    private readonly rowRoom: number,
    private readonly whole: WholeRows,
  ) {
    this.min = acc.variant.min ?? 0;
  }

  /** Writes session s's cells at p, copied from WholeRows when the variant keeps the whole session; returns the end. */
  private cellsAt(s: number, p: number): number {
    if (this.acc.keptOf(s) !== this.input.tables.sessions.events[s]) return this.putCells(s, p);
    const { whole, out } = this;
    const mem = out.mem;
    const a = whole.at[s];
    if (a >= 0) {
      mem.copyWithin(p, a, whole.end[s]);
      return p + whole.end[s] - a;
    }
    const e = this.putCells(s, p);
    const q = out.pos[WHOLE_ROWS];
    if (whole.keep && q + e - p <= out.end[WHOLE_ROWS]) {
      mem.copyWithin(q, p, e);
      whole.at[s] = q;
      whole.end[s] = out.pos[WHOLE_ROWS] = q + e - p;
    }
    return e;
  }

  fill(from: number): number {
    const { tables, splitOf } = this.input;
    const { sessions } = tables;
    const { out, prefixes, tally, rowRoom } = this;
    const mem = out.mem;
    const pos = out.pos;
    const end = out.end;
    const pre = prefixes.bytes;
    const preAt = prefixes.at;
    for (let s = from; s < sessions.count; s++) {
      const group = sessions.group[s];
      if (group === AUGMENT && !this.input.augmentKept(s)) continue;
      if (sessions.events[s] < this.min) continue;
      const split = group === AUGMENT ? TRAIN : splitOf[s];
      let label = sessions.label[s];
      if (group === AUGMENT && label < 0) label = 1;
      if (pos[split] + rowRoom + 2 > end[split]) return s;
      if (group === MAIN && pos[SESSIONS] + rowRoom + prefixes.longest > end[SESSIONS]) return s;
      tally[split * 2]++;
      if (label === 1) tally[split * 2 + 1]++;
      if (group !== MAIN) {
        const q = pos[split];
        mem[q] = label === 1 ? 49 : 48;
        mem[q + 1] = 44;
        pos[split] = this.cellsAt(s, q + 2);
        continue;
      }
      let p = pos[SESSIONS];
      for (let k = preAt[s], stop = preAt[s + 1]; k < stop; k++) mem[p++] = pre[k];
      const cells = p;
      p = this.cellsAt(s, p);
      pos[SESSIONS] = p;
      const q = pos[split];
      mem[q] = label === 1 ? 49 : 48;
      mem[q + 1] = 44;
      mem.copyWithin(q + 2, cells, p);
      pos[split] = q + 2 + (p - cells);
      tally[6]++;
      if (label === 1) tally[7]++;
      if (label < 0) tally[8]++;
      tally[9] += this.acc.keptOf(s);
    }
    return sessions.count;
  }

  /**
   * Formats cells at the start of sessions.csv's region without keeping them (see DatasetWriter.prime): the first
   * session's, and `whole`'s the way the row loop does (formatted, or copied when another variant formatted it).
   */
  formatScratch(whole: number): void {
    this.putCells(0, this.out.pos[SESSIONS]);
    this.cellsAt(whole, this.out.pos[SESSIONS]);
  }

  /** Writes session s's feature cells and the line end at `p`; returns the new position. */
  private putCells(s: number, p: number): number {
    const { columnSlot, timeFeatures } = this.input.tables;
    const counts = this.acc.counts;
    const data = counts.data;
    const base = s * counts.stride;
    const mem = this.out.mem;
    const view = this.out.view;
    for (let c = 0; c < columnSlot.length; c++) {
      const v = data[base + columnSlot[c]];
      if (v < 10) {
        view.setUint16(p, ZERO_CELL + v, true);
        p += 2;
      } else {
        p = putUint(mem, p, v);
        mem[p++] = 44;
      }
    }
    if (timeFeatures) {
      const tf = this.tf;
      timeFeatureValues(this.acc, s, tf);
      for (let k = 0; k < 4; k++) {
        p = putNumber(mem, p, tf[k]);
        mem[p++] = 44;
      }
    }
    mem[p - 1] = 10;
    return p;
  }

  counts(): VariantCounts {
    const t = this.tally;
    const split = (k: number): SplitCounts => ({ sessions: t[k * 2], positives: t[k * 2 + 1] });
    return {
      sessions: t[6],
      positives: t[7],
      unlabelled: t[8],
      keptEvents: t[9],
      splits: { [SPLIT_NAMES[0]]: split(0), [SPLIT_NAMES[1]]: split(1), [SPLIT_NAMES[2]]: split(2) } as Record<SplitName, SplitCounts>,
    };
  }
}

/** Writes the variants of one dataset (one writer per flatten: buffers and session prefixes are shared). */
export class DatasetWriter {
  private readonly prefixes: SessionLinePrefixes;
  private readonly out: OutputRegions;
  private readonly whole: WholeRows;
  /** Bytes a row's feature cells can take: counts up to 10 digits, time features up to 24 characters, commas. */
  private readonly rowRoom: number;

  /** Writes `variants` variants (the last one keeps no copies of whole rows, and one variant needs no spare region). */
  constructor(
    private readonly input: DatasetRows,
    private variants: number,
  ) {
    const { features } = input.tables;
    this.prefixes = new SessionLinePrefixes(input.tables);
    this.rowRoom = features.length * 25 + 8;
    const header = this.header();
    const sessions = input.tables.sessions.count;
    this.out = new OutputRegions(4, 2 * (this.rowRoom + this.prefixes.longest + Buffer.byteLength(header) + 8), variants > 1 ? Math.min(MAX_WHOLE_ROW_BYTES, sessions * 128) : 0);
    this.whole = new WholeRows(sessions);
  }

  private header(): string {
    return ['session', 'label', ...this.input.tables.features].map(csvCell).join(',') + '\n';
  }

  /**
   * Formats one row of each variant into scratch space (nothing is written): the cell writer then has seen every
   * count width (1, 2 or 4 bytes a cell) and both ways to a whole row (formatted, copied) before it is optimised,
   * instead of being deoptimised by the first variant that differs from the first one.
   */
  prime(variants: VariantAccumulator[]): void {
    const { sessions } = this.input.tables;
    if (sessions.count === 0) return;
    // A one-event session is whole in every variant: the first formats it, the others copy it.
    let whole = 0;
    while (whole < sessions.count - 1 && sessions.events[whole] !== 1) whole++;
    for (const acc of variants) new VariantRows(this.input, acc, this.out, this.prefixes, this.rowRoom, this.whole).formatScratch(whole);
  }

  /** Writes one variant's four files into `dir` (which must exist). */
  async write(dir: string, acc: VariantAccumulator, signal?: AbortSignal): Promise<VariantCounts> {
    const out = this.out;
    this.whole.keep = --this.variants > 0;
    await out.open(FILE_ORDER.map((f) => path.join(dir, f)));
    try {
      out.pos[SESSIONS] += out.mem.write(this.header(), out.pos[SESSIONS], 'utf8');
      const rows = new VariantRows(this.input, acc, out, this.prefixes, this.rowRoom, this.whole);
      const total = this.input.tables.sessions.count;
      for (let s = 0; s < total; ) {
        throwIfAborted(signal);
        s = rows.fill(s);
        await out.flush();
      }
      return rows.counts();
    } finally {
      await out.close();
    }
  }
}
