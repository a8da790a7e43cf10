/**
 * CloudTrail logs as delivered to S3 (`{"Records":[...]}`, optionally gzipped) and JSON lines (one record, or one
 * `{"Records":[...]}` object, per line). Each record becomes an event whose type is `eventSource:eventName` and whose
 * session key is the principal (`userIdentity.arn`, else `principalId`, else `accessKeyId`); the gap sessionizer then
 * splits each principal's events into sessions. Records are located by a small scanner so that each one is parsed on
 * its own: a bad record is skipped (lenient) or reported with its line (strict) without losing the rest of the file.
 */
import { LogFormatError } from '../errors';
import { throwIfAborted } from '../progress';
import { fileBytes, refuseUtf16 } from './file-bytes';
import { BATCH_SIZE, newBatch, type EventBatch } from './log-event';
import type { ReadContext } from './read-context';
import type { RowIssues } from './row-issues';
import { quote } from './row-issues';
import { parseTimestamp } from './timestamp';

/** CloudTrail files are small (a few MB); anything this large is not a CloudTrail delivery file. */
const MAX_FILE_BYTES = 512 << 20;

async function readWholeText(file: string, ctx: ReadContext): Promise<string> {
  const parts: Buffer[] = [];
  let total = 0;
  try {
    for await (const chunk of fileBytes(file, ctx)) {
      total += chunk.length;
      if (total > MAX_FILE_BYTES) throw new LogFormatError(`larger than ${MAX_FILE_BYTES >> 20} MB once decompressed; split it into smaller files (CloudTrail delivers files of a few MB)`, file);
      parts.push(chunk);
    }
  } catch (e) {
    // A truncated .gz: report it, then read the records that arrived whole.
    if ((e as LogFormatError).code !== 'LOG_FORMAT' || total > MAX_FILE_BYTES) throw e;
    ctx.issues.skip(file, 1, (e as Error).message);
  }
  const bytes = Buffer.concat(parts, total);
  refuseUtf16(file, bytes);
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

interface RawRecord {
  value: unknown;
  line: number;
}

/** Principal of a record: arn, principalId, accessKeyId, or the service that acted. */
export function principalOf(userIdentity: unknown): string | undefined {
  if (typeof userIdentity !== 'object' || userIdentity === null) return undefined;
  const u = userIdentity as Record<string, unknown>;
  for (const k of ['arn', 'principalId', 'accessKeyId']) {
    const v = u[k];
    if (typeof v === 'string' && v.length > 0) return v;
  }
  if (typeof u.invokedBy === 'string' && u.invokedBy) return `${typeof u.type === 'string' ? u.type : 'AWSService'}:${u.invokedBy}`;
  if (typeof u.type === 'string' && u.type) return u.type;
  return undefined;
}

const optionalString = (v: unknown): string | undefined => (typeof v === 'string' ? v : v === undefined || v === null ? undefined : String(v));

/** Adds one record to the batch, or reports why it cannot be used. */
function addRecord(batch: EventBatch, rec: RawRecord, file: string, issues: RowIssues): boolean {
  const r = rec.value;
  if (typeof r !== 'object' || r === null || Array.isArray(r)) {
    issues.skip(file, rec.line, 'a CloudTrail record must be a JSON object');
    return false;
  }
  const o = r as Record<string, unknown>;
  const { eventSource, eventName, eventTime } = o;
  if (typeof eventSource !== 'string' || !eventSource || typeof eventName !== 'string' || !eventName) {
    issues.skip(file, rec.line, 'record has no eventSource or eventName');
    return false;
  }
  const time = typeof eventTime === 'string' ? parseTimestamp(eventTime) : NaN;
  if (time !== time) {
    issues.skip(file, rec.line, `eventTime ${quote(String(eventTime))} is not a time`);
    return false;
  }
  const principal = principalOf(o.userIdentity);
  if (!principal) {
    issues.skip(file, rec.line, 'record has no userIdentity (arn, principalId or accessKeyId)');
    return false;
  }
  const i = batch.length++;
  batch.sessions[i] = principal;
  batch.types[i] = `${eventSource}:${eventName}`;
  batch.times[i] = time;
  batch.labels[i] = -1;
  batch.lines[i] = rec.line;
  const x = batch.extras!;
  x.sourceIPAddress[i] = optionalString(o.sourceIPAddress);
  x.userAgent[i] = optionalString(o.userAgent);
  x.errorCode[i] = optionalString(o.errorCode);
  x.eventTime[i] = eventTime as string;
  return true;
}

function jsonError(e: unknown): string {
  return (e as Error).message.replace(/^(Unexpected|Expected)/, (m) => m.toLowerCase());
}

/**
 * Finds the elements of the top-level "Records" array, parsing each separately. Returns false when the text does
 * not start like a CloudTrail delivery file (the caller then tries JSON lines).
 */
function* recordsOfDeliveryFile(text: string, file: string, issues: RowIssues): Generator<RawRecord, boolean> {
  const head = /^\s*\{\s*"Records"\s*:\s*\[/.exec(text);
  if (!head) return false;
  let i = head[0].length;
  let line = 1;
  for (let k = 0; k < i; k++) if (text.charCodeAt(k) === 10) line++;
  const n = text.length;
  for (;;) {
    // Skip whitespace and commas between elements.
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 10) line++;
      else if (c !== 32 && c !== 9 && c !== 13 && c !== 44) break;
      i++;
    }
    if (i >= n) {
      issues.skip(file, line, 'the file ends inside the Records array (truncated)');
      return true;
    }
    if (text.charCodeAt(i) === 93 /* ] */) return true;
    const start = i;
    const startLine = line;
    let depth = 0;
    let inString = false;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (inString) {
        if (c === 92) i++;
        else if (c === 34) inString = false;
        continue;
      }
      if (c === 34) inString = true;
      else if (c === 123 || c === 91) depth++;
      else if (c === 125 || c === 93) {
        if (depth === 0) break;
        depth--;
        if (depth === 0) {
          i++;
          break;
        }
      } else if (c === 10) line++;
      else if (depth === 0 && c === 44) break;
    }
    if (depth > 0) {
      issues.skip(file, startLine, 'the file ends in the middle of a record (truncated)');
      return true;
    }
    let value: unknown;
    try {
      value = JSON.parse(text.slice(start, i));
    } catch (e) {
      issues.skip(file, startLine, `record is not valid JSON: ${jsonError(e)}`);
      continue;
    }
    yield { value, line: startLine };
  }
}

