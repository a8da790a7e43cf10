/**
 * CSV text for query values, with the convention every export follows (DuckDB's COPY and Athena's own files agree):
 * SQL NULL is an empty unquoted field, an empty string is "" , and a field is quoted when it holds a comma, a quote,
 * a line break or surrounding spaces. Nested values (structs, lists) are written as their JSON text.
 */
import type { QueryValue } from './engine';

export function csvField(value: QueryValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (text === '' || /[",\r\n]/.test(text) || text !== text.trim()) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

export function csvRow(values: readonly (QueryValue | undefined)[]): string {
  return values.map(csvField).join(',') + '\n';
}
