/** Log format detection by content (never by file name alone), and the header a mapped CSV would offer. */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { LogFormatError } from '../errors';
import { detectDelimiter, splitHeader } from './csv-reader';
import { fileBytes } from './file-bytes';
import { listInputFiles } from './input-files';
import type { LogFormat } from './log-event';
import { SEED_COLUMNS, seedLayout } from './seed-format';
import { parseTimestamp } from './timestamp';

export interface LogSniff {
  format: LogFormat;
  /** The file that was looked at (the first log file of a folder). */
  file: string;
  /** For delimited text: the header's column names and the delimiter. */
  columns?: string[];
  delimiter?: string;
}

const HEAD_BYTES = 64 * 1024;

async function headText(file: string): Promise<string> {
  const parts: Buffer[] = [];
  let n = 0;
  try {
    for await (const chunk of fileBytes(file)) {
      parts.push(chunk);
      n += chunk.length;
      if (n >= HEAD_BYTES) break;
    }
  } catch (e) {
    // A truncated gzip still has a readable head; only fail when nothing was read.
    if (n === 0) throw e;
  }
  let text = Buffer.concat(parts).toString('utf8', 0, Math.min(n, HEAD_BYTES));
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/** Looks at a file (or the first log file of a folder) and says which format it is in. */
export async function sniffLogFile(fileOrDir: string): Promise<LogSniff> {
  let file = path.resolve(fileOrDir);
  if ((await fs.stat(file).catch(() => undefined))?.isDirectory()) file = (await listInputFiles([file]))[0].path;
  const text = await headText(file);
  const trimmed = text.trimStart();
  if (trimmed === '') throw new LogFormatError('the file is empty', file, 1);
  if (trimmed[0] === '{' || trimmed[0] === '[') {
    if (/"Records"\s*:/.test(trimmed) || (/"eventName"\s*:/.test(trimmed) && /"eventSource"\s*:/.test(trimmed))) return { format: 'cloudtrail', file };
    throw new LogFormatError('JSON, but not CloudTrail (no "Records", "eventSource" or "eventName")', file, 1);
  }
  const lines = text.split('\n');
  const firstLine = (lines.find((l) => l.trim() !== '') ?? '').replace(/\r$/, '');
  const seed = seedLayout(firstLine);
  if (seed?.header) return { format: 'seed', file, columns: firstLine.split('\t'), delimiter: '\t' };
  if (seed && looksLikeSeedRow(firstLine.split('\t'))) return { format: 'seed', file, columns: SEED_COLUMNS, delimiter: '\t' };
  const delimiter = detectDelimiter(firstLine);
  return { format: 'csv', file, columns: splitHeader(firstLine, delimiter), delimiter };
}

/** The format of a file or folder, by content. */
export async function detectFormat(fileOrDir: string): Promise<LogFormat> {
  return (await sniffLogFile(fileOrDir)).format;
}

/** A headerless row in the seed's column order: numeric session, a time, a 0/1 label. */
function looksLikeSeedRow(f: string[]): boolean {
  return /^\d+$/.test(f[0]) && !Number.isNaN(parseTimestamp(f[1])) && (f[6] === '0' || f[6] === '1');
}
