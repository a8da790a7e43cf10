/** The one-line summary of a finished query run, as the results panel shows it under the toolbar. */
import type { QueryStats } from './engine';
import { describeAthenaScan } from './scan-cost';

/**
 * The summary line: rows (with a filter, "N rows matching (of M)"), time, engine, and on Athena data scanned and cost.
 * `matching` is the filtered row count, when a filter is set.
 */
export function describeStats(s: QueryStats, truncated: boolean, loaded: number, matching?: number): string {
  const count = (n: number) => `${n.toLocaleString('en-US')} row${n === 1 ? '' : 's'}`;
  const held = loaded.toLocaleString('en-US');
  let rows = truncated ? `first ${held} rows (more in Export CSV)` : count(s.rows);
  if (matching !== undefined) rows = `${count(matching)} matching (of ${truncated ? `the first ${held}; more in Export CSV` : s.rows.toLocaleString('en-US')})`;
  const parts = [rows, `${(s.elapsedMs / 1000).toFixed(2)} s`, s.engine === 'athena' ? 'Athena' : 'DuckDB'];
  if (s.bytesScanned !== undefined) parts.push(...describeAthenaScan(s.bytesScanned, s.costUsd));
  return parts.join(' · ');
}
