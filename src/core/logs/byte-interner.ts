/**
 * Interns byte ranges (a session id, an event type) as small integer ids without allocating for values seen before:
 * an open-addressing table keyed by an FNV-1a hash of the bytes, verified against a copy of the bytes in an arena.
 * Each distinct value is decoded to a string once (`names[id]`). Memory grows with distinct values, not rows.
 */
/** 32-bit FNV-1a: h = FNV_OFFSET; for each byte, h = Math.imul(h ^ byte, FNV_PRIME). */
export const FNV_OFFSET = 0x811c9dc5 | 0;
export const FNV_PRIME = 0x01000193;

export class ByteInterner {
  readonly names: string[] = [];
  private slots: Int32Array;
  private hashes: Int32Array;
  private offsets: Int32Array;
  private lengths: Int32Array;
  private arena: Buffer;
  private used = 0;

  /** `expected`: distinct values to make room for up front (the tables grow past it). */
  constructor(expected = 512) {
    const n = Math.max(16, expected);
    this.slots = new Int32Array(2 ** Math.ceil(Math.log2(n * 2))).fill(-1);
    this.hashes = new Int32Array(n);
    this.offsets = new Int32Array(n);
    this.lengths = new Int32Array(n);
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
    const mask = slots.length - 1;
    // The probe steps at the top of the loop, so that even a lookup with no collision runs it: code optimised
    // before the first collision then has no untried operation on the path (which would deoptimise it).
    let slot = (h & mask) - 1;
    for (;;) {
      slot = (slot + 1) & mask;
      const k = slots[slot];
      if (k < 0) break;
      if (this.hashes[k] === h && this.lengths[k] === len && this.sameBytes(this.offsets[k], buf, start, len)) return k;
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
    if (k === this.hashes.length) {
      this.hashes = grow(this.hashes);
      this.offsets = grow(this.offsets);
      this.lengths = grow(this.lengths);
    }
    if (this.used + len > this.arena.length) {
      const a = Buffer.allocUnsafe(Math.max(this.arena.length * 2, this.used + len));
      this.arena.copy(a, 0, 0, this.used);
      this.arena = a;
    }
    const arena = this.arena;
    for (let i = 0; i < len; i++) arena[this.used + i] = buf[start + i];
    this.hashes[k] = h;
    this.offsets[k] = this.used;
    this.lengths[k] = len;
    this.used += len;
    this.names.push(buf.toString('utf8', start, end));
    this.slots[slot] = k;
    if (this.names.length * 2 > this.slots.length) this.rehash();
    return k;
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2).fill(-1);
    const mask = slots.length - 1;
    for (let k = 0; k < this.names.length; k++) {
      let slot = this.hashes[k] & mask;
      while (slots[slot] >= 0) slot = (slot + 1) & mask;
      slots[slot] = k;
    }
    this.slots = slots;
  }
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
