/**
 * Timestamps to milliseconds since the epoch without allocating: ISO 8601 forms (`2019-07-17 02:54:00`,
 * `2023-07-10T11:42:18Z`, `...T11:42:18.123+02:00`), `MM/DD/YYYY HH:MM:SS`, and epoch numbers (seconds below 1e11,
 * else milliseconds). Times without a zone are read as UTC. Anything else falls back to `Date.parse`.
 * Returns NaN when the text is not a time.
 */

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(y: number, m: number, d: number): number {
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function digits(s: string, i: number, n: number): number {
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

const MONTH_DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1 || d > MONTH_DAYS[mo - 1]) return false;
  if (mo === 2 && d === 29) return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return true;
}

/** Parses `s[start, end)`. */
export function parseTimestamp(s: string, start = 0, end = s.length): number {
  while (start < end && s.charCodeAt(start) === 32) start++;
  while (end > start && s.charCodeAt(end - 1) === 32) end--;
  const len = end - start;
  if (len === 0) return NaN;
  const c4 = len > 4 ? s.charCodeAt(start + 4) : 0;
  if (c4 === 45 /* - */ && len >= 10) {
    const fast = len >= 19 ? isoDateTimeFast(s, start, end) : NaN;
    return fast === fast ? fast : parseIsoLike(s, start, end);
  }
  const c2 = len > 2 ? s.charCodeAt(start + 2) : 0;
  if (c2 === 47 /* / */ && len >= 10) {
    const mo = digits(s, start, 2);
    const d = digits(s, start + 3, 2);
    const y = digits(s, start + 6, 4);
    if (mo >= 0 && d >= 0 && y >= 0 && s.charCodeAt(start + 5) === 47 && validDate(y, mo, d)) {
      return withClock(s, start + 10, end, daysFromCivil(y, mo, d) * 86400000);
    }
  }
  const first = s.charCodeAt(start);
  if ((first >= 48 && first <= 57) || first === 45) {
    const text = s.slice(start, end);
    if (/^-?\d+(\.\d+)?$/.test(text)) {
      const v = Number(text);
      return Math.abs(v) < 1e11 ? v * 1000 : v;
    }
  }
  return Date.parse(s.slice(start, end));
}

let cachedDateKey = -1;
let cachedDateMs = 0;

/**
 * The common shape `YYYY-MM-DD[ T]HH:MM:SS[.fff][Z]` on bytes (any number of fraction digits, milliseconds kept),
 * the date and clock read by seedDateTimeBytes. NaN when the bytes have another shape.
 */
function isoDateTimeBytes(b: Uint8Array, i: number, end: number): number {
  if (end - i < 19) return NaN;
  let ms = 0;
  let j = i + 19;
  if (j < end && b[j] === 46) {
    j++;
    let scale = 100;
    const fracStart = j;
    while (j < end) {
      const c = b[j] - 48;
      if ((c >>> 0) > 9) break;
      if (scale >= 1) ms += c * scale;
      scale /= 10;
      j++;
    }
    if (j === fracStart) return NaN;
  }
  if (j < end && b[j] === 90 /* Z */) j++;
  if (j !== end) return NaN;
  return seedDateTimeBytes(b, i, false) + ms;
}

/**
 * `YYYY-MM-DD HH:MM:SS` (`long`: then `.fff`) at `i`, the seed's shape, in straight-line code, or NaN (the day
 * number is cached, since consecutive log rows mostly share a date). The digit checks are combined: a byte minus 48
 * is a digit iff it is in 0..15 (no bit above the low four) and adding 6 does not reach 16 (bit 4).
 */
