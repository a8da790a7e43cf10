/**
 * The byte scanner behind the CloudTrail reader. It is fed a file's bytes one window at a time (ByteWindow) and keeps
 * its state between windows, so a file of any size is read in memory bounded by its largest record:
 * - a delivery file (`{"Records":[ ... ]}`, pretty-printed or on one line) is walked byte by byte outside strings
 *   (strings are skipped with a native search for the closing quote), and each element of the Records array goes to
 *   JSON.parse on its own: a bad record is reported at the line where it starts and the rest of the file is read;
 * - JSON lines (one record, or one `{"Records":[...]}` object, per line) are parsed line by line.
 * After a delivery file's top-level object closes, what follows is read the same way again: concatenated delivery
 * files and JSON lines of `{"Records":[...]}` objects are read to the end. Only the bytes of the current record (or
 * line) are carried from one window to the next.
 */
import { LogFormatError } from '../errors';
import { addRecord, jsonError } from './cloudtrail-record';
import { refuseUtf16 } from './file-bytes';
import { BATCH_SIZE, newBatch, type EventBatch } from './log-event';
import type { RowIssues } from './row-issues';

/** A record (or JSON line) larger than this is reported and skipped instead of growing the window without bound. */
export const MAX_RECORD_BYTES = 64 << 20;
/** White space allowed inside `{ "Records" : [` before the file is taken for JSON lines. */
const MAX_HEAD_BYTES = 1 << 16;

// What the scanner is in the middle of.
/** White space at the start of the file. */
const START = 0;
/** A top-level `{`: deciding whether `"Records" : [` follows. */
const HEAD = 1;
/** Inside the Records array, between elements. */
const ARRAY = 2;
/** Inside an element of the Records array. */
const RECORD = 3;
/** After the Records array: the rest of its object. */
const REST = 4;
/** After a top-level object. */
const BETWEEN = 5;
/** JSON lines. */
const LINES = 6;
/** A JSON line too long to keep, up to its end. */
const SKIP_LINE = 7;
const DONE = 8;

const RECORDS_KEY = Buffer.from('"Records"');

const isSpace = (c: number): boolean => c === 32 || c === 10 || c === 13 || c === 9;

function skipSpace(b: Buffer, i: number, limit: number): number {
  while (i < limit && isSpace(b[i])) i++;
  return i;
}

const sizeText = (n: number): string => (n % (1 << 20) === 0 ? `${n >> 20} MB` : `${n} bytes`);

/** Line breaks in `b[from, to)`; the search stops at `to` (a bad record must not cost a scan to the next "\n"). */
function countNewlines(b: Buffer, from: number, to: number): number {
  if (to <= from) return 0;
  const part = b.subarray(from, to);
  let n = 0;
  for (let i = part.indexOf(10); i >= 0; i = part.indexOf(10, i + 1)) n++;
  return n;
}

/** Given `b[i]` = "{", the end of `{ "Records" : [`; -1 when the bytes say otherwise, -2 when they end first. */
function recordsHeadEnd(b: Buffer, i: number, limit: number): number {
  i = skipSpace(b, i + 1, limit);
  for (let k = 0; k < RECORDS_KEY.length; k++, i++) {
    if (i >= limit) return -2;
    if (b[i] !== RECORDS_KEY[k]) return -1;
  }
  i = skipSpace(b, i, limit);
  if (i >= limit) return -2;
  if (b[i] !== 58 /* : */) return -1;
  i = skipSpace(b, i + 1, limit);
  if (i >= limit) return -2;
  return b[i] === 91 /* [ */ ? i + 1 : -1;
}

export class CloudTrailScanner {
  readonly batch: EventBatch;
  /** Records that became events. */
  added = 0;
  /** Set when the file holds nothing but white space. */
  empty = false;
  private mode = START;
  private atFileStart = true;
  /** Scan position in the current window. */
  private pos = 0;
  /** Line of the byte at `pos`. */
  private line = 1;
  /** Start of the bytes to keep (the current record, line or head) and its line; -1 when there is none. */
  private unitStart = -1;
  private unitLine = 1;
  /** Within a record or the rest of an object: nesting depth, inside a string, a "\" last in the window. */
  private depth = 0;
  private inString = false;
  private escapePending = false;
  /** A record too large to keep: it is scanned to its end but not parsed. */
  private oversize = false;
  /** Records of a JSON line's Records array not yet added because the batch filled up. */
  private pending: unknown[] | undefined;
  private pendingAt = 0;
  private pendingLine = 0;

  constructor(
    private readonly file: string,
    private readonly issues: RowIssues,
    private readonly maxRecordBytes = MAX_RECORD_BYTES,
  ) {
    this.batch = newBatch(file, true);
  }

