/**
 * The one CSV escaper for every CSV SecML Lab writes (sessions.csv, scores, the comparison export). Text comes from
 * attacker-written logs (session ids, event names, variant names, error messages), so besides RFC 4180 quoting a text
 * cell that a spreadsheet would read as a formula (first character `=`, `+`, `-`, `@`, tab or CR) gets a leading
 * apostrophe and is quoted (OWASP's advice for CSV injection). A plain decimal such as `-5` or `-0.25` is a number, not a
 * formula: it is written as it is, so a negative value stays a number in the spreadsheet.
 */

/** First characters a spreadsheet treats as the start of a formula (or strips before one). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A negative decimal as String(number) writes it: left alone. */
const NEGATIVE_NUMBER = /^-\d+(\.\d+)?(e[-+]?\d+)?$/i;

/** True when a spreadsheet would read this text cell as a formula (a negative number is not one). */
export function readsAsFormula(s: string): boolean {
  return FORMULA_START.test(s) && !NEGATIVE_NUMBER.test(s);
}

/** A text cell per RFC 4180, neutralised (apostrophe, quoted) when a spreadsheet would read it as a formula. */
export function csvCell(s: string): string {
  if (readsAsFormula(s)) return `"'${s.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A cell of any value: text as `csvCell`, finite numbers and booleans as written by String, nothing for null/undefined/NaN. */
export function csvValue(v: string | number | boolean | null | undefined): string {
  if (v === undefined || v === null || (typeof v === 'number' && !Number.isFinite(v))) return '';
  return typeof v === 'string' ? csvCell(v) : String(v);
}
