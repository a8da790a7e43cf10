/**
 * Delimited text logs (the seed's session TSV, and any CSV/TSV with a column mapping) on one hand-written fast path:
 * whole-line text chunks, fields found with indexOf, times parsed in place, one batch of parallel arrays per 8k rows.
 * Only a line that contains a double quote goes through csv-parse (RFC 4180: quoted delimiters, "" escapes, quoted
 * line breaks up to 100 lines), so quoting is exact where it matters and free where it does not.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { LogFormatError } from '../errors';
import { fileBytes, textChunks } from './file-bytes';
import { LABEL_HINT, parseLabel } from './label';
import { BATCH_SIZE, newBatch, type EventBatch } from './log-event';
import type { ReadContext } from './read-context';
import { quote } from './row-issues';
import { parseTimestamp } from './timestamp';

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
const MAX_RECORD_CHARS = 1 << 20;

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
 * End (index just past its final "\n", or the text's end) of a quoted record starting at `start`, and the number of
 * lines it spans; `end` is -1 when the text ends inside quotes, -2 when the record is too long.
 */
function quotedRecordEnd(text: string, start: number): { end: number; lines: number } {
  let inQuotes = false;
  let lines = 1;
  const limit = Math.min(text.length, start + MAX_RECORD_CHARS);
  for (let i = start; i < limit; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) inQuotes = !inQuotes;
    else if (c === 10) {
      if (!inQuotes) return { end: i + 1, lines };
      if (++lines > MAX_RECORD_LINES) return { end: -2, lines };
    }
  }
  if (!inQuotes && limit === text.length) return { end: text.length, lines };
  return { end: limit === text.length ? -1 : -2, lines };
}

