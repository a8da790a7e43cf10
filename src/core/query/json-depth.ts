/**
 * A guard for DuckDB's JSON reader, which crashes the whole process (a native stack overflow, SIGSEGV) on JSON nested
 * some 100,000 levels deep. Log content is attacker-controlled and DuckDB runs in the extension host, so each file is
 * scanned for its nesting depth (outside strings) before DuckDB sees it. Real CloudTrail nests a few dozen levels.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { isGzipFile } from '../logs/file-bytes';
import { throwIfAborted } from '../progress';

/** Far above any real CloudTrail, far below where DuckDB crashes (between 50,000 and 100,000 levels). */
export const MAX_JSON_DEPTH = 10_000;

/** Results of earlier scans in this process, by path, size and modification time (log files are appended to, not edited). */
const scanned = new Map<string, { key: string; line: number | undefined }>();

/**
 * The 1-based line where the JSON in `file` (gunzipped when it is gzip) first nests deeper than `limit`, else
 * undefined. A corrupt .gz ends the scan quietly: DuckDB reports those cleanly. A file scanned before with the same
 * size and modification time is not read again (the engine re-opens when log files change).
 */
export async function tooDeepLine(file: string, limit = MAX_JSON_DEPTH, signal?: AbortSignal): Promise<number | undefined> {
  const st = await stat(file);
  const key = `${limit}:${st.size}:${st.mtimeMs}`;
  const known = scanned.get(file);
  if (known?.key === key) return known.line;
  const line = await scanDepth(file, limit, signal);
  scanned.set(file, { key, line });
  return line;
}

async function scanDepth(file: string, limit: number, signal?: AbortSignal): Promise<number | undefined> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  const gunzip = (await isGzipFile(file)) ? createGunzip({ chunkSize: 1 << 20 }) : undefined;
  const stream = gunzip ? raw.pipe(gunzip) : raw;
  if (gunzip) raw.on('error', (e) => gunzip.destroy(e));
  let depth = 0;
  let line = 1;
  let inString = false;
  let escaped = false;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      throwIfAborted(signal);
      const n = chunk.length;
      for (let i = 0; i < n; i++) {
        if (inString) {
          // Most bytes of a log are inside strings: jump to the next quote (native search), then look back at escapes.
          if (escaped) {
            escaped = false;
            continue;
          }
          const q = chunk.indexOf(34, i);
          const end = q < 0 ? n : q;
          let backslashes = 0;
          for (let j = end - 1; j >= i && chunk[j] === 92; j--) backslashes++;
          if (q < 0) {
            // The string goes on in the next chunk; an odd run of backslashes at the end escapes its first byte.
            escaped = backslashes % 2 === 1;
            break;
          }
          i = q;
          if (backslashes % 2 === 0) inString = false;
          continue;
        }
        const c = chunk[i];
        if (c === 10) line++;
        else if (c === 34) inString = true;
        else if (c === 123 || c === 91) {
          if (++depth > limit) return line;
        } else if (c === 125 || c === 93) depth--;
      }
    }
  } catch (e) {
    if (!gunzip || (e as NodeJS.ErrnoException).syscall) throw e;
  } finally {
    raw.destroy();
    gunzip?.destroy();
  }
  return undefined;
}
