/** Test helpers: read a flattened variant's CSV files back. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export interface SessionRow {
  label: string;
  values: Record<string, number>;
}

/** sessions.csv as a map from session id to its label and named feature values (ids are plain in our fixtures). */
export function readSessionsCsv(dir: string): { header: string[]; rows: Map<string, SessionRow> } {
  const lines = readFileSync(path.join(dir, 'sessions.csv'), 'utf8').trimEnd().split('\n');
  const header = lines[0].split(',');
  const rows = new Map<string, SessionRow>();
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    const values: Record<string, number> = {};
    header.slice(2).forEach((h, i) => (values[h] = Number(cells[i + 2])));
    rows.set(cells[0], { label: cells[1], values });
  }
  return { header, rows };
}

export function readSplitCsv(dir: string, name: string): number[][] {
  const text = readFileSync(path.join(dir, name), 'utf8');
  return text ? text.trimEnd().split('\n').map((l) => l.split(',').map(Number)) : [];
}

export const FIXTURES = path.resolve(__dirname, '../../fixtures/logs');
