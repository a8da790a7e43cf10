/**
 * Fast CSV output: rows are built as bytes in a 1 MB buffer and written to a file handle in large writes. Numbers
 * are formatted without intermediate strings; text cells (session ids, column names from the log) are quoted per
 * RFC 4180 and, when they start like a spreadsheet formula, prefixed with an apostrophe so that opening
 * sessions.csv in a spreadsheet never runs attacker-written formulas.
 */
import type { FileHandle } from 'node:fs/promises';

const CAPACITY = 1 << 20;

export class CsvBytesWriter {
  private buf = Buffer.allocUnsafe(CAPACITY);
  private pos = 0;
  bytesWritten = 0;

  constructor(private readonly fh: FileHandle) {}

  /** True when `n` more bytes fit without flushing (check this before awaiting `reserve`: awaits cost). */
  fits(n: number): boolean {
    return this.pos + n <= this.buf.length;
  }

  /** Room for `n` more bytes (flushes when the buffer would overflow). */
  async reserve(n: number): Promise<void> {
    if (this.pos + n <= this.buf.length) return;
    await this.flush();
    if (n > this.buf.length) this.buf = Buffer.allocUnsafe(n);
  }

  async flush(): Promise<void> {
    if (this.pos === 0) return;
    let off = 0;
    while (off < this.pos) {
      const { bytesWritten } = await this.fh.write(this.buf, off, this.pos - off);
      off += bytesWritten;
    }
    this.bytesWritten += this.pos;
    this.pos = 0;
  }

  byte(c: number): void {
    this.buf[this.pos++] = c;
  }

  /** Copies the first `n` bytes of a row built elsewhere (a row shared by two files). */
  bytes(src: Uint8Array, n: number): void {
    const buf = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) buf[p++] = src[i];
    this.pos = p;
  }

  /** Text already in CSV form (a header line). Reserve its UTF-8 length first. */
  text(s: string): void {
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  /** A text cell from the log: quoted when needed, formula-safe. Reserve 6 * length + 4 bytes first. */
  cell(s: string): void {
    if (isPlainAscii(s)) {
      const buf = this.buf;
      let p = this.pos;
      for (let i = 0; i < s.length; i++) buf[p++] = s.charCodeAt(i);
      this.pos = p;
    } else this.pos += this.buf.write(csvCell(s), this.pos, 'utf8');
  }
}

/** ASCII without quotes, commas, control characters or a leading formula character: written as is. */
function isPlainAscii(s: string): boolean {
  if (s.length === 0) return true;
  const c0 = s.charCodeAt(0);
  if (c0 === 61 || c0 === 43 || c0 === 45 || c0 === 64) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126 || c === 34 || c === 44) return false;
  }
  return true;
}

/** A text cell per RFC 4180, neutralised when a spreadsheet would read it as a formula. */
export function csvCell(s: string): string {
  let v = s;
  const c = v.charCodeAt(0);
  if ((c === 61 || c === 43 || c === 45 || c === 64 || c === 9 || c === 13) && !/^[-+]?\d+(\.\d+)?$/.test(v)) v = "'" + v;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes a non-negative integer's digits into `out` at `at`; returns the new position. */
export function putUint(out: Uint8Array, at: number, v: number): number {
  if (v < 10) {
    out[at] = 48 + v;
    return at + 1;
  }
  let digits = 1;
  for (let x = v; x >= 10; x = Math.floor(x / 10)) digits++;
  let p = at + digits;
  for (let x = v; p > at; x = Math.floor(x / 10)) out[--p] = 48 + (x % 10);
  return at + digits;
}

/** A feature value with at most 3 decimals, shortest form (`12.5`, `0.333`, `7`); negatives and huge values via String. */
export function putNumber(out: Uint8Array, at: number, v: number): number {
  if (!(v >= 0 && v < 1e15)) {
    const s = String(!Number.isFinite(v) ? 0 : Math.abs(v) >= 1e15 ? Math.round(v) : Math.round(v * 1000) / 1000);
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
    return at + s.length;
  }
  const milli = Math.round(v * 1000);
  const whole = Math.floor(milli / 1000);
  let frac = milli - whole * 1000;
  at = putUint(out, at, whole);
  if (frac === 0) return at;
  out[at++] = 46;
  let div = 100;
  while (frac > 0) {
    const digit = Math.floor(frac / div);
    out[at++] = 48 + digit;
    frac -= digit * div;
    div /= 10;
  }
  return at;
}
