/**
 * Delimited text logs (the seed's session TSV, and any CSV/TSV with a column mapping) on one hand-written fast
 * path over bytes: each line is scanned once for delimiters, session ids and event types are interned from their
 * bytes (no string per row), times are parsed from bytes, and rows go out in batches of parallel typed arrays.
 * Only a line that contains a double quote is decoded and handed to csv-parse (RFC 4180: quoted delimiters, ""
 * escapes, quoted line breaks up to 100 lines), so quoting is exact where it matters and free where it does not.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { LogFormatError } from '../errors';
import { ByteWindow } from './byte-window';
import { refuseUtf16 } from './file-bytes';
import { DelimitedFastPath } from './delimited-fast-path';
import { LABEL_HINT, parseLabel } from './label';
import { BATCH_SIZE, newBatch, type EventBatch } from './log-event';
import type { ReadContext } from './read-context';
import { quote, type RowIssues } from './row-issues';
import { putInternedRow, SharedNames } from './shared-names';
import { parseTimestampBytes } from './timestamp';

export interface DelimitedLayout {
  delimiter: string;
  /** Fields every row must have. */
  fields: number;
  session: number;
  event: number;
  /** -1 when the log has no time column. */
  time: number;
  /** -1 when the log has no label column. */
  label: number;
  /** Column names, for messages. */
  names: { session: string; event: string; time: string; label: string };
}

/** Decides a file's layout from its first non-blank line (and whether that line is a header); throws if it cannot. */
export type LayoutResolver = (firstLine: string, file: string, line: number) => { layout: DelimitedLayout; header: boolean };

const MAX_RECORD_LINES = 100;
const MAX_RECORD_BYTES = 1 << 20;
const MAX_LINE_BYTES = 64 << 20;
const MAX_FIELDS = 256;

/** Parses one quoted record with csv-parse; returns its fields or an error message. */
function parseQuotedRecord(record: string, delimiter: string): string[] | string {
  try {
    const rows = parseCsv(record, { delimiter, relax_column_count: true, skip_empty_lines: true });
    if (rows.length !== 1) return `expected one record, found ${rows.length}`;
    return rows[0];
  } catch (e) {
    return `malformed quoting: ${(e as Error).message.replace(/^CsvError: /, '')}`;
  }
}

/**
 * End (just past its final "\n", or `limit`) of a quoted record starting at `start`, and the lines it spans;
 * `end` is -1 when the bytes end inside quotes, -2 when the record is too long.
 */
function quotedRecordEnd(b: Buffer, start: number, limit: number): { end: number; lines: number } {
  let inQuotes = false;
  let lines = 1;
  const stop = Math.min(limit, start + MAX_RECORD_BYTES);
  for (let i = start; i < stop; i++) {
    const c = b[i];
    if (c === 34) inQuotes = !inQuotes;
    else if (c === 10) {
      if (!inQuotes) return { end: i + 1, lines };
      if (++lines > MAX_RECORD_LINES) return { end: -2, lines };
    }
  }
  if (!inQuotes && stop === limit) return { end: limit, lines };
  return { end: stop === limit ? -1 : -2, lines };
}

/**
 * The line scanner of one file, as a plain class (hot loops in plain methods get optimised sooner than in an async
 * generator's body). `scan` consumes whole lines of a buffer into the batch until the batch is full or the lines run
 * out, and says where it stopped.
 */
class DelimitedScanner {
  readonly batch: EventBatch;
  private L: DelimitedLayout | undefined;
  private fast: DelimitedFastPath | undefined;
  private delim = 9;
  lineNo = 0;
  rows = 0;
  /** Field bounds of the current line, up to MAX_FIELDS or the last mapped column, whichever is further. */
  private starts = new Int32Array(MAX_FIELDS);
  private ends = new Int32Array(MAX_FIELDS);
  /** Set by scan when the buffer ends inside a line or a quoted record: the bytes from here on must be carried. */
  carryFrom = -1;

  constructor(
    private readonly file: string,
    private readonly resolve: LayoutResolver,
    private readonly issues: RowIssues,
    private readonly names: SharedNames,
  ) {
    this.batch = newBatch(file, false, names.dictionary);
  }

  get sawHeader(): boolean {
    return this.L !== undefined;
  }

