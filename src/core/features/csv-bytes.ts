/**
 * CSV cells as bytes, without intermediate strings: non-negative integers, feature values with at most 3 decimals, and
 * text cells from the log (session ids, column names), quoted per RFC 4180 and, when they start like a spreadsheet
 * formula, prefixed with an apostrophe so that opening sessions.csv in a spreadsheet never runs attacker-written
 * formulas (the rules are `csvCell`'s, in ../csv-cell.ts).
 */
import { csvCell } from '../csv-cell';

/** ASCII without quotes, commas, control characters or a leading formula character: its cell is the text itself. */
export function isPlainAscii(s: string): boolean {
  if (s.length === 0) return true;
  const c0 = s.charCodeAt(0);
  if (c0 === 61 || c0 === 43 || c0 === 45 || c0 === 64) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 32 || c > 126 || c === 34 || c === 44) return false;
  }
  return true;
}

/** Writes a text cell's bytes (as `csvCell` spells it, UTF-8) into `out` at `at`; returns the new position. */
export function putTextCell(out: Buffer, at: number, s: string): number {
  if (!isPlainAscii(s)) return at + out.write(csvCell(s), at, 'utf8');
  for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  return at + s.length;
}

/** Bytes a text cell may take (UTF-8 of at most 3 bytes a UTF-16 unit, doubled quotes, quotes and an apostrophe). */
export function maxTextCellBytes(s: string): number {
  return s.length * 6 + 4;
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

/** The largest value whose thousandths fit a 31-bit integer (the fast path of putNumber). */
const SMALL_NUMBER = 2147483.6;

/** A feature value with at most 3 decimals, shortest form (`12.5`, `0.333`, `7`); negatives and huge values via String. */
export function putNumber(out: Uint8Array, at: number, v: number): number {
  if (v >= 0 && v < SMALL_NUMBER) {
    // Integer arithmetic gives the same digits as the general path below for these values.
    const milli = Math.round(v * 1000);
    const whole = (milli / 1000) | 0;
    const frac = milli - whole * 1000;
    at = putUint(out, at, whole);
    if (frac === 0) return at;
    out[at] = 46;
    out[at + 1] = 48 + ((frac / 100) | 0);
    if (frac % 100 === 0) return at + 2;
    out[at + 2] = 48 + (((frac / 10) | 0) % 10);
    if (frac % 10 === 0) return at + 3;
    out[at + 3] = 48 + (frac % 10);
    return at + 4;
  }
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
