/**
 * One variant's per-session state while the input streams by: event counts per slot and, when the log has times,
 * the time statistics of the kept events (first, last, largest gap). Events are offered in each session's time order
 * with their position `pos` (0-based) and, on the second pass, the session's length `n`; the variant decides whether
 * to keep each one. State per session is bounded: counts, four numbers, and for `drop` a generator state.
 */
import { CountMatrix } from './count-matrix';
import { hashString, nextState, outputOf } from './seeded-random';
import { needsSessionLength, type VariantSpec } from './variants';

export class VariantAccumulator {
  readonly counts: CountMatrix;
  /** Events kept per session. */
  kept: Int32Array;
  first: Float64Array;
  last: Float64Array;
  maxGap: Float64Array;
  /** drop: generator state per session (0 = not started). */
  private rng: Uint32Array | undefined;
  readonly secondPass: boolean;
  private readonly kind: number;
  private readonly n: number;
  private readonly p: number;

  constructor(
    readonly variant: VariantSpec,
    stride: number,
    rows: number,
    private readonly withTimes: boolean,
    private readonly seed: number,
  ) {
    const t = variant.take;
    this.kind = t.kind === 'full' ? 0 : t.kind === 'first' ? 1 : t.kind === 'last' ? 2 : t.kind === 'middle' ? 3 : 4;
    this.n = 'n' in t ? t.n : 0;
    this.p = t.kind === 'drop' ? t.p : 0;
    this.secondPass = needsSessionLength(t);
    this.counts = new CountMatrix(this.n > 0 ? this.n : Infinity, stride, rows);
    this.kept = new Int32Array(rows);
    this.first = new Float64Array(withTimes ? rows : 0);
    this.last = new Float64Array(withTimes ? rows : 0);
    this.maxGap = new Float64Array(withTimes ? rows : 0);
    if (this.kind === 4) this.rng = new Uint32Array(rows);
  }

  get bytes(): number {
    return this.counts.bytes + this.kept.byteLength + this.first.byteLength * 3 + (this.rng?.byteLength ?? 0);
  }

  ensureRows(rows: number): void {
    if (rows <= this.kept.length) return;
    this.counts.ensureRows(rows);
    const cap = this.counts.rows;
    const g = <T extends Int32Array | Float64Array | Uint32Array>(a: T, n: number): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.kept = g(this.kept, cap);
    if (this.withTimes) {
      this.first = g(this.first, cap);
      this.last = g(this.last, cap);
      this.maxGap = g(this.maxGap, cap);
    }
    if (this.rng) this.rng = g(this.rng, cap);
  }

  /** Whether the event at `pos` of a session of `n` events is kept (n is known on the second pass only). */
  keeps(s: number, id: string, pos: number, n: number): boolean {
    switch (this.kind) {
      case 0:
        return true;
      case 1:
        return pos < this.n;
      case 2:
        return pos >= n - this.n;
      case 3: {
        const start = n > this.n ? (n - this.n) >> 1 : 0;
        return pos >= start && pos < start + this.n;
      }
      default: {
        // Selection sampling (Knuth's algorithm S): exactly `want` of the n events, each subset equally likely.
        const want = Math.max(1, Math.round((1 - this.p) * n));
        const need = want - this.kept[s];
        if (need <= 0) return false;
        let state = this.rng![s];
        if (pos === 0 || state === 0) state = hashString(id, this.seed) || 1;
        state = nextState(state) || 1;
        this.rng![s] = state;
        return (outputOf(state) / 4294967296) * (n - pos) < need;
      }
    }
  }

  add(s: number, slot: number, time: number): void {
    this.counts.inc(s, slot);
    const k = this.kept[s]++;
    if (!this.withTimes) return;
    if (k === 0) {
      this.first[s] = time;
    } else {
      const gap = time - this.last[s];
      if (gap > this.maxGap[s]) this.maxGap[s] = gap;
    }
    this.last[s] = time;
  }

  /** Forgets a session's state (before replaying it in sorted order). */
  reset(s: number): void {
    this.counts.clearRow(s);
    this.kept[s] = 0;
    if (this.withTimes) {
      this.first[s] = 0;
      this.last[s] = 0;
      this.maxGap[s] = 0;
    }
    if (this.rng) this.rng[s] = 0;
  }
}
