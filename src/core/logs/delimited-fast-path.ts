/**
 * The delimited reader's fast path: lines in the common shape (the layout's number of fields, no quote, a non-empty
 * session and event, a time that parses, a `0`/`1`/absent label, "\n" or "\r\n" endings) are consumed with every byte
 * looked at once: the session id and event type are hashed while they are scanned (then interned without hashing
 * again), and a time in the usual `YYYY-MM-DD HH:MM:SS[.fff]` shape is parsed in place instead of being scanned first.
 *
 * Any other line stops the fast path at its start, and the general path (delimited-reader) handles it, with the
 * error messages, quoting and edge cases. A line the fast path accepts gives exactly the row the general path would.
 */
import { FNV_OFFSET, FNV_PRIME } from './byte-interner';
import type { DelimitedLayout } from './delimited-reader';
import { BATCH_SIZE, type EventBatch } from './log-event';
import { putInternedRow, type SharedNames } from './shared-names';
import { parseTimestampBytes, seedDateTimeBytes } from './timestamp';

const OTHER = 0;
const SESSION = 1;
const EVENT = 2;
const TIME = 3;
const LABEL = 4;

export class DelimitedFastPath {
  /** Lines consumed by the last `run`. */
  lines = 0;
  private readonly role: Uint8Array;
  private readonly delim: number;
  private readonly fields: number;
  /** 1 for the bytes that end a field: the delimiter, "\n", "\r" and the quote (which sends the line elsewhere). */
  private readonly stop = new Uint8Array(256);

  constructor(
    layout: DelimitedLayout,
    private readonly batch: EventBatch,
    private readonly names: SharedNames,
  ) {
    this.delim = layout.delimiter.charCodeAt(0);
    this.fields = layout.fields;
    this.role = new Uint8Array(layout.fields).fill(OTHER);
    if (layout.time >= 0) this.role[layout.time] = TIME;
    if (layout.label >= 0) this.role[layout.label] = LABEL;
    this.role[layout.event] = EVENT;
    this.role[layout.session] = SESSION;
    for (const c of [this.delim, 10, 13, 34]) this.stop[c] = 1;
  }

  /**
   * Whether a layout can take the fast path: a one-byte ASCII delimiter other than the quote and line ends, and each
   * role (session, event, time, label) in a column of its own.
   */
  static fits(layout: DelimitedLayout, maxFields: number): boolean {
    const d = layout.delimiter.charCodeAt(0);
    const columns = [layout.session, layout.event, layout.time, layout.label].filter((c) => c >= 0);
    return layout.delimiter.length === 1 && d < 128 && d !== 34 && d !== 10 && d !== 13 && layout.fields <= maxFields && new Set(columns).size === columns.length;
  }

  /**
   * Consumes lines of `b` from `pos` while they take the fast path and the batch has room; returns where it stopped
   * (the start of a line for the general path, or `limit`). `b[limit]` must be "\n" (ByteWindow's sentinel); a line
   * that reaches it is left to the general path (it may continue in the next read). `lineNo` is the number of the
   * line before `pos`; `lines` tells how many were consumed.
   */
  run(b: Buffer, pos: number, limit: number, lineNo: number): number {
    const batch = this.batch;
    const { role, delim, fields, stop } = this;
    const last = fields - 1;
    let n = batch.length;
    let i = pos;
    let line = lineNo;
    this.lines = 0;
    while (n < BATCH_SIZE && i < limit) {
      const lineStart = i;
      let ss = 0;
      let se = 0;
      let sh = 0;
      let es = 0;
      let ee = 0;
      let eh = 0;
      let time = NaN;
      let label = -1;
      let ok = true;
      for (let f = 0; f < fields; f++) {
        const r = role[f];
        const a = i;
        let c = b[i];
        let h = FNV_OFFSET;
        if (r === TIME && i + 23 <= limit && b[i + 4] === 45) {
          // `YYYY-MM-DD HH:MM:SS.fff` or `YYYY-MM-DD HH:MM:SS` then a stop byte: parsed where it stands (any other
          // shape is scanned below). The parser checks every byte (digits and separators only), so no delimiter,
          // quote or line end is skipped.
          const long = stop[b[i + 23]] !== 0;
          const e = long ? i + 23 : i + 19;
          if (stop[b[e]] !== 0) time = seedDateTimeBytes(b, i, long);
          if (time === time) {
            i = e;
            c = b[i];
          }
        }
        if (r === SESSION || r === EVENT) {
          while (stop[c] === 0) {
            h = Math.imul(h ^ c, FNV_PRIME);
            c = b[++i];
          }
        } else while (stop[c] === 0) c = b[++i];
        // The field ends at i, on a stop byte: the delimiter before the last field, a line end after it.
        let next = i + 1;
        if (f < last) ok = c === delim;
        else if (c === 10) ok = i < limit;
        else if (c === 13 && b[i + 1] === 10 && i + 1 < limit) next = i + 2;
        else ok = false;
        if (!ok) break;
        if (r !== OTHER) {
          if (r === SESSION) {
            ok = i > a;
            ss = a;
            se = i;
            sh = h;
          } else if (r === EVENT) {
            ok = i > a;
            es = a;
            ee = i;
            eh = h;
          } else if (r === TIME) {
            if (time !== time) time = parseTimestampBytes(b, a, i);
            ok = time === time;
          } else {
            const v = b[a] - 48;
            ok = i - a === 1 && (v === 0 || v === 1);
            label = v;
          }
          if (!ok) break;
        }
        i = next;
      }
      if (!ok) {
        i = lineStart;
        break;
      }
      line++;
      const names = this.names;
      putInternedRow(batch, n++, names, names.sessions.internHashed(b, ss, se, sh), names.types.internHashed(b, es, ee, eh), time, label, line);
      // Stored on every row, not once after the loop: code compiled while the loop runs has seen these stores.
      batch.length = n;
      this.lines = line - lineNo;
    }
    return i;
  }
}