export async function* readDelimited(file: string, resolve: LayoutResolver, ctx: ReadContext): AsyncGenerator<EventBatch> {
  const { issues } = ctx;
  const batch = newBatch(file);
  let L: DelimitedLayout | undefined;
  let delim = 9;
  let lineNo = 0;
  let rows = 0;
  const starts = new Int32Array(256);
  const ends = new Int32Array(256);

  /** Validates and appends one row given as ranges of `src`; returns false (after reporting) when it is malformed. */
  const addRow = (src: string, ss: number, se: number, es: number, ee: number, ts: number, te: number, ls: number, le: number, line: number): void => {
    const layout = L!;
    if (se === ss) return issues.skip(file, line, `empty ${layout.names.session} (session)`);
    if (ee === es) return issues.skip(file, line, `empty ${layout.names.event} (event type)`);
    let time = NaN;
    if (ts >= 0) {
      time = parseTimestamp(src, ts, te);
      if (time !== time) return issues.skip(file, line, `${layout.names.time} ${quote(src.slice(ts, te))} is not a date and time`);
    }
    let label = -1;
    if (ls >= 0) {
      const c = le - ls === 1 ? src.charCodeAt(ls) : 0;
      if (c === 48) label = 0;
      else if (c === 49) label = 1;
      else {
        const raw = src.slice(ls, le);
        const parsed = parseLabel(raw);
        if (parsed === undefined) return issues.skip(file, line, `${layout.names.label} ${quote(raw)} is not a label (${LABEL_HINT})`);
        label = parsed;
      }
    }
    const i = batch.length++;
    batch.sessions[i] = src.slice(ss, se);
    batch.types[i] = src.slice(es, ee);
    batch.times[i] = time;
    batch.labels[i] = label;
    batch.lines[i] = line;
    rows++;
  };

  /** A row given as field strings (from csv-parse). */
  const addFields = (f: string[], line: number): void => {
    const layout = L!;
    if (f.length !== layout.fields) return issues.skip(file, line, `expected ${layout.fields} fields, found ${f.length}`);
    const t = layout.time >= 0 ? f[layout.time] : '';
    const l = layout.label >= 0 ? f[layout.label] : '';
    // Concatenate the four cells so addRow can work on ranges of one string.
    const s = f[layout.session];
    const e = f[layout.event];
    const joined = s + e + t + l;
    const a = s.length;
    const b = a + e.length;
    const c = b + t.length;
    addRow(joined, 0, a, a, b, layout.time >= 0 ? b : -1, c, layout.label >= 0 ? c : -1, c + l.length, line);
  };

  let pending = '';
  const chunks = textChunks(file, fileBytes(file, ctx));
  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = await chunks.next();
    } catch (e) {
      // A truncated or corrupt .gz: keep the rows before it (lenient) or fail at the line where it broke (strict).
      if ((e as LogFormatError).code !== 'LOG_FORMAT') throw e;
      issues.skip(file, lineNo + 1, (e as Error).message);
      next = { done: true, value: undefined };
    }
    const atEnd = next.done === true;
    if (atEnd && !pending) break;
    const text = atEnd ? pending : pending ? pending + next.value : (next.value as string);
    pending = '';
    const len = text.length;
    let pos = 0;
    let nextQuote = -2;
    while (pos < len) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = len;
      let end = nl;
      if (end > pos && text.charCodeAt(end - 1) === 13) end--;
      lineNo++;
      const lineStart = pos;
      pos = nl + 1;
      if (end === lineStart) continue;
      if (L === undefined) {
        const line = text.slice(lineStart, end);
        if (line.trim() === '') continue;
        const found = resolve(line, file, lineNo);
        L = found.layout;
        delim = L.delimiter.charCodeAt(0);
        if (found.header) continue;
      }
      if (nextQuote !== -1 && nextQuote < lineStart) nextQuote = text.indexOf('"', lineStart);
      if (nextQuote !== -1 && nextQuote < end) {
        const rec = quotedRecordEnd(text, lineStart);
        if (rec.end === -1 && !atEnd) {
          // The record continues in the next chunk: carry it over.
          pending = text.slice(lineStart);
          lineNo--;
          break;
        }
        if (rec.end < 0) {
          issues.skip(file, lineNo, 'a quoted field is never closed');
          continue;
        }
        const recordText = text.slice(lineStart, rec.end);
        const fields = parseQuotedRecord(recordText, L.delimiter);
        if (typeof fields === 'string') issues.skip(file, lineNo, fields);
        else addFields(fields, lineNo);
        lineNo += rec.lines - 1;
        pos = rec.end;
      } else {
        const nf = L.fields;
        let f = 0;
        let a = lineStart;
        for (;;) {
          let t = text.indexOf(L.delimiter, a);
          if (t < 0 || t > end) t = end;
          if (f < 256) {
            starts[f] = a;
            ends[f] = t;
          }
          f++;
          if (t === end) break;
          a = t + 1;
        }
        if (f !== nf) {
          if (f === 1 && text.slice(lineStart, end).trim() === '') continue;
          issues.skip(file, lineNo, `expected ${nf} ${delim === 9 ? 'tab-separated' : `"${L.delimiter}"-separated`} fields, found ${f}`);
          continue;
        }
        const ti = L.time;
        const li = L.label;
        addRow(text, starts[L.session], ends[L.session], starts[L.event], ends[L.event], ti >= 0 ? starts[ti] : -1, ti >= 0 ? ends[ti] : -1, li >= 0 ? starts[li] : -1, li >= 0 ? ends[li] : -1, lineNo);
      }
      if (batch.length === BATCH_SIZE) {
        yield batch;
        batch.length = 0;
      }
    }
    if (atEnd) break;
  }
  if (batch.length > 0) yield batch;
  if (L === undefined) issues.skip(file, 1, 'the file is empty');
  else if (rows === 0) issues.skip(file, Math.max(1, lineNo), 'the file has no valid rows');
}

/** Fails for a file whose first line cannot be a header of this kind. */
export function notAHeader(file: string, line: number, what: string): never {
  throw new LogFormatError(what, file, line);
}
