/**
 * One variant's per-session state while the input streams by: event counts per slot and, when the log has times,
 * the time statistics of the kept events (first, last, largest gap). Events are offered in each session's time order
 * with their position `pos` (0-based) and, on the second pass, the session's length `n`; the variant decides whether
 * to keep each one. State per session is bounded: counts, four numbers, and for `drop` a generator state.
 */
import { CountMatrix } from './count-matrix';
import { hashString, nextState, outputOf } from './seeded-random';
import { needsSessionLength, type VariantSpec } from './variants';

/** Numbers per session in `state`: events kept, then (with times) the first and last kept event's time and the largest gap. */
const STATE = 4;

export class VariantAccumulator {
  readonly counts: CountMatrix;
  /**
   * Per session, side by side (an event touches one cache line of it, not four; the counts are another): events
   * kept, first time, last time, largest gap (keptOf, firstTime, lastTime, maxGap).
   */
  state: Float64Array;
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
    this.state = new Float64Array(rows * STATE);
    if (this.kind === 4) this.rng = new Uint32Array(rows);
  }

  get bytes(): number {
    return this.counts.bytes + this.state.byteLength + (this.rng?.byteLength ?? 0);
  }

  /** Sessions there is room for. */
  get rows(): number {
    return this.state.length / STATE;
  }

  /** Events kept of session s. */
  keptOf(s: number): number {
    return this.state[s * STATE];
  }

  /** Whether the variant tracks times (then timesOf has them). */
  get hasTimes(): boolean {
    return this.withTimes;
  }

  /** The first and last kept event's time of session s, and the largest gap between its kept events. */
  firstTime(s: number): number {
    return this.state[s * STATE + 1];
  }

  lastTime(s: number): number {
    return this.state[s * STATE + 2];
  }

  maxGap(s: number): number {
    return this.state[s * STATE + 3];
  }

  ensureRows(rows: number): void {
    if (rows <= this.rows) return;
    this.counts.ensureRows(rows);
    const cap = this.counts.rows;
    const state = new Float64Array(cap * STATE);
    state.set(this.state);
    this.state = state;
    if (this.rng) {
      const rng = new Uint32Array(cap);
      rng.set(this.rng);
      this.rng = rng;
    }
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
        const need = want - this.state[s * STATE];
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
    const st = this.state;
    const b = s * STATE;
    const k = st[b]++;
    if (!this.withTimes) return;
    if (k === 0) {
      st[b + 1] = time;
    } else {
      const gap = time - st[b + 2];
      if (gap > st[b + 3]) st[b + 3] = gap;
    }
    st[b + 2] = time;
  }

  /** Forgets a session's state (before replaying it in sorted order). */
  reset(s: number): void {
    this.counts.clearRow(s);
    this.state.fill(0, s * STATE, (s + 1) * STATE);
    if (this.rng) this.rng[s] = 0;
  }
}
