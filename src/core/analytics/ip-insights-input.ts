/**
 * What SageMaker IP Insights trains on and scores, taken from CloudTrail address events (as the seed workshop does):
 * the <principal, address> tuple of every event before the scored window, and the start of that window.
 */
import type { AddressEvents } from './cloudtrail-addresses';

/** The start of the last UTC day of the events when they span more than one day (the day to score), else undefined. */
export function lastDayStart(ev: AddressEvents): number | undefined {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < ev.length; i++) {
    if (ev.time[i] < min) min = ev.time[i];
    if (ev.time[i] > max) max = ev.time[i];
  }
  const day = Math.floor(max / 86_400_000) * 86_400_000;
  return min < day ? day : undefined;
}

/** One <principal, address> tuple per event before `before` (every event when undefined), in event order. */
export function trainingTuples(ev: AddressEvents, before?: number): { entity: string; ip: string }[] {
  const out: { entity: string; ip: string }[] = [];
  for (let i = 0; i < ev.length; i++) if (before === undefined || ev.time[i] < before) out.push({ entity: ev.principals[ev.principal[i]], ip: ev.addresses[ev.address[i]].ip! });
  return out;
}
