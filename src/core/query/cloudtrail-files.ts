/**
 * Finding the CloudTrail files behind the local `cloudtrail` view: files and folders (walked recursively, e.g. an
 * `AWSLogs/...` tree synced from S3), `.json` / `.json.gz` as CloudTrail delivers them (`{"Records":[...]}`), JSON lines
 * (one event per line: `.jsonl`, `.ndjson`, or `.json`), and JSON arrays of events. Folder walks leave out what
 * isSkippedInLogFolder names (CloudTrail digest and Insights files, hidden folders); other JSON is skipped with a reason.
 * Each file also yields the partition values Athena would give its rows (account, region, year, month, day) from the
 * AWSLogs path or the CloudTrail file name. Also: which CloudTrail a workspace means (cloudTrailSources).
 */
import { createReadStream, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { createGunzip } from 'node:zlib';
import { SecmlError } from '../errors';
import { isSkippedInLogFolder } from '../logs/input-files';
import { throwIfAborted, type WorkOptions } from '../progress';
import { MAX_JSON_DEPTH, tooDeepLine } from './json-depth';

export type CloudTrailFileFormat = 'records' | 'lines' | 'array';

export interface CloudTrailFile {
  path: string;
  format: CloudTrailFileFormat;
  bytes: number;
}

export interface FilePartition {
  account?: string;
  region?: string;
  year?: string;
  month?: string;
  day?: string;
}

export interface FoundCloudTrailFiles {
  files: CloudTrailFile[];
  /** Files in the given folders that are not CloudTrail logs (digests, other JSON), with why. */
  skipped: { path: string; reason: string }[];
}

const LOG_EXT = /\.(json|jsonl|ndjson)(\.gz)?$/i;
/** CloudTrail's own delivery name: ACCOUNT_CloudTrail_REGION_YYYYMMDDTHHMMZ_unique.json.gz */
const DELIVERED_NAME = /^(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{4})(\d{2})(\d{2})T\d{4}Z_[A-Za-z0-9]+\.json(\.gz)?$/;
const AWSLOGS_PATH = /(?:^|\/)AWSLogs\/(?:o-[a-z0-9]{10,32}\/)?(\d{12})\/CloudTrail\/([a-z0-9-]+)\/(\d{4})\/(\d{2})\/(\d{2})\//;

/** Partition values from the AWSLogs layout, else from a delivered file's name. */
export function partitionOf(file: string): FilePartition {
  const p = file.split(path.sep).join('/');
  const a = AWSLOGS_PATH.exec(p);
  if (a) return { account: a[1], region: a[2], year: a[3], month: a[4], day: a[5] };
  const n = DELIVERED_NAME.exec(path.basename(file));
  if (n) return { account: n[1], region: n[2], year: n[3], month: n[4], day: n[5] };
  return {};
}

/** Reads up to `limit` bytes from the start of a file, decompressing .gz. */
async function head(file: string, limit = 64 * 1024): Promise<string> {
  const stream = file.toLowerCase().endsWith('.gz') ? createReadStream(file).pipe(createGunzip()) : createReadStream(file, { end: limit - 1 });
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= limit) break;
    }
  } catch (e) {
    if (size === 0) throw e;
  } finally {
    (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
  }
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8');
}

/** What a file holds, judged from its first bytes; a reason string when it is not a CloudTrail log. */
export async function sniffFormat(file: string): Promise<CloudTrailFileFormat | { reason: string }> {
  if (DELIVERED_NAME.test(path.basename(file))) return 'records';
  let text: string;
  try {
    text = (await head(file)).replace(/^\uFEFF/, '');
  } catch (e) {
    const msg = (e as Error).message;
    if ((e as NodeJS.ErrnoException).syscall) return { reason: `cannot be read (${msg})` };
    return { reason: /unexpected end/i.test(msg) ? 'is empty or truncated gzip data' : `is corrupt gzip data (${msg})` };
  }
  const t = text.trimStart();
  if (t === '') return { reason: 'is empty' };
  if (/^\{\s*"Records"\s*:/.test(t)) return 'records';
  if (t.startsWith('[')) return /"event(Name|Time|Version)"\s*:/.test(t) || /^\[\s*\]/.test(t) ? 'array' : { reason: 'is a JSON array without CloudTrail events' };
  if (t.startsWith('{')) {
    if (/^\{\s*"(awsAccountId|digestStartTime|digestEndTime)"/.test(t)) return { reason: 'is a CloudTrail digest file, not a log' };
    const firstLine = t.split('\n', 1)[0];
    if (/"event(Name|Time|Version)"\s*:/.test(firstLine) || /"event(Name|Time|Version)"\s*:/.test(t)) return 'lines';
  }
  return { reason: 'is not CloudTrail JSON ({"Records":[...]}, one event per line, or an array of events)' };
}

async function walk(dir: string, out: string[], signal?: AbortSignal): Promise<void> {
  throwIfAborted(signal);
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (isSkippedInLogFolder(e.name)) continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      await walk(p, out, signal);
    } else if (e.isFile() && LOG_EXT.test(e.name)) {
      out.push(p);
    }
  }
}

