/**
 * "Flatten these events": which columns of a query result are the principal (the session key), the time and the event,
 * as the flattening engine's CSV column mapping `{session, event, time}`. Recognises the names the hunting queries and
 * AWS's table use (arn, principal, useridentity.arn, username, eventtime, eventname, ...). Undefined when one is missing.
 */

export interface FlattenMapping {
  session: string;
  event: string;
  time: string;
}

const SESSION = [/^(useridentity\.)?arn$/i, /^principal(_?arn)?$/i, /^actor$/i, /^(iam_)?user(name)?$/i, /^principal_?id$/i, /^access_?key(_?id)?$/i, /^session(_?id)?$/i, /arn$/i, /principal/i, /user/i];
const TIME = [/^eventtime$/i, /^event_?time$/i, /^time(stamp)?$/i, /^ts$/i, /time/i, /date/i];
const EVENT = [/^eventname$/i, /^event_?name$/i, /^event$/i, /^action$/i, /^api(_?call)?$/i, /event/i];

function pick(columns: readonly string[], patterns: RegExp[], taken: Set<string>): string | undefined {
  for (const re of patterns) {
    const hit = columns.find((c) => !taken.has(c) && re.test(c));
    if (hit) return hit;
  }
  return undefined;
}

export function flattenMapping(columns: readonly string[]): FlattenMapping | undefined {
  const taken = new Set<string>();
  const event = pick(columns, EVENT.slice(0, 5), taken) ?? undefined;
  if (event) taken.add(event);
  const time = pick(columns, TIME, taken);
  if (time) taken.add(time);
  const eventFallback = event ?? pick(columns, EVENT, taken);
  if (eventFallback) taken.add(eventFallback);
  const session = pick(columns, SESSION, taken);
  if (!session || !time || !eventFallback) return undefined;
  return { session, event: eventFallback, time };
}
