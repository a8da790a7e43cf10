/**
 * Interns byte ranges (a session id, an event type) as small integer ids without allocating for values seen before:
 * an open-addressing table keyed by an FNV-1a hash of the bytes, verified against a copy of the bytes in an arena.
 * Each distinct value is decoded to a string once (`names[id]`). Memory grows with distinct values, not rows.
 *
 * Layout, for few cache misses a lookup: each slot holds (id, hash) side by side, so a probe that does not match is
 * rejected without touching the id's other data; an id's (arena offset, length) are side by side too.
 */
/** 32-bit FNV-1a: h = FNV_OFFSET; for each byte, h = Math.imul(h ^ byte, FNV_PRIME). */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

export class ByteInterner {
  readonly names: string[] = [];
  /** Per slot: id (-1: empty), then the id's hash. */
  private slots: Int32Array;
  /** Per id: arena offset, then length. */
  private spans: Int32Array;
  private arena: Buffer;
  private used = 0;

  /** `expected`: distinct values to make room for up front (the tables grow past it). */
  constructor(expected = 512) {
    const n = Math.max(16, expected);
    this.slots = new Int32Array(2 * 2 ** Math.ceil(Math.log2(n * 2))).fill(-1);
    this.spans = new Int32Array(2 * n);
    this.arena = Buffer.allocUnsafe(n * 16);
  }

  get size(): number {
    return this.names.length;
  }

  intern(buf: Buffer, start: number, end: number): number {
    let h = FNV_OFFSET;
    for (let i = start; i < end; i++) h = Math.imul(h ^ buf[i], FNV_PRIME);
    return this.internHashed(buf, start, end, h);
  }

  /** `intern` for a caller that computed `h` (FNV-1a of the bytes, as `intern` does) while scanning them. */
  internHashed(buf: Buffer, start: number, end: number, h: number): number {
    const len = end - start;
    const slots = this.slots;
    const mask = (slots.length >> 1) - 1;
    // The probe steps at the top of the loop, so that even a lookup with no collision runs it: code optimised
    // before the first collision then has no untried operation on the path (which would deoptimise it).
    let slot = (h & mask) - 1;
    for (;;) {
      slot = (slot + 1) & mask;
      const k = slots[2 * slot];
      if (k < 0) break;
      if (slots[2 * slot + 1] === h && this.spans[2 * k + 1] === len && this.sameBytes(this.spans[2 * k], buf, start, len)) return k;
    }
    return this.insert(buf, start, end, h, slot);
  }

  private sameBytes(at: number, buf: Buffer, start: number, len: number): boolean {
    const a = this.arena;
    for (let i = 0; i < len; i++) if (a[at + i] !== buf[start + i]) return false;
    return true;
  }

  private insert(buf: Buffer, start: number, end: number, h: number, slot: number): number {
    const len = end - start;
    const k = this.names.length;
    if (2 * k === this.spans.length) {
      const spans = new Int32Array(this.spans.length * 2);
      spans.set(this.spans);
      this.spans = spans;
    }
    if (this.used + len > this.arena.length) {
      const a = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + len));
      this.arena.copy(a, 0, 0, this.used);
      this.arena = a;
    }
    const arena = this.arena;
    for (let i = 0; i < len; i++) arena[this.used + i] = buf[start + i];
    this.spans[2 * k] = this.used;
    this.spans[2 * k + 1] = len;
    this.used += len;
    this.names.push(buf.toString('utf8', start, end));
    this.slots[2 * slot] = k;
    this.slots[2 * slot + 1] = h;
    if (this.names.length * 4 > this.slots.length) this.rehash();
    return k;
  }

  /** Doubles the slots (at half full), re-placing every id by its stored hash. */
  private rehash(): void {
    const old = this.slots;
    const slots = new Int32Array(old.length * 2).fill(-1);
    const mask = (slots.length >> 1) - 1;
    for (let j = 0; j < old.length; j += 2) {
      const k = old[j];
      if (k < 0) continue;
      const h = old[j + 1];
      let slot = h & mask;
      while (slots[2 * slot] >= 0) slot = (slot + 1) & mask;
      slots[2 * slot] = k;
      slots[2 * slot + 1] = h;
    }
    this.slots = slots;
  }
}