  /** Where the bytes to keep start (for ByteWindow.fill). */
  get keepFrom(): number {
    return this.unitStart >= 0 ? this.unitStart : this.pos;
  }

  /** The window dropped its first `by` bytes: positions move down. */
  rebase(by: number): void {
    this.pos -= by;
    if (this.unitStart >= 0) this.unitStart -= by;
  }

  /**
   * Scans `b[pos, limit)` (`b[limit]` is ByteWindow's "\n" sentinel) until the batch is full or the bytes run out;
   * with `atEnd` (the file's last bytes), running out finishes the file.
   */
  scan(b: Buffer, limit: number, atEnd: boolean): void {
    if (this.pending) this.drainPending();
    while (this.batch.length < BATCH_SIZE) {
      let more: boolean;
      switch (this.mode) {
        case START:
          more = this.fileStart(b, limit, atEnd);
          break;
        case HEAD:
          more = this.head(b, limit, atEnd);
          break;
        case ARRAY:
          more = this.betweenRecords(b, limit);
          break;
        case RECORD:
          more = this.record(b, limit);
          break;
        case REST:
          more = this.rest(b, limit);
          break;
        case BETWEEN:
          more = this.afterObject(b, limit);
          break;
        case LINES:
          more = this.lines(b, limit, atEnd);
          break;
        case SKIP_LINE:
          more = this.skipLine(b, limit);
          break;
        default:
          return;
      }
      if (!more) {
        if (atEnd) this.finish(false);
        return;
      }
    }
  }

  /**
   * The bytes ended: reports what they cut short. `cut` means the file itself was cut short (a truncated .gz), so a
   * last line without its "\n" is incomplete too.
   */
  finish(cut: boolean): void {
    const { file, issues } = this;
    switch (this.mode) {
      case START:
        this.empty = true;
        issues.skip(file, 1, 'the file is empty');
        break;
      case HEAD:
        issues.skip(file, this.unitLine, 'the file ends in the middle of a record (truncated)');
        break;
      case ARRAY:
        issues.skip(file, this.line, 'the file ends inside the Records array (truncated)');
        break;
      case RECORD:
        if (!this.oversize) issues.skip(file, this.unitLine, 'the file ends in the middle of a record (truncated)');
        break;
      case REST:
        issues.skip(file, this.line, 'the file ends before the object holding the Records array is closed (truncated)');
        break;
      case LINES:
        if (cut && this.unitStart >= 0) issues.skip(file, this.line, 'the file ends in the middle of a line (truncated)');
        break;
    }
    this.mode = DONE;
  }

