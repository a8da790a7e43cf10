/**
 * One parsed CloudTrail record -> one event: its type is `eventSource:eventName`, its session key the principal
 * (`userIdentity.arn`, else `principalId`, else `accessKeyId`), and `sourceIPAddress`, `userAgent`, `errorCode` and
 * `eventTime` ride along as extras. A record that cannot be used is reported (skipped or fatal, per RowIssues).
 */
import type { EventBatch } from './log-event';
import type { RowIssues } from './row-issues';
import { quote } from './row-issues';
import { parseTimestamp } from './timestamp';

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

/**
 * A field kept as text: strings as they are, numbers and booleans written out; objects and arrays are dropped (their
 * text would be "[object Object]", and String() of an array nested a few thousand levels deep overflows the stack).
 */
const optionalString = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined);

/** Why an eventTime is not a time (never String() of an object or array: see optionalString). */
function notATime(v: unknown): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return `eventTime ${quote(String(v))} is not a time`;
  return `eventTime is ${v === null ? 'null' : Array.isArray(v) ? 'an array' : 'an object'}, not a time`;
}

/** Adds the record that starts at `line` to the batch (which must have room), or reports why it cannot be used. */
export function addRecord(batch: EventBatch, r: unknown, line: number, file: string, issues: RowIssues): boolean {
  if (typeof r !== 'object' || r === null || Array.isArray(r)) {
    issues.skip(file, line, 'a CloudTrail record must be a JSON object');
    return false;
  }
  const o = r as Record<string, unknown>;
  const { eventSource, eventName, eventTime } = o;
  if (typeof eventSource !== 'string' || !eventSource || typeof eventName !== 'string' || !eventName) {
    issues.skip(file, line, 'record has no eventSource or eventName');
    return false;
  }
  if (eventTime === undefined) {
    issues.skip(file, line, 'record has no eventTime');
    return false;
  }
  const time = typeof eventTime === 'string' ? parseTimestamp(eventTime) : NaN;
  if (time !== time) {
    issues.skip(file, line, notATime(eventTime));
    return false;
  }
  const principal = principalOf(o.userIdentity);
  if (!principal) {
    issues.skip(file, line, 'record has no userIdentity (arn, principalId or accessKeyId)');
    return false;
  }
  const i = batch.length++;
  batch.sessions[i] = principal;
  batch.types[i] = `${eventSource}:${eventName}`;
  batch.times[i] = time;
  batch.labels[i] = -1;
  batch.lines[i] = line;
  const x = batch.extras!;
  x.sourceIPAddress[i] = optionalString(o.sourceIPAddress);
  x.userAgent[i] = optionalString(o.userAgent);
  x.errorCode[i] = optionalString(o.errorCode);
  x.eventTime[i] = eventTime as string;
  return true;
}

/** JSON.parse's message, lower-cased at the start so that it reads on after "not valid JSON: ". */
export function jsonError(e: unknown): string {
  return (e as Error).message.replace(/^(Unexpected|Expected)/, (m) => m.toLowerCase());
}
