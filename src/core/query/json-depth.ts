/**
 * A guard for DuckDB's JSON reader, which crashes the whole process (a native stack overflow, SIGSEGV) on JSON nested
 * some 100,000 levels deep. Log content is attacker-controlled and DuckDB runs in the extension host, so each file is
 * scanned for its nesting depth (outside strings) before DuckDB sees it. Real CloudTrail nests a few dozen levels.
 */
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { isGzipFile } from '../logs/file-bytes';
import { throwIfAborted } from '../progress';

/** Far above any real CloudTrail, far below where DuckDB crashes (between 50,000 and 100,000 levels). */
export const MAX_JSON_DEPTH = 10_000;

/**
 * The 1-based line where the JSON in `file` (gunzipped when it is gzip) first nests deeper than `limit`, else
 * undefined. A corrupt .gz ends the scan quietly: DuckDB reports those cleanly.
 */
export async function tooDeepLine(file: string, limit = MAX_JSON_DEPTH, signal?: AbortSignal): Promise<number | undefined> {
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
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i];
        if (c === 10) line++;
        else if (inString) {
          if (escaped) escaped = false;
          else if (c === 92) escaped = true;
          else if (c === 34) inString = false;
        } else if (c === 34) inString = true;
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
