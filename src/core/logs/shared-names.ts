/**
 * Session ids and event types interned across the files of one scan: a value keeps its id from file to file, so a
 * consumer maps each distinct value once per scan (not once per file) and the readers decode each to a string once.
 */
import { ByteInterner } from './byte-interner';
import type { EventBatch } from './log-event';

export class SharedNames {
  readonly sessions: ByteInterner;
  readonly types = new ByteInterner(256);
  /** The batches' `dictionary`: the same object for every file of the scan. */
  readonly dictionary: { sessions: string[]; types: string[] };

  /** `sessions`: distinct session ids to make room for up front. */
  constructor(sessions = 512) {
    this.sessions = new ByteInterner(sessions);
    this.dictionary = { sessions: this.sessions.names, types: this.types.names };
  }
}

/** Stores row `i` of a batch whose session and event type are interned in `names` as `sid` and `tid`. */
export function putInternedRow(batch: EventBatch, i: number, names: SharedNames, sid: number, tid: number, time: number, label: number, line: number): void {
  batch.sessionIds![i] = sid;
  batch.typeIds![i] = tid;
  batch.sessions[i] = names.sessions.names[sid];
  batch.types[i] = names.types.names[tid];
  batch.times[i] = time;
  batch.labels[i] = label;
  batch.lines[i] = line;
}
