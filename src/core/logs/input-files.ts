/** Expands the files and folders a user gave into the log files to read: folders recursively, in name order. */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SecmlError } from '../errors';
import type { LogFormat } from './log-event';

export interface InputFile {
  path: string;
  size: number;
}

const TEXT_LOG = /\.(txt|tsv|csv|log)(\.gz)?$/i;
const JSON_LOG = /\.(json|jsonl|ndjson)(\.gz)?$/i;

/**
 * CloudTrail deliveries that are not API-call records: digest files (hashes of log files, in `CloudTrail-Digest/`,
 * named `<account>_CloudTrail-Digest_...`) and Insights events (in `CloudTrail-Insight/`, `<account>_CloudTrail-Insight_...`).
 */
const CLOUDTRAIL_NOT_RECORDS = /^CloudTrail-(Digest|Insight)$|_CloudTrail-(Digest|Insight)_/;

/**
 * Entries a folder walk never enters or reads, whatever the format: hidden ones, node_modules, and CloudTrail
 * digest and Insights folders and files. Shared by every walk over log folders (flatten, scoring, analytics, query).
 */
export function isSkippedInLogFolder(name: string): boolean {
  return name.startsWith('.') || name === 'node_modules' || CLOUDTRAIL_NOT_RECORDS.test(name);
}

/** Which files a folder contributes for a format (a file named explicitly is always read). */
export function isLogFileName(name: string, format?: LogFormat): boolean {
  if (format === 'cloudtrail') return JSON_LOG.test(name);
  if (format === 'seed' || format === 'csv') return TEXT_LOG.test(name);
  return TEXT_LOG.test(name) || JSON_LOG.test(name);
}

async function walk(dir: string, format: LogFormat | undefined, out: InputFile[]): Promise<void> {
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (isSkippedInLogFolder(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) await walk(p, format, out);
    else if (e.isFile() && isLogFileName(e.name, format)) out.push({ path: p, size: (await fs.stat(p)).size });
  }
}

/** Resolves inputs to files. Missing inputs and folders with no log files are clear errors. */
export async function listInputFiles(inputs: string[], format?: LogFormat): Promise<InputFile[]> {
  if (inputs.length === 0) throw new SecmlError('BAD_ARGUMENT', 'No input files or folders given.');
  const out: InputFile[] = [];
  for (const input of inputs) {
    const abs = path.resolve(input);
    let st;
    try {
      st = await fs.stat(abs);
    } catch {
      throw new SecmlError('NOT_FOUND', `${input}: no such file or folder`);
    }
    if (st.isDirectory()) {
      const before = out.length;
      await walk(abs, format, out);
      if (out.length === before) {
        const kinds = format === 'cloudtrail' ? '.json, .json.gz, .jsonl' : format ? '.txt, .tsv, .csv, .log (optionally .gz)' : 'log files';
        throw new SecmlError('NO_SESSIONS', `${input}: the folder holds no ${kinds}`);
      }
    } else if (st.isFile()) {
      out.push({ path: abs, size: st.size });
    } else {
      // A FIFO blocks until a writer comes; a device may never end.
      throw new SecmlError('BAD_ARGUMENT', `${input}: not a regular file or folder (a pipe, socket or device); copy the log to a file first`);
    }
  }
  return out;
}
