/**
 * Any CSV/TSV log with a header and a column mapping (session, event, optional time and label), e.g. the HDFS logs
 * (BlockId, EventId, Label). The delimiter is detected from the header (comma, tab, semicolon or pipe); quoted rows
 * follow RFC 4180 (see delimited-reader).
 */
import { SecmlError } from '../errors';
import { readDelimited } from './delimited-reader';
import type { ColumnMapping, EventBatch } from './log-event';
import type { ReadContext } from './read-context';
import { quote } from './row-issues';

const DELIMITERS = [',', '\t', ';', '|'];

/** The delimiter that splits a header line into the most fields, ignoring quoted text. */
export function detectDelimiter(headerLine: string): string {
  const unquoted = headerLine.replace(/"[^"]*"/g, '');
  let best = ',';
  let bestCount = 0;
  for (const d of DELIMITERS) {
    const n = unquoted.split(d).length - 1;
    if (n > bestCount) {
      best = d;
      bestCount = n;
    }
  }
  return best;
}

/** Splits a header line (simple quoting) into column names. */
export function splitHeader(headerLine: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQ = false;
  for (let i = 0; i < headerLine.length; i++) {
    const c = headerLine[i];
    if (inQ) {
      if (c === '"' && headerLine[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') inQ = false;
      else cur += c;
    } else if (c === '"') inQ = true;
    else if (c === delimiter) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** Index of a mapped column in a header: exact name, then case-insensitive, then a 1-based column number. */
export function columnIndex(header: string[], name: string, role: string, file: string): number {
  let i = header.indexOf(name);
  if (i < 0) i = header.findIndex((h) => h.toLowerCase() === name.toLowerCase());
  if (i < 0 && /^\d+$/.test(name) && Number(name) >= 1 && Number(name) <= header.length) i = Number(name) - 1;
  if (i < 0) {
    const shown = header.slice(0, 30).map((h) => quote(h, 30)).join(', ');
    throw new SecmlError('BAD_ARGUMENT', `the ${role} column ${quote(name)} is not in the header (columns: ${shown})`, { file, line: 1 });
  }
  return i;
}

export function readMappedCsv(file: string, mapping: ColumnMapping | undefined, ctx: ReadContext): AsyncGenerator<EventBatch> {
  if (!mapping?.session || !mapping.event) {
    throw new SecmlError('BAD_ARGUMENT', `${file}: a CSV log needs a column mapping: which column is the session and which the event (--session COL --event COL)`);
  }
  return readDelimited(
    file,
    (line, f) => {
      const delimiter = detectDelimiter(line);
      const header = splitHeader(line, delimiter);
      const session = columnIndex(header, mapping.session, 'session', f);
      const event = columnIndex(header, mapping.event, 'event', f);
      const time = mapping.time ? columnIndex(header, mapping.time, 'time', f) : -1;
      const label = mapping.label ? columnIndex(header, mapping.label, 'label', f) : -1;
      return {
        header: true,
        layout: {
          delimiter,
          fields: header.length,
          session,
          event,
          time,
          label,
          names: { session: header[session], event: header[event], time: time >= 0 ? header[time] : '', label: label >= 0 ? header[label] : '' },
        },
      };
    },
    ctx,
  );
}
