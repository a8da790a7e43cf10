/**
 * What every log reader produces: events (one per log row or CloudTrail record), in batches of parallel arrays so the
 * hot path allocates no object per row. `readEvents` turns batches into `LogEvent` objects for callers that want them.
 */

export type LogFormat = 'seed' | 'cloudtrail' | 'csv';

/** Which columns of a mapped CSV/TSV hold what: header names (or 1-based column numbers as strings, e.g. "3"). */
export interface ColumnMapping {
  session: string;
  event: string;
  time?: string;
  label?: string;
}

export interface ReaderOptions {
  format: LogFormat;
  /** Required for `csv`. */
  columns?: ColumnMapping;
  /**
   * A session ends after this many minutes without events. CloudTrail: always (default 30), sessions are a principal's
   * events split at gaps. CSV: only when given (sessions are the session column's values split at gaps).
   */
  sessionGapMinutes?: number;
  /** Stop at the first malformed row (`file:line: what is wrong`) instead of skipping and counting it. */
  strict?: boolean;
}

/** 1 = bad (attacker), 0 = good, -1 = unknown. */
export type Label = 1 | 0 | -1;

export interface LogEvent {
  session: string;
  /** Event type: the seed's `Act`, CloudTrail's `eventSource:eventName`, a CSV's event column. */
  type: string;
  /** Milliseconds since the epoch (UTC); NaN when the log has no time. */
  time: number;
  label: Label;
  file: string;
  /** 1-based line of the row (for CloudTrail, the line where the record starts). */
  line: number;
  /** CloudTrail only. */
  sourceIPAddress?: string;
  userAgent?: string;
  errorCode?: string;
  eventTime?: string;
}

/** CloudTrail fields kept beside each event (parallel to the batch). */
export interface CloudTrailExtras {
  sourceIPAddress: (string | undefined)[];
  userAgent: (string | undefined)[];
  errorCode: (string | undefined)[];
  eventTime: string[];
}

/**
 * A batch of events from one file, as parallel arrays; only the first `length` entries are valid. Readers reuse the
 * arrays for the next batch: copy what you keep.
 */
export interface EventBatch {
  file: string;
  length: number;
  sessions: string[];
  types: string[];
  times: Float64Array;
  labels: Int8Array;
  lines: Int32Array;
  extras?: CloudTrailExtras;
  /**
   * Fast path (delimited readers): reader-assigned ids of each row's session and event type, whose names are
   * `dictionary.sessions[id]` / `dictionary.types[id]` (the same strings as `sessions[i]` / `types[i]`). A new
   * dictionary object starts a new id space (one per file).
   */
  sessionIds?: Int32Array;
  typeIds?: Int32Array;
  dictionary?: { sessions: string[]; types: string[] };
}

export const BATCH_SIZE = 8192;

/**
 * The arrays of a batch. A class rather than an object literal: V8 marks a literal's fields as changing once a
 * second object is made from it, which deoptimises code compiled for the first file's batches when the next file's
 * batch is made; constructor-set fields stay constant per object.
 */
class BatchArrays implements EventBatch {
  length = 0;
  // Filled with strings up front: every batch's arrays then have the same element kind from the start, as code
  // optimised for an earlier batch expects (an empty `new Array(n)` changes kind at its first string).
  readonly sessions = new Array<string>(BATCH_SIZE).fill('');
  readonly types = new Array<string>(BATCH_SIZE).fill('');
  readonly times = new Float64Array(BATCH_SIZE);
  readonly labels = new Int8Array(BATCH_SIZE);
  readonly lines = new Int32Array(BATCH_SIZE);
  readonly extras: CloudTrailExtras | undefined;
  readonly sessionIds: Int32Array | undefined;
  readonly typeIds: Int32Array | undefined;

  constructor(
    public file: string,
    withExtras: boolean,
    readonly dictionary: EventBatch['dictionary'],
  ) {
    this.extras = withExtras ? { sourceIPAddress: new Array(BATCH_SIZE), userAgent: new Array(BATCH_SIZE), errorCode: new Array(BATCH_SIZE), eventTime: new Array(BATCH_SIZE) } : undefined;
    this.sessionIds = dictionary ? new Int32Array(BATCH_SIZE) : undefined;
    this.typeIds = dictionary ? new Int32Array(BATCH_SIZE) : undefined;
  }
}

/** A batch for `file`; with `dictionary`, one that carries interned ids (the delimited fast path). */
export function newBatch(file: string, withExtras = false, dictionary?: EventBatch['dictionary']): EventBatch {
  return new BatchArrays(file, withExtras, dictionary);
}

export function batchEvent(b: EventBatch, i: number): LogEvent {
  const e: LogEvent = { session: b.sessions[i], type: b.types[i], time: b.times[i], label: b.labels[i] as Label, file: b.file, line: b.lines[i] };
  if (b.extras) {
    e.sourceIPAddress = b.extras.sourceIPAddress[i];
    e.userAgent = b.extras.userAgent[i];
    e.errorCode = b.extras.errorCode[i];
    e.eventTime = b.extras.eventTime[i];
  }
  return e;
}

/** A row that was skipped (lenient mode) or that failed (strict mode). */
export interface SkippedRow {
  file: string;
  line: number;
  reason: string;
}
