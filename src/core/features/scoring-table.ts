/**
 * `flattenForScoring`: new logs flattened exactly like a model's training data, with the model's vocabulary (never
 * rebuilt): unseen event types count as `__other__` and are reported. Returns a dense Float32 feature matrix in the
 * model's feature order plus a summary per session for the score report. A variant's truncation (first:N, ...) is
 * applied; its `min:N` filter is not (every session gets a score).
 */
import { SecmlError } from '../errors';
import { EventSource } from '../logs/event-source';
import { listInputFiles } from '../logs/input-files';
import type { ReaderOptions, SkippedRow } from '../logs/log-event';
import type { WorkOptions } from '../progress';
import { OTHER_COLUMN, TIME_FEATURES, timeFeatureValues } from './feature-columns';
import { flattenSessions } from './flatten-engine';
import { MAIN } from './session-table';
import { parseVariant } from './variants';

export interface ScoringModelInfo {
  reader: ReaderOptions;
  vocabulary: string[];
  features: string[];
  /** Variant spec the model was trained on (default `full`). */
  variant?: string;
}

export interface SessionSummary {
  id: string;
  /** Known label (1 bad, 0 good); absent when the log has none for this session. */
  label?: 0 | 1;
  /** Events in the whole session (before truncation). */
  events: number;
  /** Milliseconds since the epoch, when the log has times. */
  firstTime?: number;
  lastTime?: number;
  file: string;
  firstLine: number;
  /** The first and last few event types, in time order. */
  firstEvents: string[];
  lastEvents: string[];
}

export interface ScoringTable {
  features: string[];
  /** n x features.length, row-major. */
  rows: Float32Array;
  n: number;
  /** Per session: 1, 0, or -1 unknown; null when no session has a label. */
  labels: Int8Array | null;
  sessions: SessionSummary[];
  /** Event types not in the model's vocabulary, with their event counts. */
  unseen: Record<string, number>;
  skipped: { count: number; first: SkippedRow[] };
  events: number;
}

export const SUMMARY_EVENT_TYPES = 5;

export async function flattenForScoring(inputs: string[], model: ScoringModelInfo, work: WorkOptions = {}): Promise<ScoringTable> {
  const vocabIndex = new Map(model.vocabulary.map((t, i) => [t, i]));
  const timeIndex = new Map<string, number>(TIME_FEATURES.map((t, i) => [t, i]));
  const F = model.features.length;
  // For each model feature: >= 0 a count column (vocabulary index, or vocabulary.length for __other__), or -1 - k for time feature k.
  const source = new Int32Array(F);
  model.features.forEach((f, j) => {
    if (f === OTHER_COLUMN) source[j] = model.vocabulary.length;
    else if (vocabIndex.has(f)) source[j] = vocabIndex.get(f)!;
    else if (timeIndex.has(f)) source[j] = -1 - timeIndex.get(f)!;
    else throw new SecmlError('MODEL_FORMAT', `The model's feature "${f}" is neither an event type of its vocabulary nor a known feature; was it trained on a SecML dataset?`);
  });
  const wantsTime = model.features.some((f) => timeIndex.has(f));
  const variant = parseVariant(model.variant ?? 'full');
  const reader = { ...model.reader };
  const files = await listInputFiles(inputs, reader.format);
  const tables = await flattenSessions([{ source: new EventSource(files, reader), group: MAIN }], {
    variants: [{ ...variant, min: undefined }],
    vocabulary: model.vocabulary,
    timeFeatures: wantsTime,
    seed: 1,
    strict: Boolean(reader.strict),
    keepEventTypes: SUMMARY_EVENT_TYPES,
  }, work);
  if (wantsTime && !tables.timeFeatures) work.logger?.warn('The model uses session-time features but these logs have no times: those features are 0.');
  const { sessions, columnSlot } = tables;
  const acc = tables.variants[0];
  const n = sessions.count;
  const rows = new Float32Array(n * F);
  const tf = new Float64Array(4);
  let anyLabel = false;
  const labels = new Int8Array(n);
  const summaries: SessionSummary[] = new Array(n);
  const stride = acc.counts.stride;
  const data = acc.counts.data;
  for (let s = 0; s < n; s++) {
    if (wantsTime) timeFeatureValues(acc, s, tf);
    const base = s * stride;
    for (let j = 0; j < F; j++) {
      const src = source[j];
      rows[s * F + j] = src >= 0 ? data[base + columnSlot[src]] : tf[-1 - src];
    }
    const label = sessions.label[s];
    labels[s] = label;
    if (label >= 0) anyLabel = true;
    const first = sessions.firstTime[s];
    const last = sessions.lastTime[s];
    summaries[s] = {
      id: sessions.ids[s],
      ...(label >= 0 ? { label: label as 0 | 1 } : {}),
      events: sessions.events[s],
      ...(Number.isFinite(first) ? { firstTime: first, lastTime: last } : {}),
      file: sessions.files[sessions.fileIx[s]],
      firstLine: sessions.line[s],
      firstEvents: tables.firstEvents![s],
      lastEvents: tables.lastEvents![s],
    };
  }
  return { features: model.features.slice(), rows, n, labels: anyLabel ? labels : null, sessions: summaries, unseen: tables.unseen, skipped: tables.skipped.summary(), events: tables.events[MAIN] };
}
