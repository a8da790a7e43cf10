/**
 * The flatten's second thread. With several variants over a large input, a worker thread reads the same logs and
 * writes part of the variants while the main thread writes the others: each thread holds its own session table (the
 * memory of the tables doubles), and the wall time drops to about the read plus half of the variants' work. Both
 * threads read the same bytes with the same options, so they find the same sessions, vocabulary and splits; the
 * worker reports its figures and the main thread checks them before it writes the manifests.
 *
 * Below SHARD_MIN_BYTES the worker costs more than it saves: in a short run V8 already uses the second core to
 * compile the hot code (at the seed's 256k rows, two threads of three variants each take longer than one of six).
 * Above it, the gain is bounded by the read, which both threads do: 1.16x to 1.3x on 2 cores. (Reading once and relaying
 * the resolved rows to the worker was tried and measured: copying, posting and the worker's catching up cost what the
 * shared read saves, 1.05-1.15x at 594 MB.)
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { cancelledError, SecmlError } from '../errors';
import type { ReaderOptions } from '../logs/log-event';
import { fromWorkerError, workerScript, type WorkerErrorMessage } from '../worker-script';
import type { VariantCounts } from './dataset-writer';
import type { FlatTables } from './flatten-engine';
import { flattenIntoFolders, type VariantsJob } from './variant-folders';
import { needsSessionLength, type VariantSpec } from './variants';

/**
 * Inputs below this many bytes (on disk) are flattened on one thread. Measured with the six seed variants on 2 cores:
 * 44 MB 5-20% slower on two threads, 86 MB 6% faster, 594 MB 16-30% faster (runs vary on this shared machine).
 */
export const SHARD_MIN_BYTES = 128 << 20;
/** Partitions are searched exhaustively up to this many variants (else the plan is greedy). */
const EXHAUSTIVE_VARIANTS = 16;

export interface ShardJob extends VariantsJob {
  /** The staging folder; each variant goes to a sub-folder named after it. */
  stage: string;
}

/** What the second thread found, for the main thread to check against its own tables. */
export interface ShardCheck {
  events: [number, number];
  sessions: number;
  features: string[];
  skipped: number;
}

export interface ShardResult {
  counts: VariantCounts[];
  check: ShardCheck;
}

export type ShardMessage = { type: 'done'; result: ShardResult } | { type: 'error'; error: WorkerErrorMessage };

export function shardCheck(tables: FlatTables): ShardCheck {
  return { events: tables.events, sessions: tables.sessions.count, features: tables.features, skipped: tables.skipped.count };
}

/** The second thread read the same input: it must have found the same events, sessions and feature columns (unless a file changed meanwhile). */
export function checkShard(mine: ShardCheck, check: ShardCheck): void {
  if (JSON.stringify(mine) !== JSON.stringify(check)) {
    const what = (c: ShardCheck) => `${c.events[0] + c.events[1]} events, ${c.sessions} sessions, ${c.features.length} features`;
    throw new SecmlError('IO', `The two flatten threads read different input (${what(mine)} vs ${what(check)}): was a file still being written? Flatten it again once it is complete, or on one thread (--threads 1, setting secml.flatten.threads).`);
  }
}

/**
 * Which variants the worker takes (indexes into `variants`), or none. `threads`: 1 forces one thread, 2 forces two
 * (when there are at least two variants); undefined decides by input size, gap sessionization and cores.
 */
export function shardPlan(variants: VariantSpec[], reader: ReaderOptions, inputBytes: number, threads?: number): number[] {
  if (variants.length < 2 || threads === 1) return [];
  if (threads === undefined) {
    // Sessions by inactivity gap keep every event until the end of the read: two copies would double that.
    if (reader.sessionGapMinutes !== undefined || inputBytes < SHARD_MIN_BYTES || availableParallelism() < 2) return [];
  }
  return balance(variants.map((v) => needsSessionLength(v.take)));
}

/**
 * Splits variants into two groups of about equal work: one unit a variant, one more for a thread that has any
 * variant needing session lengths (it spills every row and reads them again). Minimises the larger group, then the
 * total; returns the worker's group (never empty, never all).
 */
export function balance(secondPass: boolean[]): number[] {
  const n = secondPass.length;
  const cost = (members: number[]) => members.length + (members.some((i) => secondPass[i]) ? 1 : 0);
  let best: number[] = [];
  let bestKey = Infinity;
  const consider = (worker: number[]) => {
    const set = new Set(worker);
    const main = secondPass.map((_, i) => i).filter((i) => !set.has(i));
    const a = cost(main);
    const b = cost(worker);
    const key = Math.max(a, b) * 1000 + a + b;
    if (key < bestKey) {
      bestKey = key;
      best = worker;
    }
  };
  if (n <= EXHAUSTIVE_VARIANTS) {
    // The main thread keeps variant 0; every other subset is a candidate for the worker.
    for (let mask = 1; mask < 1 << (n - 1); mask++) {
      const worker: number[] = [];
      for (let i = 1; i < n; i++) if (mask & (1 << (i - 1))) worker.push(i);
      consider(worker);
    }
  } else {
    // Many variants: the ones needing session lengths together, first; then by count.
    const order = secondPass.map((_, i) => i).sort((x, y) => Number(secondPass[y]) - Number(secondPass[x]) || x - y);
    consider(order.slice(0, Math.floor(n / 2)).sort((x, y) => x - y));
  }
  return best;
}

/** Flattens and writes the job's variants (the worker's part): runs in the worker thread. */
export async function runShard(job: ShardJob): Promise<ShardResult> {
  const { tables, counts } = await flattenIntoFolders(job, job.stage, true);
  return { counts, check: shardCheck(tables) };
}

export interface ShardWorker {
  result: Promise<ShardResult>;
  /** Stops the worker; resolves once it has exited (it writes nothing after). */
  stop(): Promise<void>;
}

/** Starts the worker on `job`; an abort of `signal` stops it (its result then rejects as cancelled). */
export function startShardWorker(job: ShardJob, signal?: AbortSignal): ShardWorker {
  const { code, evaluated } = workerScript('flatten.worker', __dirname, __filename);
  const worker = new Worker(code, { eval: evaluated, workerData: job });
  const exit = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  const result = new Promise<ShardResult>((resolve, reject) => {
    const onAbort = () => {
      reject(cancelledError());
      void worker.terminate();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);
    worker.on('message', (m: ShardMessage) => {
      settle();
      if (m.type === 'done') resolve(m.result);
      else reject(fromWorkerError(m.error));
      void worker.terminate();
    });
    worker.on('error', (e) => {
      settle();
      reject(new SecmlError('INTERNAL', `The second flatten thread failed: ${e.message}`, { cause: e }));
    });
    worker.on('exit', (exitCode) => {
      settle();
      reject(new SecmlError('INTERNAL', `The second flatten thread stopped unexpectedly (exit code ${exitCode}).`));
    });
  });
  result.catch(() => {});
  return {
    result,
    async stop() {
      await worker.terminate();
      await exit;
    },
  };
}
