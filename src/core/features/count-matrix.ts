/**
 * Per-session event counts, dense: `rows x stride` cells, where a row is a session and a slot an event type. The
 * cell width adapts: 1 byte when a variant keeps at most 255 events, else 2 bytes, widened to 4 on overflow. Both
 * dimensions grow as sessions and event types appear.
 */
import { SecmlError } from '../errors';

type Cells = Uint8Array | Uint16Array | Uint32Array;

/** Refuse tables that could not fit in memory rather than crash the process. */
const MAX_CELLS = 1_500_000_000;

export class CountMatrix {
  data: Cells;
  stride: number;
  rows: number;
  private max: number;

  constructor(maxPerCell: number, stride: number, rows: number) {
    this.stride = stride;
    this.rows = rows;
    this.data = maxPerCell <= 255 ? new Uint8Array(stride * rows) : new Uint16Array(stride * rows);
    this.max = maxPerCell <= 255 ? 255 : 65535;
  }

  get bytes(): number {
    return this.data.byteLength;
  }

  inc(row: number, slot: number): void {
    const k = row * this.stride + slot;
    const v = this.data[k];
    if (v === this.max) this.widen();
    this.data[k] = v + 1;
  }

  get(row: number, slot: number): number {
    return this.data[row * this.stride + slot];
  }

  /** Copies a row into `out` (one native copy; callers then read a monomorphic array). */
  copyRow(row: number, out: Uint32Array): void {
    out.set(this.data.subarray(row * this.stride, (row + 1) * this.stride));
  }

  clearRow(row: number): void {
    this.data.fill(0, row * this.stride, (row + 1) * this.stride);
  }

  private widen(): void {
    const wide = new Uint32Array(this.data.length);
    wide.set(this.data);
    this.data = wide;
    this.max = 0xffffffff;
  }

  private alloc(n: number): Cells {
    if (n > MAX_CELLS) {
      throw new SecmlError('BAD_ARGUMENT', `The feature table would need ${n} cells (sessions x event types), too many for memory: check that the session and event columns are the right ones, or flatten fewer files at once.`);
    }
    return new (this.data.constructor as new (n: number) => Cells)(n);
  }

  /** Makes room for at least `rows` rows (capacity grows geometrically). */
  ensureRows(rows: number): void {
    if (rows <= this.rows) return;
    const next = Math.max(rows, Math.ceil(this.rows * 1.5), 1024);
    const d = this.alloc(next * this.stride);
    d.set(this.data);
    this.data = d;
    this.rows = next;
  }

  /** Makes room for at least `slots` slots per row (re-lays out the first `used` rows; the others are all zeros). */
  ensureStride(slots: number, used: number): void {
    if (slots <= this.stride) return;
    const next = Math.max(slots, this.stride + Math.max(4, this.stride >> 2));
    const d = this.alloc(next * this.rows);
    const old = this.data;
    const s = this.stride;
    for (let r = 0; r < used; r++) d.set(old.subarray(r * s, (r + 1) * s), r * next);
    this.data = d;
    this.stride = next;
  }
}
