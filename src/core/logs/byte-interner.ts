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
  private slots = new Int32Array(1024).fill(-1);
  private hashes: Int32Array = new Int32Array(512);
  private offsets: Int32Array = new Int32Array(512);
  private lengths: Int32Array = new Int32Array(512);
  private arena = Buffer.allocUnsafe(8192);
  private used = 0;

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
    let slot = h & mask;
    for (;;) {
      const k = slots[slot];
      if (k < 0) break;
      if (this.hashes[k] === h && this.lengths[k] === len && this.sameBytes(this.offsets[k], buf, start, len)) return k;
      slot = (slot + 1) & mask;
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
    buf.copy(this.arena, this.used, start, end);
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
