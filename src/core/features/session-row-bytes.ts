/**
 * Bytes of sessions.csv and split-file rows that do not change between the variants of a dataset, formatted once per
 * flatten: each session's sessions.csv line prefix, and the feature cells of sessions a variant keeps whole.
 */
import { maxTextCellBytes, putTextCell } from './csv-bytes';
import type { FlatTables } from './flatten-engine';
import { MAIN } from './session-table';

/** Room for whole rows: about 100 bytes a session, at most this much. */
export const MAX_WHOLE_ROW_BYTES = 8 << 20;

/**
 * A session whose every event a variant keeps (a short session under `first:10`, any session under `full`) has the
 * same feature cells in every such variant: the first variant to format them keeps a copy in the output buffer's
 * spare region, and the others copy it (`copyWithin`) instead of formatting the cells again.
 */
export class WholeRows {
  readonly at: Int32Array;
  readonly end: Int32Array;
  /** Whether newly formatted whole rows are kept (not while writing the last variant: no one would copy them). */
  keep = true;

  constructor(sessions: number) {
    this.at = new Int32Array(sessions).fill(-1);
    this.end = new Int32Array(sessions);
  }
}

/** Per main session, the bytes that start its sessions.csv line (`<id cell>,<label or nothing>,`), formatted once. */
export class SessionLinePrefixes {
  bytes: Buffer;
  readonly at: Int32Array;
  longest = 0;

  constructor(tables: FlatTables) {
    const { sessions } = tables;
    this.bytes = Buffer.allocUnsafe(Math.max(1024, sessions.count * 16));
    this.at = new Int32Array(sessions.count + 1);
    let p = 0;
    for (let s = 0; s < sessions.count; s++) {
      this.at[s] = p;
      if (sessions.group[s] !== MAIN) continue;
      const id = sessions.ids[s];
      const room = p + maxTextCellBytes(id) + 3;
      if (room > this.bytes.length) {
        const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, room));
        this.bytes.copy(bigger, 0, 0, p);
        this.bytes = bigger;
      }
      const bytes = this.bytes;
      p = putTextCell(bytes, p, id);
      bytes[p++] = 44;
      const label = sessions.label[s];
      if (label >= 0) bytes[p++] = label === 1 ? 49 : 48;
      bytes[p++] = 44;
      if (p - this.at[s] > this.longest) this.longest = p - this.at[s];
    }
    this.at[sessions.count] = p;
  }
}
