/**
 * SHA-256 of the input files for the manifest, computed on a worker thread while the main thread parses, so the
 * hash costs no time on a machine with a second core. Falls back to hashing on this thread when workers are not
 * available.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { SecmlError } from '../errors';

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
