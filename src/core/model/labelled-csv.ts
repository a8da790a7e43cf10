/**
 * Fast loader for label-first CSV (SageMaker built-in XGBoost's convention: no header, label in the first column,
 * then the features) into flat typed arrays. An empty field (or nan/NaN) is a missing value (NaN).
 * Malformed rows are errors naming `file:line`.
 */
import { promises as fs } from 'node:fs';
import { LogFormatError, SecmlError } from '../errors';

export interface LabelledMatrix {
  /** Row-major features, rows x cols; NaN = missing. */
  x: Float32Array;
  /** One label per row, 0 or 1. */
  y: Float32Array;
  rows: number;
  cols: number;
}

const COMMA = 44, LF = 10, CR = 13, DOT = 46, MINUS = 45, PLUS = 43, ZERO = 48, NINE = 57;
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** Reads a label-first CSV file. `cols` (feature count) is checked when given, otherwise taken from the first row. */
export async function readLabelledCsv(file: string, cols?: number): Promise<LabelledMatrix> {
  let buf: Buffer;
  try {
    buf = await fs.readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SecmlError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO', code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? (e as Error).message})`, { file, cause: e });
  }
  return parseLabelledCsv(buf, file, cols);
}

function countFields(buf: Uint8Array, start: number, end: number): number {
  let n = 1;
  for (let i = start; i < end; i++) if (buf[i] === COMMA) n++;
  return n;
}

function lineEnd(buf: Uint8Array, start: number): number {
  let e = buf.indexOf(LF, start);
  if (e < 0) e = buf.length;
  return e;
}

/** Parses label-first CSV bytes; `file` only names the source in errors. */
export function parseLabelledCsv(buf: Uint8Array, file: string, cols?: number): LabelledMatrix {
  let pos = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let capacity = 1;
  for (let i = buf.indexOf(LF, pos); i >= 0; i = buf.indexOf(LF, i + 1)) capacity++;
  // Column count from the first non-empty line.
  if (cols === undefined) {
    for (let s = pos; s < buf.length; ) {
      let e = lineEnd(buf, s);
      const next = e + 1;
      if (e > s && buf[e - 1] === CR) e--;
      if (e > s) {
        cols = countFields(buf, s, e) - 1;
        break;
      }
      s = next;
    }
    cols ??= 0;
  }
  const F = cols;
  const x = new Float32Array(capacity * F);
  const y = new Float32Array(capacity);
  const decoder = new TextDecoder();
  let rows = 0;
  for (let line = 1; pos < buf.length; line++) {
    let end = lineEnd(buf, pos);
    const next = end + 1;
    if (end > pos && buf[end - 1] === CR) end--;
    if (end > pos) {
      let field = 0;
      let i = pos;
      const base = rows * F;
      while (true) {
        // Parse one field [i, j).
        let j = i;
        let v: number;
        let neg = false;
        let k = i;
        if (buf[k] === MINUS) { neg = true; k++; } else if (buf[k] === PLUS) k++;
        let mant = 0, digits = 0, frac = -1;
        for (; k < end; k++) {
          const c = buf[k];
          if (c >= ZERO && c <= NINE) { mant = mant * 10 + (c - ZERO); digits++; if (frac >= 0) frac++; }
          else if (c === DOT && frac < 0) frac = 0;
          else break;
        }
        if ((k === end || buf[k] === COMMA) && digits > 0 && digits <= 15) {
          v = frac > 0 ? mant / POW10[frac] : mant;
          if (neg) v = -v;
          j = k;
        } else {
          j = k;
          while (j < end && buf[j] !== COMMA) j++;
          const text = decoder.decode(buf.subarray(i, j)).trim();
          v = parseSlowNumber(text);
          if (Number.isNaN(v) && !isMissingToken(text)) {
            if (line === 1 && rows === 0 && field === 0) {
              throw new LogFormatError(`the first row looks like a header ("${clip(text)}"): expected label-first CSV without a header (label in the first column, then ${F} features)`, file, line);
            }
            throw new LogFormatError(`value ${field + 1} ("${clip(text)}") is not a finite number`, file, line);
          }
        }
        if (field === 0) {
          if (v !== 0 && v !== 1) throw new LogFormatError(`label must be 0 or 1, got "${clip(decoder.decode(buf.subarray(i, j)))}"`, file, line);
          y[rows] = v;
        } else if (field <= F) {
          x[base + field - 1] = v;
        }
        field++;
        if (j >= end) break;
        i = j + 1;
      }
      if (field !== F + 1) {
        throw new LogFormatError(`expected ${F + 1} comma-separated values (label, then ${F} features), found ${field}`, file, line);
      }
      rows++;
    }
    pos = next;
  }
  return { x: rows === capacity ? x : x.slice(0, rows * F), y: rows === capacity ? y : y.slice(0, rows), rows, cols: F };
}

function isMissingToken(text: string): boolean {
  return text === '' || /^(nan|na|null|\?)$/i.test(text);
}

function parseSlowNumber(text: string): number {
  if (isMissingToken(text)) return NaN;
  const v = Number(text);
  return Number.isFinite(v) ? v : NaN;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
