/**
 * Splitting a SQL file into statements without running it: `;` ends a statement except inside '...' strings, "..."
 * identifiers, `...` identifiers, -- line comments and /* block comments *\/. Each statement keeps where it starts
 * (1-based line and column) so CodeLens can sit above it and engine errors can be mapped back into the file.
 */

export interface SqlStatement {
  /** The statement text without its terminating `;`, trimmed of surrounding whitespace. */
  text: string;
  /** Offsets in the file: [start, end) of `text`. */
  start: number;
  end: number;
  /** 1-based line and column of the first character of `text`. */
  line: number;
  column: number;
  /** 1-based line of the last character of `text`. */
  endLine: number;
}

/** Walks the text and reports each top-level `;` and, for `?`, each parameter placeholder outside strings/comments. */
function scan(sql: string, onCode: (i: number, ch: string) => void): void {
  const n = sql.length;
  let i = 0;
  while (i < n) {
    const ch = sql[i];
    const next = sql[i + 1];
    if (ch === '-' && next === '-') {
      const nl = sql.indexOf('\n', i);
      i = nl < 0 ? n : nl;
      continue;
    }
    if (ch === '/' && next === '*') {
      const close = sql.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
      continue;
    }
    if (ch === "'" || ch === '"' || ch === '`') {
      let j = i + 1;
      for (;;) {
        const k = sql.indexOf(ch, j);
        if (k < 0) {
          j = n;
          break;
        }
        if (sql[k + 1] === ch) {
          j = k + 2; // doubled quote inside the literal
          continue;
        }
        j = k + 1;
        break;
      }
      i = j;
      continue;
    }
    onCode(i, ch);
    i++;
  }
}

/** True when the text holds anything but whitespace and comments. */
function hasCode(text: string): boolean {
  let found = false;
  scan(text, (_i, ch) => {
    if (!/\s/.test(ch)) found = true;
  });
  return found;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1);
  return starts;
}

/** Position (1-based line, column) of an offset, given the line starts. */
function positionOf(starts: number[], offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - starts[lo] + 1 };
}

/** The statements of a SQL file, in order; empty statements (only whitespace/comments) are left out. */
export function splitStatements(sql: string): SqlStatement[] {
  const cuts: number[] = [];
  scan(sql, (i, ch) => {
    if (ch === ';') cuts.push(i);
  });
  cuts.push(sql.length);
  const starts = lineStarts(sql);
  const out: SqlStatement[] = [];
  let from = 0;
  for (const cut of cuts) {
    const raw = sql.slice(from, cut);
    if (hasCode(raw)) {
      const lead = raw.length - raw.trimStart().length;
      const text = raw.trim();
      const start = from + lead;
      const end = start + text.length;
      const p = positionOf(starts, start);
      out.push({ text, start, end, line: p.line, column: p.column, endLine: positionOf(starts, Math.max(start, end - 1)).line });
    }
    from = cut + 1;
  }
  return out;
}

/**
 * The statement a cursor at `offset` means: the one containing it, else the nearest one ending before it on the
 * same or an earlier line (the cursor just after `;` or on a blank line below a statement), else the next one.
 */
export function statementAt(sql: string, offset: number): SqlStatement | undefined {
  const all = splitStatements(sql);
  if (all.length === 0) return undefined;
  const inside = all.find((s) => offset >= s.start && offset <= s.end);
  if (inside) return inside;
  const before = all.filter((s) => s.end <= offset);
  if (before.length) return before[before.length - 1];
  return all[0];
}

/** Number of `?` placeholders outside strings, quoted identifiers and comments. */
export function countPlaceholders(sql: string): number {
  let count = 0;
  scan(sql, (_i, ch) => {
    if (ch === '?') count++;
  });
  return count;
}

/** Leading comment lines of a statement (`-- ...`), e.g. to title a result with the query's own description. */
export function leadingComment(text: string): string | undefined {
  const lines: string[] = [];
  for (const l of text.split('\n')) {
    const m = /^\s*--\s?(.*)$/.exec(l);
    if (!m) break;
    if (m[1].trim() && !/^-+$/.test(m[1].trim())) lines.push(m[1].trim());
  }
  return lines.length ? lines.join(' ') : undefined;
}
