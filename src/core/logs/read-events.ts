/** The readers' public entry points: event batches (fast) or LogEvent objects (convenient), over files and folders. */
import type { WorkOptions } from '../progress';
import { throwIfAborted } from '../progress';
import { EventSource } from './event-source';
import { listInputFiles } from './input-files';
import { batchEvent, type EventBatch, type LogEvent, type ReaderOptions } from './log-event';
import { RowIssues } from './row-issues';

export interface ReadOptions extends WorkOptions {
  /** Collects skipped rows (lenient mode); a new one is used when omitted. */
  issues?: RowIssues;
}

/**
 * Every event of the inputs (files, folders read recursively), in batches. Sessions are final: for CloudTrail they
 * are principals split at the inactivity gap (which means the events are gathered before the first batch).
 */
export async function* readEventBatches(inputs: string[], options: ReaderOptions, work: ReadOptions = {}): AsyncGenerator<EventBatch> {
  const files = await listInputFiles(inputs, options.format);
  const source = new EventSource(files, options);
  const issues = work.issues ?? new RowIssues(Boolean(options.strict));
  for await (const batch of source.scan({ issues, signal: work.signal })) {
    throwIfAborted(work.signal);
    yield batch;
  }
}

/** Every event as an object (one allocation per event: use readEventBatches on large inputs). */
export async function* readEvents(inputs: string[], options: ReaderOptions, work: ReadOptions = {}): AsyncGenerator<LogEvent> {
  for await (const b of readEventBatches(inputs, options, work)) {
    for (let i = 0; i < b.length; i++) yield batchEvent(b, i);
  }
}