export function seedDateTimeBytes(b: Uint8Array, i: number, long: boolean): number {
  const y0 = b[i] - 48;
  const y1 = b[i + 1] - 48;
  const y2 = b[i + 2] - 48;
  const y3 = b[i + 3] - 48;
  const m0 = b[i + 5] - 48;
  const m1 = b[i + 6] - 48;
  const d0 = b[i + 8] - 48;
  const d1 = b[i + 9] - 48;
  const h0 = b[i + 11] - 48;
  const h1 = b[i + 12] - 48;
  const n0 = b[i + 14] - 48;
  const n1 = b[i + 15] - 48;
  const s0 = b[i + 17] - 48;
  const s1 = b[i + 18] - 48;
  let all = y0 | y1 | y2 | y3 | m0 | m1 | d0 | d1 | h0 | h1 | n0 | n1 | s0 | s1;
  let plus6 = (y0 + 6) | (y1 + 6) | (y2 + 6) | (y3 + 6) | (m0 + 6) | (m1 + 6) | (d0 + 6) | (d1 + 6) | (h0 + 6) | (h1 + 6) | (n0 + 6) | (n1 + 6) | (s0 + 6) | (s1 + 6);
  let ms = 0;
  if (long) {
    const f0 = b[i + 20] - 48;
    const f1 = b[i + 21] - 48;
    const f2 = b[i + 22] - 48;
    all |= f0 | f1 | f2;
    plus6 |= (f0 + 6) | (f1 + 6) | (f2 + 6);
    if (b[i + 19] !== 46) return NaN;
    ms = f0 * 100 + f1 * 10 + f2;
  }
  if ((all & ~15) !== 0 || (plus6 & 16) !== 0) return NaN;
  const sep = b[i + 10];
  if (b[i + 4] !== 45 || b[i + 7] !== 45 || (sep !== 32 && sep !== 84) || b[i + 13] !== 58 || b[i + 16] !== 58) return NaN;
  const h = h0 * 10 + h1;
  const mi = n0 * 10 + n1;
  const sec = s0 * 10 + s1;
  if (h > 23 || mi > 59 || sec > 59) return NaN;
  const y = y0 * 1000 + y1 * 100 + y2 * 10 + y3;
  const mo = m0 * 10 + m1;
  const d = d0 * 10 + d1;
  const key = y * 10000 + mo * 100 + d;
  if (key !== cachedDateKey) {
    if (!validDate(y, mo, d)) return NaN;
    cachedDateMs = daysFromCivil(y, mo, d) * 86400000;
    cachedDateKey = key;
  }
  return cachedDateMs + h * 3600000 + mi * 60000 + sec * 1000 + ms;
}

const scratch = new Uint8Array(64);

/** The ISO fast path for a string range (copied to bytes; only ASCII can match). */
function isoDateTimeFast(s: string, i: number, end: number): number {
  const n = end - i;
  if (n > 64) return NaN;
  for (let k = 0; k < n; k++) {
    const c = s.charCodeAt(i + k);
    if (c > 127) return NaN;
    scratch[k] = c;
  }
  return isoDateTimeBytes(scratch, 0, n);
}

/** Parses bytes `b[start, end)` (ASCII/UTF-8); the ISO fast path without decoding, anything else via the string parser. */
export function parseTimestampBytes(b: Buffer, start: number, end: number): number {
  while (start < end && b[start] === 32) start++;
  while (end > start && b[end - 1] === 32) end--;
  if (end - start >= 19 && b[start + 4] === 45) {
    const t = isoDateTimeBytes(b, start, end);
    if (t === t) return t;
  }
  return parseTimestamp(b.toString('utf8', start, end));
}

function parseIsoLike(s: string, start: number, end: number): number {
  const y = digits(s, start, 4);
  const mo = digits(s, start + 5, 2);
  const d = digits(s, start + 8, 2);
  if (y < 0 || mo < 0 || d < 0 || s.charCodeAt(start + 7) !== 45) return Date.parse(s.slice(start, end));
  if (!validDate(y, mo, d)) return NaN;
  return withClock(s, start + 10, end, daysFromCivil(y, mo, d) * 86400000);
}

/** Parses an optional `[ T]HH:MM[:SS[.fff]][Z|±HH[:MM]]` at `i`, added to `base` (ms of the date). */
function withClock(s: string, i: number, end: number, base: number): number {
  if (i === end) return base;
  const sep = s.charCodeAt(i);
  if (sep !== 32 && sep !== 84 /* T */) return NaN;
  i++;
  const h = digits(s, i, 2);
  const mi = digits(s, i + 3, 2);
  if (h < 0 || mi < 0 || h > 24 || mi > 59 || s.charCodeAt(i + 2) !== 58) return NaN;
  let ms = h * 3600000 + mi * 60000;
  i += 5;
  if (i < end && s.charCodeAt(i) === 58) {
    const sec = digits(s, i + 1, 2);
    if (sec < 0 || sec > 60) return NaN;
    ms += sec * 1000;
    i += 3;
    if (i < end && (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44)) {
      i++;
      let scale = 100;
      let frac = 0;
      while (i < end) {
        const c = s.charCodeAt(i) - 48;
        if (c < 0 || c > 9) break;
        frac += c * scale;
        scale /= 10;
        i++;
      }
      ms += Math.floor(frac + 1e-9);
    }
  }
  while (i < end && s.charCodeAt(i) === 32) i++;
  if (i === end) return base + ms;
  const z = s.charCodeAt(i);
  if (z === 90 /* Z */ && i + 1 === end) return base + ms;
  if (z === 43 || z === 45) {
    const oh = digits(s, i + 1, 2);
    if (oh < 0) return NaN;
    let j = i + 3;
    if (j < end && s.charCodeAt(j) === 58) j++;
    const om = j < end ? digits(s, j, 2) : 0;
    if (om < 0 || (j < end && j + 2 !== end)) return NaN;
    const off = (oh * 60 + om) * 60000;
    return base + ms - (z === 43 ? off : -off);
  }
  if (s.slice(i, end) === 'UTC' || s.slice(i, end) === 'GMT') return base + ms;
  return NaN;
}