  /** Moves `pos` past white space (and commas, when asked), counting lines; false when the bytes end first. */
  private skipWhite(b: Buffer, limit: number, commas: boolean): boolean {
    let i = this.pos;
    let line = this.line;
    for (; i < limit; i++) {
      const c = b[i];
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13 && (c !== 44 || !commas)) break;
    }
    this.line = line;
    this.pos = i;
    return i < limit;
  }

  private startUnit(i: number): void {
    this.unitStart = i;
    this.unitLine = this.line;
  }

  /** Skips a BOM and white space; refuses UTF-16 and anything that cannot start CloudTrail JSON. */
  private fileStart(b: Buffer, limit: number, atEnd: boolean): boolean {
    let i = this.pos;
    if (this.atFileStart) {
      if (limit - i < 3 && !atEnd) {
        this.unitStart = i;
        return false;
      }
      this.unitStart = -1;
      this.atFileStart = false;
      refuseUtf16(this.file, b.subarray(i, Math.min(limit, i + 2)));
      if (limit - i >= 3 && b[i] === 0xef && b[i + 1] === 0xbb && b[i + 2] === 0xbf) i += 3;
    }
    this.pos = i;
    if (!this.skipWhite(b, limit, false)) return false;
    i = this.pos;
    if (b[i] === 123 /* { */) {
      this.startUnit(i);
      this.mode = HEAD;
    } else if (b[i] === 91 /* [ */) this.mode = LINES;
    else throw new LogFormatError('not a CloudTrail file: expected {"Records":[...]} or JSON lines', this.file, this.line);
    return true;
  }

  /** A delivery file (`{"Records":[` opens the object at unitStart) or JSON lines from there. */
  private head(b: Buffer, limit: number, atEnd: boolean): boolean {
    const start = this.unitStart;
    const end = recordsHeadEnd(b, start, limit);
    if (end === -2 && !atEnd && limit - start < MAX_HEAD_BYTES) {
      this.pos = limit;
      return false;
    }
    this.unitStart = -1;
    if (end >= 0) {
      this.line += countNewlines(b, start, end);
      this.pos = end;
      this.mode = ARRAY;
    } else {
      this.pos = start;
      this.mode = LINES;
    }
    return true;
  }

  /** Skips white space and commas to the next record or the end of the array. */
  private betweenRecords(b: Buffer, limit: number): boolean {
    if (!this.skipWhite(b, limit, true)) return false;
    const i = this.pos;
    const c = b[i];
    this.depth = 0;
    this.inString = false;
    this.escapePending = false;
    if (c === 93 /* ] */) {
      // The rest of the top-level object (other keys, its "}"), kept to be checked, then whatever follows it.
      this.pos = i + 1;
      this.depth = 1;
      this.startUnit(i + 1);
      this.oversize = false;
      this.mode = REST;
    } else if (c === 125 /* } */) {
      this.issues.skip(this.file, this.line, 'the Records array is not closed before its object ends ("}" where "]" was expected)');
      this.pos = i + 1;
      this.mode = BETWEEN;
    } else {
      this.startUnit(i);
      this.oversize = false;
      this.pos = i;
      this.mode = RECORD;
    }
    return true;
  }

  /** Finds the end of the record at unitStart and parses it. */
  private record(b: Buffer, limit: number): boolean {
    const from = this.pos;
    const lineBefore = this.line;
    const end = this.valueEnd(b, limit);
    const stop = end < 0 ? limit : end;
    if (this.oversize) {
      // Its bytes are not kept for a recount: count the line breaks inside its strings (it is invalid JSON) now.
      this.line = lineBefore + countNewlines(b, from, stop);
    } else if (stop - this.unitStart > this.maxRecordBytes) {
      // Stop keeping its bytes; the scan goes on to its end.
      this.issues.skip(this.file, this.unitLine, `record is larger than ${sizeText(this.maxRecordBytes)} (a broken file?); it is skipped`);
      this.oversize = true;
      this.line = this.unitLine + countNewlines(b, this.unitStart, stop);
      this.unitStart = -1;
    }
    if (end < 0) return false;
    const start = this.unitStart;
    const line = this.unitLine;
    this.unitStart = -1;
    this.mode = ARRAY;
    if (this.oversize) return true;
    let value: unknown;
    try {
      value = JSON.parse(b.toString('utf8', start, end));
    } catch (e) {
      // The scan counts line breaks outside strings only; a record with one inside a string is invalid JSON.
      this.line = line + countNewlines(b, start, end);
      this.issues.skip(this.file, line, `record is not valid JSON: ${jsonError(e)}`);
      return true;
    }
    if (addRecord(this.batch, value, line, this.file, this.issues)) this.added++;
    return true;
  }

  /**
   * Scans from `pos` (nesting `depth`, maybe inside a string) to the end of the current value: just past the bracket
   * that brings the depth to 0, or, at depth 0, the "," or closing bracket after a scalar. Returns that end (also
   * the new `pos`), or -1 when the bytes run out first (the state is kept for the next window).
   */
  private valueEnd(b: Buffer, limit: number): number {
    let i = this.pos;
    let depth = this.depth;
    let line = this.line;
    if (this.inString) {
      const from = this.escapePending ? i + 1 : i;
      const q = from <= limit ? this.closingQuote(b, from, limit) : -1;
      if (q < 0) {
        this.pos = limit;
        return -1;
      }
      this.inString = false;
      i = q + 1;
    }
    for (;;) {
      const c = b[i];
      if (c === 34 /* " */) {
        const q = this.closingQuote(b, i + 1, limit);
        if (q < 0) {
          this.inString = true;
          break;
        }
        i = q + 1;
        continue;
      }
      if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        // At depth 0 a closing bracket ends the scalar before it; one that brings the depth to 0 ends this value.
        if (depth === 0) return this.endAt(i, line);
        if (--depth === 0) return this.endAt(i + 1, line);
      } else if (c === 44 /* , */) {
        if (depth === 0) return this.endAt(i, line);
      } else if (c === 10) {
        if (i >= limit) break;
        line++;
      }
      i++;
    }
    this.depth = depth;
    this.line = line;
    this.pos = limit;
    return -1;
  }

  private endAt(i: number, line: number): number {
    this.depth = 0;
    this.line = line;
    this.pos = i;
    return i;
  }

  /**
   * Index of the quote that closes a string whose unread bytes start at `from` (no "\" before `from` is still
   * pending), or -1 when the bytes end first; then `escapePending` says whether the first byte of the next window
   * is escaped.
   */
  private closingQuote(b: Buffer, from: number, limit: number): number {
    let j = from;
    while (j < limit) {
      j = b.indexOf(34, j);
      if (j < 0 || j >= limit) break;
      let k = j - 1;
      while (k >= from && b[k] === 92) k--;
      if (((j - 1 - k) & 1) === 0) return j;
      j++;
    }
    let k = limit - 1;
    while (k >= from && b[k] === 92) k--;
    this.escapePending = ((limit - 1 - k) & 1) === 1;
    return -1;
  }

  /**
   * The rest of the object after its Records array, up to its closing "}" (in CloudTrail's files, just that "}").
   * Its line breaks are counted outright (those inside strings too: the file is broken then, but later lines stay
   * true), and it is checked: a broken string there (an unescaped quote) would otherwise swallow the next objects
   * of the file without a word.
   */
  private rest(b: Buffer, limit: number): boolean {
    const from = this.pos;
    const lineBefore = this.line;
    const end = this.valueEnd(b, limit);
    const stop = end < 0 ? limit : end;
    this.line = lineBefore + countNewlines(b, from, stop);
    if (!this.oversize && stop - this.unitStart > this.maxRecordBytes) {
      this.issues.skip(this.file, this.unitLine, `what follows the Records array is larger than ${sizeText(this.maxRecordBytes)} (a broken file?); it is skipped`);
      this.oversize = true;
      this.unitStart = -1;
    }
    if (end < 0) return false;
    const start = this.unitStart;
    this.unitStart = -1;
    this.mode = BETWEEN;
    if (this.oversize || (end - start === 1 && b[start] === 125)) return true;
    try {
      JSON.parse(`{"Records":[]${b.toString('utf8', start, end)}`);
    } catch {
      this.issues.skip(this.file, this.unitLine, 'what follows the Records array is not valid JSON (the other keys of its object, then "}")');
    }
    return true;
  }

  /** After a top-level object: another delivery object, JSON lines, or the end. */
  private afterObject(b: Buffer, limit: number): boolean {
    if (!this.skipWhite(b, limit, false)) return false;
    if (b[this.pos] === 123) {
      this.startUnit(this.pos);
      this.mode = HEAD;
    } else this.mode = LINES;
    return true;
  }

  /** JSON lines, each parsed whole, until the batch is full or the bytes end. */
  private lines(b: Buffer, limit: number, atEnd: boolean): boolean {
    let start = this.unitStart >= 0 ? this.unitStart : this.pos;
    let from = this.pos;
    this.unitStart = -1;
    while (this.batch.length < BATCH_SIZE && this.pending === undefined) {
      const nl = b.indexOf(10, from);
      if (nl < 0 || nl >= limit) {
        if (atEnd) {
          if (start < limit) this.parseLine(b, start, limit);
          this.pos = limit;
          return false;
        }
        this.pos = limit;
        if (limit - start > this.maxRecordBytes) {
          this.issues.skip(this.file, this.line, this.tooLong());
          this.mode = SKIP_LINE;
        } else if (start < limit) this.unitStart = start;
        return false;
      }
      this.parseLine(b, start, nl);
      this.line++;
      start = from = this.pos = nl + 1;
    }
    return true;
  }

  private tooLong(): string {
    return `line is longer than ${sizeText(this.maxRecordBytes)} (a broken file?); it is skipped`;
  }

  private skipLine(b: Buffer, limit: number): boolean {
    const nl = b.indexOf(10, this.pos);
    if (nl < 0 || nl >= limit) {
      this.pos = limit;
      return false;
    }
    this.line++;
    this.pos = nl + 1;
    this.mode = LINES;
    return true;
  }

  /** One JSON line: a record, or an object whose Records array holds records. */
  private parseLine(b: Buffer, s: number, e: number): void {
    if (e - s > this.maxRecordBytes) return this.issues.skip(this.file, this.line, this.tooLong());
    while (s < e && isSpace(b[s])) s++;
    while (e > s && isSpace(b[e - 1])) e--;
    if (s === e) return;
    let text = b.toString('utf8', s, e);
    // Other Unicode white space (a BOM of a concatenated file, no-break spaces) around the JSON.
    if (b[s] >= 0x80 || b[e - 1] >= 0x80) text = text.trim();
    if (!text) return;
    const { file, issues, line } = this;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      issues.skip(file, line, `not valid JSON: ${jsonError(err)}`);
      return;
    }
    const recs = (value as { Records?: unknown } | null)?.Records;
    if (Array.isArray(recs)) {
      this.pending = recs;
      this.pendingAt = 0;
      this.pendingLine = line;
      this.drainPending();
    } else if (recs !== undefined) issues.skip(file, line, `"Records" must be an array of records, found ${recs === null ? 'null' : typeof recs}`);
    else if (addRecord(this.batch, value, line, file, issues)) this.added++;
  }

  private drainPending(): void {
    const recs = this.pending!;
    const batch = this.batch;
    let k = this.pendingAt;
    for (; k < recs.length && batch.length < BATCH_SIZE; k++) {
      if (addRecord(batch, recs[k], this.pendingLine, this.file, this.issues)) this.added++;
    }
    this.pendingAt = k;
    if (k === recs.length) this.pending = undefined;
  }
}