  /**
   * Scans lines of `b[pos, limit)` (`b[limit]` is a "\n" sentinel); returns the position after the last consumed
   * line. Lines in the common shape go through the fast path; the others, one at a time, through the code below.
   */
  scan(b: Buffer, pos: number, limit: number, atEnd: boolean): number {
    let starts = this.starts;
    let ends = this.ends;
    let cap = starts.length;
    const batch = this.batch;
    this.carryFrom = -1;
    while (pos < limit && batch.length < BATCH_SIZE) {
      const fast = this.fast;
      if (fast !== undefined) {
        const before = batch.length;
        pos = fast.run(b, pos, limit, this.lineNo);
        this.lineNo += fast.lines;
        this.rows += batch.length - before;
        if (pos >= limit || batch.length >= BATCH_SIZE) break;
      }
      const delim = this.delim;
      // Most bytes are above every special byte (delimiter, "\n", '"'): one comparison skips them.
      const special = delim > 34 ? delim : 34;
      const lineStart = pos;
      let f = 0;
      let a = pos;
      let quoted = false;
      let i = pos;
      for (; i < limit; i++) {
        const c = b[i];
        if (c > special) continue;
        if (c === delim) {
          if (f < cap) {
            starts[f] = a;
            ends[f] = i;
          }
          f++;
          a = i + 1;
        } else if (c === 10) break;
        else if (c === 34) quoted = true;
      }
      if (i === limit && !atEnd) {
        if (limit - lineStart > MAX_LINE_BYTES) throw new LogFormatError(`a line is longer than ${MAX_LINE_BYTES >> 20} MB; is this a log file?`, this.file, this.lineNo + 1);
        this.carryFrom = lineStart;
        return lineStart;
      }
      let end = i;
      if (end > lineStart && b[end - 1] === 13) end--;
      if (f < cap) {
        starts[f] = a;
        ends[f] = a > end ? a : end;
      }
      f++;
      this.lineNo++;
      pos = i + 1;
      if (end === lineStart) continue;
      const L = this.L;
      if (L === undefined) {
        const line = b.toString('utf8', lineStart, end);
        if (line.trim() === '') continue;
        const found = this.resolve(line, this.file, this.lineNo);
        this.L = found.layout;
        this.delim = found.layout.delimiter.charCodeAt(0);
        const { session, event, time, label } = found.layout;
        const need = Math.max(session, event, time, label) + 1;
        if (need > cap) {
          starts = this.starts = new Int32Array(need);
          ends = this.ends = new Int32Array(need);
          cap = need;
        }
        if (DelimitedFastPath.fits(found.layout, MAX_FIELDS)) this.fast = new DelimitedFastPath(found.layout, this.batch, this.names);
        if (found.header) continue;
        // A headerless first line is data: scan it again with the layout's delimiter.
        pos = lineStart;
        this.lineNo--;
        continue;
      }
      if (quoted) {
        const rec = quotedRecordEnd(b, lineStart, limit);
        if (rec.end === -1 && !atEnd) {
          this.lineNo--;
          this.carryFrom = lineStart;
          return lineStart;
        }
        if (rec.end < 0) {
          this.issues.skip(this.file, this.lineNo, 'a quoted field is never closed');
          continue;
        }
        const fields = parseQuotedRecord(b.toString('utf8', lineStart, rec.end), L.delimiter);
        if (typeof fields === 'string') this.issues.skip(this.file, this.lineNo, fields);
        else this.addFields(fields, this.lineNo);
        this.lineNo += rec.lines - 1;
        pos = rec.end;
      } else if (f !== L.fields) {
        if (f === 1 && b.toString('utf8', lineStart, end).trim() === '') continue;
        this.issues.skip(this.file, this.lineNo, `expected ${L.fields} ${this.delim === 9 ? 'tab-separated' : `"${L.delimiter}"-separated`} fields, found ${f}`);
      } else {
        const ti = L.time;
        const li = L.label;
        this.addRow(b, starts[L.session], ends[L.session], starts[L.event], ends[L.event], ti >= 0 ? starts[ti] : -1, ti >= 0 ? ends[ti] : -1, li >= 0 ? starts[li] : -1, li >= 0 ? ends[li] : -1, this.lineNo);
      }
    }
    return pos;
  }

