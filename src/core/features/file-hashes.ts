/**
 * SHA-256 of the input files for the manifest. Inputs up to INLINE_HASH_BYTES are hashed on this thread from the
 * very bytes the reader reads (`InlineFileHashes`, fed through the engine's `onFileBytes`): about 0.7 ms a MB, less
 * than starting a worker thread costs, and no second read of the files. Larger inputs are hashed on a worker thread
 * while the main thread parses (`hashFilesInBackground`), which falls back to this thread when workers are not
 * available.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { SecmlError } from '../errors';
import type { InputFile } from '../logs/input-files';

const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
(async () => {
  const out = {};
  for (const f of workerData) {
    const h = createHash('sha256');
    for await (const chunk of createReadStream(f, { highWaterMark: 1 << 20 })) h.update(chunk);
    out[f] = h.digest('hex');
  }
  parentPort.postMessage({ hashes: out });
})().catch((e) => parentPort.postMessage({ error: String(e && e.message || e) }));
`;

export async function sha256OfFile(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Up to this many bytes of input, hashing inline is cheaper than a worker thread (which also reads the files again). */
export const INLINE_HASH_BYTES = 64 << 20;

/**
 * Hashes files from the chunks a reader reads, in order. A file that was not read to its end (the reader stopped
 * early, e.g. at corrupt gzip data) or whose size changed is hashed again from disk by `digests`.
 */
export class InlineFileHashes {
  private readonly running = new Map<InputFile, { hash: Hash; bytes: number }>();

  /** Feeds a chunk of a file's raw bytes (in file order). */
  update = (file: InputFile, chunk: Buffer): void => {
    let h = this.running.get(file);
    if (!h) this.running.set(file, (h = { hash: createHash('sha256'), bytes: 0 }));
    h.hash.update(chunk);
    h.bytes += chunk.length;
  };

  /** Path -> hex SHA-256 for every file. */
  async digests(files: InputFile[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const f of files) {
      const h = this.running.get(f);
      out.set(f.path, h && h.bytes === f.size ? h.hash.digest('hex') : await sha256OfFile(f.path));
      this.running.delete(f);
    }
    return out;
  }
}

export interface BackgroundHashes {
  /** Resolves to path -> hex SHA-256. */
  result: Promise<Map<string, string>>;
  cancel(): void;
}

export function hashFilesInBackground(paths: string[]): BackgroundHashes {
  let worker: Worker | undefined;
  try {
    worker = new Worker(WORKER, { eval: true, workerData: paths });
  } catch {
    worker = undefined;
  }
  if (!worker) {
    const result = (async () => new Map(await Promise.all(paths.map(async (p) => [p, await sha256OfFile(p)] as [string, string]))))();
    return { result, cancel() {} };
  }
  const w = worker;
  const result = new Promise<Map<string, string>>((resolve, reject) => {
    w.once('message', (m: { hashes?: Record<string, string>; error?: string }) => {
      if (m.hashes) resolve(new Map(Object.entries(m.hashes)));
      else reject(new SecmlError('IO', `Could not hash the input files: ${m.error}`));
      void w.terminate();
    });
    w.once('error', (e) => reject(new SecmlError('IO', `Could not hash the input files: ${e.message}`, { cause: e })));
    w.once('exit', (code) => {
      if (code !== 0) reject(new SecmlError('CANCELLED', 'Cancelled.'));
    });
  });
  result.catch(() => {});
  return { result, cancel: () => void w.terminate() };
}
