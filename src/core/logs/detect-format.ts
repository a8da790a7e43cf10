/** Log format detection by content (never by file name alone), and the header a mapped CSV would offer. */
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { LogFormatError } from '../errors';
import { detectDelimiter, splitHeader } from './csv-reader';
import { fileBytes, ioError, refuseUtf16 } from './file-bytes';
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

/** The first HEAD_BYTES of a plain file in one read; undefined for gzip (its magic number), read by `headText`. */
async function plainHead(file: string): Promise<Buffer | undefined> {
  let fh: FileHandle | undefined;
  try {
    fh = await fs.open(file, 'r');
    const b = Buffer.allocUnsafe(HEAD_BYTES);
    const { bytesRead } = await fh.read(b, 0, HEAD_BYTES, 0);
    return bytesRead >= 2 && b[0] === 0x1f && b[1] === 0x8b ? undefined : b.subarray(0, bytesRead);
  } catch (e) {
    throw ioError(file, e);
  } finally {
    await fh?.close();
  }
}

async function headText(file: string): Promise<string> {
  const plain = await plainHead(file);
  if (plain) return decodeHead(file, plain, plain.length);
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
  return decodeHead(file, Buffer.concat(parts), Math.min(n, HEAD_BYTES));
}

function decodeHead(file: string, b: Buffer, n: number): string {
  refuseUtf16(file, b.subarray(0, n));
  const text = b.toString('utf8', 0, n);
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Looks at a file (or the first log file of a folder) and says which format it is in. */
export async function sniffLogFile(fileOrDir: string): Promise<LogSniff> {
  let file = path.resolve(fileOrDir);
  file = (await listInputFiles([file]))[0].path;
  const text = await headText(file);
  const trimmed = text.trimStart();
  if (trimmed === '') throw new LogFormatError('the file is empty', file, 1);
  if (looksBinary(text)) throw new LogFormatError('binary data, not a text log (compressed other than gzip, an image, an executable?)', file, 1);
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

/**
 * True when over a tenth of the head is NUL, other control characters or invalid UTF-8: then the "columns" a
 * delimited-text reading would show are garbage. A text log with a few stray binary bytes stays readable.
 */
function looksBinary(head: string): boolean {
  let bad = 0;
  for (let i = 0; i < head.length; i++) {
    const c = head.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) || c === 0xfffd) bad++;
  }
  return bad * 10 > head.length;
}

/** A headerless row in the seed's column order: numeric session, a time, a 0/1 label. */
function looksLikeSeedRow(f: string[]): boolean {
  return /^\d+$/.test(f[0]) && !Number.isNaN(parseTimestamp(f[1])) && (f[6] === '0' || f[6] === '1');
}