function* recordsOfJsonLines(text: string, file: string, issues: RowIssues): Generator<RawRecord> {
  let pos = 0;
  let line = 0;
  while (pos < text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    line++;
    const s = text.slice(pos, nl).trim();
    pos = nl + 1;
    if (!s) continue;
    let value: unknown;
    try {
      value = JSON.parse(s);
    } catch (e) {
      issues.skip(file, line, `not valid JSON: ${jsonError(e)}`);
      continue;
    }
    const recs = (value as { Records?: unknown })?.Records;
    if (Array.isArray(recs)) for (const r of recs) yield { value: r, line };
    else if (recs !== undefined) issues.skip(file, line, `"Records" must be an array of records, found ${recs === null ? 'null' : typeof recs}`);
    else yield { value, line };
  }
}

/** Events of one CloudTrail file, in file order; `sessions` holds each event's principal. */
export async function* readCloudTrailFile(file: string, ctx: ReadContext): AsyncGenerator<EventBatch> {
  const { issues } = ctx;
  const text = await readWholeText(file, ctx);
  if (text.trim() === '') {
    issues.skip(file, 1, 'the file is empty');
    return;
  }
  const first = text.trimStart().charCodeAt(0);
  if (first !== 123 /* { */ && first !== 91 /* [ */) throw new LogFormatError('not a CloudTrail file: expected {"Records":[...]} or JSON lines', file, 1);
  const batch = newBatch(file, true);
  let added = 0;
  const delivery = recordsOfDeliveryFile(text, file, issues);
  let step = delivery.next();
  const records: Iterator<RawRecord, unknown> = step.done === true && step.value === false ? recordsOfJsonLines(text, file, issues) : delivery;
  if (records !== delivery) step = records.next() as IteratorResult<RawRecord, boolean>;
  for (; !step.done; step = records.next() as IteratorResult<RawRecord, boolean>) {
    if (addRecord(batch, step.value, file, issues)) added++;
    if (batch.length === BATCH_SIZE) {
      throwIfAborted(ctx.signal);
      yield batch;
      batch.length = 0;
    }
  }
  if (batch.length > 0) yield batch;
  if (added === 0) issues.skip(file, 1, 'the file holds no usable CloudTrail records');
}
