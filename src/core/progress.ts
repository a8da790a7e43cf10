/**
 * Cancellation, progress and logging conventions shared by all of core.
 * Core never writes to the console: callers pass a Logger; long work takes an AbortSignal and reports progress.
 */
import { cancelledError } from './errors';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A progress report: a message, and where it is known, how far along (0..1) and a rate. */
export interface ProgressEvent {
  message?: string;
  /** 0..1 when the total is known. */
  fraction?: number;
  /** Items done so far (events, rows, rounds, bytes...), with `unit` naming them. */
  done?: number;
  total?: number;
  unit?: string;
  /** Items per second, when meaningful. */
  rate?: number;
}

export type ProgressCallback = (p: ProgressEvent) => void;

/** Options every long-running core function accepts. */
export interface WorkOptions {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  logger?: Logger;
}

export function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw cancelledError();
}

/** Calls `fn` at most every `intervalMs` (plus always when `force`), so hot loops can report cheaply. */
export function throttle(fn: ProgressCallback | undefined, intervalMs = 200): (p: ProgressEvent, force?: boolean) => void {
  if (!fn) return () => {};
  let last = 0;
  return (p, force = false) => {
    const now = Date.now();
    if (force || now - last >= intervalMs) {
      last = now;
      fn(p);
    }
  };
}

/** Resolves after `ms`, or rejects with a cancellation error as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(cancelledError());
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(cancelledError());
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
