/**
 * A reusable byte buffer that session-log rows are assembled in without allocating per row (the generator
 * writes millions of rows; strings per row made garbage collection the main cost). All content is ASCII.
 */
import { formatLogTime } from './log-time';

const ZERO = 48;
const COLON = 58;
const DOT = 46;

export class RowBuffer {
  readonly bytes: Buffer;
  length = 0;
  private day = Number.NaN;
  /** `YYYY-MM-DD ` of the cached UTC day. */
  private dayBytes = new Uint8Array(11);

  constructor(private readonly capacity = 1 << 20) {
    this.bytes = Buffer.allocUnsafe(capacity);
  }

  /** True when another row might not fit. */
  get nearlyFull(): boolean {
    return this.length > this.capacity - 1024;
  }

  putText(text: string): void {
    this.length += this.bytes.write(text, this.length, 'latin1');
  }

  putBytes(b: Uint8Array): void {
    const out = this.bytes;
    let p = this.length;
    for (let i = 0; i < b.length; i++) out[p++] = b[i];
    this.length = p;
  }

  /** LogTime for `ms` (`YYYY-MM-DD HH:MM:SS.mmm`, UTC): the date part is cached, the clock digits computed. */
  putTime(ms: number): void {
    const day = Math.floor(ms / 86_400_000);
    if (day !== this.day) {
      this.day = day;
      this.dayBytes = Buffer.from(formatLogTime(day * 86_400_000).slice(0, 11), 'latin1');
    }
    this.putBytes(this.dayBytes);
    let rest = ms - day * 86_400_000;
    const hours = Math.floor(rest / 3_600_000);
    rest -= hours * 3_600_000;
    const minutes = Math.floor(rest / 60_000);
    rest -= minutes * 60_000;
    const seconds = Math.floor(rest / 1000);
    const millis = rest - seconds * 1000;
    const out = this.bytes;
    let p = this.length;
    out[p++] = ZERO + Math.floor(hours / 10);
    out[p++] = ZERO + (hours % 10);
    out[p++] = COLON;
    out[p++] = ZERO + Math.floor(minutes / 10);
    out[p++] = ZERO + (minutes % 10);
    out[p++] = COLON;
    out[p++] = ZERO + Math.floor(seconds / 10);
    out[p++] = ZERO + (seconds % 10);
    out[p++] = DOT;
    out[p++] = ZERO + Math.floor(millis / 100);
    out[p++] = ZERO + (Math.floor(millis / 10) % 10);
    out[p++] = ZERO + (millis % 10);
    this.length = p;
  }

  /** A non-negative integer in decimal. */
  putInt(n: number): void {
    if (n < 10) {
      this.bytes[this.length++] = ZERO + n;
      return;
    }
    this.putText(String(n));
  }

  /** Three-digit action codes without allocating. */
  putCode(code: number): void {
    if (code < 100 || code > 999) return this.putInt(code);
    const out = this.bytes;
    out[this.length++] = ZERO + Math.floor(code / 100);
    out[this.length++] = ZERO + (Math.floor(code / 10) % 10);
    out[this.length++] = ZERO + (code % 10);
  }

  clear(): void {
    this.length = 0;
  }
}