  /** Validates and appends one row given as byte ranges of `b`; reports and drops it when malformed. */
  private addRow(b: Buffer, ss: number, se: number, es: number, ee: number, ts: number, te: number, ls: number, le: number, line: number): void {
    const layout = this.L!;
    const issues = this.issues;
    if (se === ss) return issues.skip(this.file, line, `empty ${layout.names.session} (session)`);
    if (ee === es) return issues.skip(this.file, line, `empty ${layout.names.event} (event type)`);
    let time = NaN;
    if (ts >= 0) {
      time = parseTimestampBytes(b, ts, te);
      if (time !== time) return issues.skip(this.file, line, `${layout.names.time} ${quote(b.toString('utf8', ts, te))} is not a date and time`);
    }
    let label = -1;
    if (ls >= 0) {
      const c = le - ls === 1 ? b[ls] : 0;
      if (c === 48) label = 0;
      else if (c === 49) label = 1;
      else {
        const raw = b.toString('utf8', ls, le);
        const parsed = parseLabel(raw);
        if (parsed === undefined) return issues.skip(this.file, line, `${layout.names.label} ${quote(raw)} is not a label (${LABEL_HINT})`);
        label = parsed;
      }
    }
    const names = this.names;
    putInternedRow(this.batch, this.batch.length++, names, names.sessions.intern(b, ss, se), names.types.intern(b, es, ee), time, label, line);
    this.rows++;
  }

  /** A row given as field strings (a quoted record, from csv-parse). */
  private addFields(f: string[], line: number): void {
    const layout = this.L!;
    if (f.length !== layout.fields) return this.issues.skip(this.file, line, `expected ${layout.fields} fields, found ${f.length}`);
    const cells = [f[layout.session], f[layout.event], layout.time >= 0 ? f[layout.time] : '', layout.label >= 0 ? f[layout.label] : ''].map((c) => Buffer.from(c, 'utf8'));
    const b = Buffer.concat(cells);
    const a = cells[0].length;
    const e = a + cells[1].length;
    const t = e + cells[2].length;
    this.addRow(b, 0, a, a, e, layout.time >= 0 ? e : -1, t, layout.label >= 0 ? t : -1, t + cells[3].length, line);
  }
}

export async function* readDelimited(file: string, resolve: LayoutResolver, ctx: ReadContext): AsyncGenerator<EventBatch> {
  const { issues } = ctx;
  const scanner = new DelimitedScanner(file, resolve, issues, ctx.names ?? new SharedNames());
  const batch = scanner.batch;
  const bytes = await ByteWindow.open(file, ctx);
  try {
    let first = true;
    let keepFrom = 0;
    for (;;) {
      try {
        await bytes.fill(keepFrom);
      } catch (e) {
        // A truncated or corrupt .gz: keep the rows before it (lenient) or fail at the line where it broke (strict).
        if ((e as LogFormatError).code !== 'LOG_FORMAT') throw e;
        issues.skip(file, scanner.lineNo + 1, (e as Error).message);
        break;
      }
      const { buf, length, atEnd } = bytes;
      if (atEnd && length === 0) break;
      let pos = 0;
      if (first) refuseUtf16(file, buf.subarray(0, length));
      if (first && length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) pos = 3;
      first = false;
      for (;;) {
        pos = scanner.scan(buf, pos, length, atEnd);
        if (batch.length === BATCH_SIZE) {
          yield batch;
          batch.length = 0;
          continue;
        }
        break;
      }
      if (atEnd) break;
      keepFrom = scanner.carryFrom >= 0 ? scanner.carryFrom : length;
    }
  } finally {
    await bytes.close();
  }
  if (batch.length > 0) yield batch;
  if (!scanner.sawHeader) issues.skip(file, 1, 'the file is empty');
  else if (scanner.rows === 0) issues.skip(file, Math.max(1, scanner.lineNo), scanner.lineNo <= 1 ? HEADER_ONLY : 'the file has no valid rows');
}

/** The reason recorded for a file with a header and nothing after it (callers recognise it). */
export const HEADER_ONLY = 'the file has a header and no rows';

/** Fails for a file whose first line cannot be a header of this kind. */
export function notAHeader(file: string, line: number, what: string): never {
  throw new LogFormatError(what, file, line);
}
