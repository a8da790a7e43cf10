/**
 * Polls a remote status until it is final: backoff while nothing changes, never faster than every 10 s, tolerant of
 * throttling and transient errors, with an overall timeout. The clock is injectable so tests run scripted sequences
 * instantly while still checking the intervals production would use.
 */
import { toSecmlError } from '../../aws/errors';
import { isCancellation, SecmlError, userMessage } from '../../errors';
import { sleep, throwIfAborted, type Logger } from '../../progress';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep };

/** No SageMaker status is ever polled more often than this, per job or endpoint. */
export const MIN_POLL_INTERVAL_MS = 10_000;

export interface PollOptions {
  clock?: Clock;
  /** First interval; raised to MIN_POLL_INTERVAL_MS when lower. */
  intervalMs?: number;
  /** Longest interval the backoff reaches (default 60 s). */
  maxIntervalMs?: number;
  /** Give up after this long (default: no limit). */
  timeoutMs?: number;
  /** A single status call taking longer than this counts as a transient failure (default 60 s). */
  callTimeoutMs?: number;
  /** Consecutive throttled/transient failures tolerated before giving up (default 8). */
  maxConsecutiveErrors?: number;
  signal?: AbortSignal;
  logger?: Logger;
}

export interface PollTarget<S> {
  /** What is polled, for messages: `training job x`. */
  what: string;
  fetch(signal?: AbortSignal): Promise<S>;
  isFinal(s: S): boolean;
  /** A short form of the status; a change resets the backoff and is reported. */
  label(s: S): string;
  onStatus?(s: S): void;
}

/** True for failures worth another poll: throttling, network trouble, call timeouts, 5xx. Never for auth or bad input. */
export function isTransient(error: unknown): boolean {
  const e = toSecmlError(error, 'poll');
  if (e.code !== 'AWS') return false;
  const d = e.details ?? {};
  const status = typeof d.httpStatus === 'number' ? d.httpStatus : undefined;
  return d.throttled === true || d.timedOut === true || d.network === true || (status !== undefined && status >= 500);
}

function withCallTimeout<T>(what: string, fn: (signal: AbortSignal) => Promise<T>, ms: number, outer?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  outer?.addEventListener('abort', onAbort, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new SecmlError('AWS', `${what}: no answer within ${Math.round(ms / 1000)} s.`, { details: { timedOut: true } }));
    }, ms);
  });
  return Promise.race([fn(controller.signal), timeout]).finally(() => {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onAbort);
  });
}

export async function pollUntilFinal<S>(target: PollTarget<S>, opts: PollOptions = {}): Promise<S> {
  const clock = opts.clock ?? systemClock;
  const minInterval = Math.max(MIN_POLL_INTERVAL_MS, opts.intervalMs ?? MIN_POLL_INTERVAL_MS);
  const maxInterval = Math.max(minInterval, opts.maxIntervalMs ?? 60_000);
  const maxErrors = opts.maxConsecutiveErrors ?? 8;
  const callTimeout = opts.callTimeoutMs ?? 60_000;
  const started = clock.now();
  let interval = minInterval;
  let lastLabel: string | undefined;
  let errors = 0;
  for (;;) {
    throwIfAborted(opts.signal);
    let status: S | undefined;
    try {
      status = await withCallTimeout(target.what, (signal) => target.fetch(signal), callTimeout, opts.signal);
      errors = 0;
    } catch (e) {
      throwIfAborted(opts.signal);
      if (isCancellation(e) || !isTransient(e) || ++errors > maxErrors) throw e;
      interval = Math.min(maxInterval, interval * 2);
      opts.logger?.warn(`${target.what}: ${userMessage(e)} (retrying in ${Math.round(interval / 1000)} s)`);
    }
    if (status !== undefined) {
      const label = target.label(status);
      if (label !== lastLabel) {
        lastLabel = label;
        interval = minInterval;
        target.onStatus?.(status);
      } else {
        interval = Math.min(maxInterval, Math.round(interval * 1.5));
      }
      if (target.isFinal(status)) return status;
    }
    if (opts.timeoutMs !== undefined && clock.now() - started + interval > opts.timeoutMs) {
      throw new SecmlError('AWS', `${target.what} is still ${lastLabel ?? 'not answering'} after ${formatDuration(opts.timeoutMs)}; stopped waiting (it keeps running on AWS).`, {
        details: { timedOut: true, lastStatus: lastLabel },
      });
    }
    await clock.sleep(interval, opts.signal);
  }
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  return m < 120 ? `${m} min` : `${Math.round(m / 60)} h`;
}
