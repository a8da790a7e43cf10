/**
 * A query result as an aligned text table for terminals: NULL printed as NULL (distinct from an empty cell), line
 * breaks and tabs shown as \n and \t so one row stays one line, control characters from log data made visible, long
 * values cut at a width limit.
 */
import type { QueryColumn, QueryValue } from './engine';

export function cellText(value: QueryValue | undefined): string {
  if (value === null || value === undefined) return 'NULL';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Attacker-controlled text must not move the cursor or recolour the terminal.
  return text.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t').replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function cut(text: string, width: number): string {
  return text.length > width ? text.slice(0, width - 1) + '…' : text;
}

export function formatTextTable(columns: QueryColumn[], rows: QueryValue[][], maxWidth = 60): string {
  const cells = rows.map((r) => columns.map((_, i) => cut(cellText(r[i]), maxWidth)));
  const header = columns.map((c) => cut(c.name, maxWidth));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join(' | ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('-+-'), ...cells.map(line)].join('\n');
}
