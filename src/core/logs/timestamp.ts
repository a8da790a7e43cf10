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
  if (c4 === 45 /* - */ && len >= 10) return parseIsoLike(s, start, end);
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
