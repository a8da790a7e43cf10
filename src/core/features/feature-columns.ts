/**
 * The feature columns of a flattened session, in order: the vocabulary (event types, sorted), `__other__` (events
 * whose type is not in the vocabulary), then the session-time features when they are on. Names starting and ending
 * with two underscores are reserved: an event type spelled like one is counted as `__other__`.
 */
import type { VariantAccumulator } from './variant-accumulator';

export const OTHER_COLUMN = '__other__';
export const TIME_FEATURES = ['__duration_s__', '__events_per_min__', '__mean_gap_s__', '__max_gap_s__'] as const;
export const RESERVED_NAMES: ReadonlySet<string> = new Set<string>([OTHER_COLUMN, ...TIME_FEATURES]);

/** Event types are compared by UTF-16 code units (what Python's sorted() and NumPy do): stable across machines. */
export function sortVocabulary(types: Iterable<string>): string[] {
  return [...new Set(types)].filter((t) => !RESERVED_NAMES.has(t)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export function featureNames(vocabulary: string[], timeFeatures: boolean): string[] {
  return [...vocabulary, OTHER_COLUMN, ...(timeFeatures ? TIME_FEATURES : [])];
}

/**
 * The four session-time features of the events a variant kept: duration (s), events per minute (the duration is
 * counted as at least one minute), mean and largest gap between consecutive events (s). Zero for one event.
 */
export function timeFeatureValues(acc: VariantAccumulator, s: number, out: Float64Array, at = 0): void {
  const k = acc.keptOf(s);
  if (k === 0 || !acc.hasTimes) {
    out.fill(0, at, at + 4);
    return;
  }
  const duration = (acc.lastTime(s) - acc.firstTime(s)) / 1000;
  const d = Number.isFinite(duration) ? duration : 0;
  out[at] = d;
  out[at + 1] = (k / Math.max(d, 60)) * 60;
  out[at + 2] = k > 1 ? d / (k - 1) : 0;
  const g = acc.maxGap(s) / 1000;
  out[at + 3] = Number.isFinite(g) ? g : 0;
}
