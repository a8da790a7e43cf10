/**
 * `<file>.scores.csv`: one row per session in rank order (`session,probability,flagged[,label]`), written atomically and
 * never over an existing file unless asked. Session ids come from the logs: they are written by `csvCell` (RFC 4180
 * quoting, formulas neutralised).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SecmlError } from '../errors';
import { csvCell } from '../csv-cell';
import { writeFileAtomic } from '../fs-atomic';
import type { ScoreResult } from './score-logs';

export const SCORES_SUFFIX = '.scores.csv';

/** `<input>.scores.csv` beside the input (a folder's goes beside the folder), or in `folder` when given. */
export function defaultScoresPath(input: string, folder?: string): string {
  const abs = path.resolve(input);
  const name = `${path.basename(abs)}${SCORES_SUFFIX}`;
  return path.join(folder ?? path.dirname(abs), name);
}

const bits = new Float32Array(1);
/** The shortest decimal that reads back as the same float32. */
export function probabilityText(p: number): string {
  if (!Number.isFinite(p)) return '';
  bits[0] = p;
  const f = bits[0];
  for (let digits = 6; digits < 9; digits++) {
    const t = Number(p.toPrecision(digits));
    if (Math.fround(t) === f) return String(t);
  }
  return String(Number(p.toPrecision(9)));
}

export function scoresCsvText(r: ScoreResult): string {
  const withLabel = r.table.labels !== null;
  const lines: string[] = [withLabel ? 'session,probability,flagged,label' : 'session,probability,flagged'];
  const { sessions, labels } = r.table;
  for (let k = 0; k < r.order.length; k++) {
    const i = r.order[k];
    const p = r.scores[i];
    let line = `${csvCell(sessions[i].id)},${probabilityText(p)},${p >= r.threshold ? 1 : 0}`;
    if (withLabel) line += labels![i] >= 0 ? `,${labels![i]}` : ',';
    lines.push(line);
  }
  return lines.join('\n') + '\n';
}

export interface WriteScoresOptions {
  /** Replace an existing file (default: refuse with CONFLICT). */
  overwrite?: boolean;
}

export async function writeScoresCsv(r: ScoreResult, file: string, opts: WriteScoresOptions = {}): Promise<{ file: string; rows: number }> {
  const target = path.resolve(file);
  if (!opts.overwrite && (await fs.stat(target).then(() => true, () => false))) {
    throw new SecmlError('CONFLICT', 'already exists: choose another file, or allow overwriting it (secml score --force).', { file: target });
  }
  await writeFileAtomic(target, scoresCsvText(r));
  return { file: target, rows: r.order.length };
}
