/** What a reader needs besides the file: the malformed-row policy, cancellation, and a tap on the raw bytes. */
import type { ByteReadOptions } from './file-bytes';
import type { RowIssues } from './row-issues';
import type { SharedNames } from './shared-names';

/** `onRawBytes` receives the file's raw bytes as they are read (hashing, progress by bytes). */
export interface ReadContext extends ByteReadOptions {
  issues: RowIssues;
  /** Interned names shared by the files of one scan (delimited readers); each file gets its own when omitted. */
  names?: SharedNames;
}

/**
 * Long strings sliced from a big chunk keep the whole chunk alive; anything kept beyond a batch (session ids,
 * event types) is copied with this first.
 */
export function detach(s: string): string {
  return s.length < 13 ? s : Buffer.from(s, 'utf8').toString('utf8');
}