const CHECK_CONCURRENCY = 4;

/** `fn` over `items`, at most `limit` at a time; results in the items' order. The first failure rejects. */
async function inOrder<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let k = next++; k < items.length; k = next++) out[k] = await fn(items[k]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * Resolves files and folders to CloudTrail files. A file named directly must be a CloudTrail log (LOG_FORMAT error
 * otherwise); in folders, other JSON is skipped and reported. Missing paths are NOT_FOUND errors.
 */
export async function findCloudTrailFiles(paths: readonly string[], options: WorkOptions = {}): Promise<FoundCloudTrailFiles> {
  const files: CloudTrailFile[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const seen = new Set<string>();
  for (const given of paths) {
    const abs = path.resolve(given);
    let st;
    try {
      st = await fs.stat(abs);
    } catch {
      throw new SecmlError('NOT_FOUND', `CloudTrail path ${given} does not exist.`, { file: given });
    }
    const candidates: string[] = [];
    if (st.isDirectory()) await walk(abs, candidates, options.signal);
    else candidates.push(abs);
    const fresh = candidates.filter((file) => !seen.has(file) && (seen.add(file), true));
    // Each file is sniffed and scanned for its JSON depth: several at once (gunzip runs on libuv's thread pool), in order.
    let checked = 0;
    const checks = await inOrder(fresh, CHECK_CONCURRENCY, async (file) => {
      if (++checked % 200 === 0) {
        throwIfAborted(options.signal);
        options.onProgress?.({ message: `Checking CloudTrail files (${checked}/${fresh.length})`, done: checked, total: fresh.length, unit: 'files' });
      }
      const format = await sniffFormat(file);
      return { format, deep: typeof format === 'string' ? await tooDeepLine(file, MAX_JSON_DEPTH, options.signal) : undefined };
    });
    for (let k = 0; k < fresh.length; k++) {
      const file = fresh[k];
      let { format } = checks[k];
      const { deep } = checks[k];
      if (deep !== undefined) {
        if (!st.isDirectory()) throw new SecmlError('LOG_FORMAT', `JSON nested more than ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels deep; not a CloudTrail log`, { file, line: deep });
        format = { reason: `nests JSON more than ${MAX_JSON_DEPTH.toLocaleString('en-US')} levels deep (line ${deep})` };
      }
      if (typeof format !== 'string') {
        if (!st.isDirectory()) throw new SecmlError('LOG_FORMAT', `the file ${format.reason}.`, { file: given });
        skipped.push({ path: file, reason: format.reason });
        continue;
      }
      const bytes = file === abs ? st.size : (await fs.stat(file)).size;
      files.push({ path: file, format, bytes });
    }
  }
  if (skipped.length) options.logger?.info(`Skipped ${skipped.length} file(s) that are not CloudTrail logs, e.g. ${skipped[0].path} ${skipped[0].reason}.`);
  return { files, skipped };
}

/** Folders named AWSLogs under `root` (at most `depth` levels deep), the default source of local CloudTrail. */
export async function findAwsLogsFolders(root: string, depth = 4): Promise<string[]> {
  const found: string[] = [];
  async function visit(dir: string, level: number): Promise<void> {
    if (level > depth) return;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (!e.isDirectory() || isSkippedInLogFolder(e.name)) continue;
      const p = path.join(dir, e.name);
      if (e.name === 'AWSLogs') found.push(p);
      else await visit(p, level + 1);
    }
  }
  await visit(root, 0);
  return found;
}

/**
 * The CloudTrail files and folders a workspace means: the configured paths (blank ones ignored, relative ones from
 * `root`), else the AWSLogs folders under `root`, else none.
 */
export async function cloudTrailSources(configured: readonly string[], root: string | undefined): Promise<string[]> {
  const given = configured.filter((p) => p.trim());
  if (given.length) return given.map((p) => (path.isAbsolute(p) || !root ? p : path.join(root, p)));
  return root ? findAwsLogsFolders(root) : [];
}
