/**
 * CloudTrail logs as delivered to S3 (`{"Records":[...]}`, optionally gzipped) and JSON lines (one record, or one
 * `{"Records":[...]}` object, per line). Each record becomes an event whose type is `eventSource:eventName` and whose
 * session key is the principal (see cloudtrail-record.ts); the gap sessionizer then splits each principal's events
 * into sessions. The file streams through one reused window (ByteWindow) and a scanner that hands each record to
 * JSON.parse on its own (cloudtrail-scanner.ts): memory is bounded by the largest record, not the file, and a bad
 * record is skipped (lenient) or reported with its line (strict) without losing the rest of the file.
 */
import type { LogFormatError } from '../errors';
import { throwIfAborted } from '../progress';
import { ByteWindow } from './byte-window';
import { CloudTrailScanner, MAX_RECORD_BYTES } from './cloudtrail-scanner';
import { BATCH_SIZE, type EventBatch } from './log-event';
import type { ReadContext } from './read-context';

export { principalOf } from './cloudtrail-record';

/**
 * Events of one CloudTrail file, in file order, in batches as they fill; `sessions` holds each event's principal. A
 * record (or JSON line) over `maxRecordBytes` is reported at its line and skipped.
 */
export async function* readCloudTrailFile(file: string, ctx: ReadContext, maxRecordBytes = MAX_RECORD_BYTES): AsyncGenerator<EventBatch> {
  const { issues } = ctx;
  const scanner = new CloudTrailScanner(file, issues, maxRecordBytes);
  const batch = scanner.batch;
  const bytes = await ByteWindow.open(file, ctx);
  try {
    let keepFrom = 0;
    for (;;) {
      try {
        await bytes.fill(keepFrom);
      } catch (e) {
        // A truncated or corrupt .gz: report it, keep the records that arrived whole, report the one it cut.
        if ((e as LogFormatError).code !== 'LOG_FORMAT') throw e;
        issues.skip(file, 1, (e as Error).message);
        scanner.finish(true);
        break;
      }
      scanner.rebase(keepFrom);
      const { buf, length, atEnd } = bytes;
      for (;;) {
        scanner.scan(buf, length, atEnd);
        if (batch.length < BATCH_SIZE) break;
        throwIfAborted(ctx.signal);
        yield batch;
        batch.length = 0;
      }
      if (atEnd) break;
      keepFrom = scanner.keepFrom;
    }
  } finally {
    await bytes.close();
  }
  if (batch.length > 0) yield batch;
  if (!scanner.empty && scanner.added === 0) issues.skip(file, 1, 'the file holds no usable CloudTrail records');
}
