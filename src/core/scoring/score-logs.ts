/**
 * "Score this log file": read new logs with the model's reader options, flatten them with the model's vocabulary
 * (unseen event types are counted, never added), score every session (locally or through an endpoint), rank them by
 * probability and, when the logs carry labels, compute the metrics on the labelled sessions.
 */
import * as path from 'node:path';
import { isSecmlError, SecmlError } from '../errors';
import { flattenForScoring, type ScoringModelInfo, type ScoringTable } from '../features/scoring-table';
import { HEADER_ONLY } from '../logs/delimited-reader';
import { sniffLogFile } from '../logs/detect-format';
import type { LogFormat } from '../logs/log-event';
import { computeMetrics, type MetricsReport } from '../metrics/report';
import { throwIfAborted, type WorkOptions } from '../progress';
import { rankByScore } from './rank';
import type { ScoringModel } from './scoring-model';

export interface ScoreOptions {
  /** Flag sessions scoring >= this (default: the model's threshold). */
  threshold?: number;
}

export interface ScoreResult {
  inputs: string[];
  model: Pick<ScoringModel, 'kind' | 'label' | 'location'>;
  info: ScoringModelInfo;
  table: ScoringTable;
  /** Per session (table order). */
  scores: Float32Array;
  /** Session indices, highest probability first. */
  order: Uint32Array;
  threshold: number;
  thresholdSource: string;
  /** The model's own threshold (what "reset" goes back to). */
  modelThreshold: number;
  flagged: number;
  /** Sessions with a known label. */
  labelled: number;
  /** On the labelled sessions, at `threshold`; null when no session has a label. */
  metrics: MetricsReport | null;
  /** Reading and flattening; predicting; ranking and counting; the metrics on labelled sessions (0 when none); all. */
  seconds: { flatten: number; score: number; rank: number; metrics: number; total: number };
}

const FORMAT_NAMES: Record<LogFormat, string> = {
  seed: "session logs in the seed's format (tab-separated SessionNo, LogTime, ..., Act, BadActor)",
  cloudtrail: 'CloudTrail logs (JSON)',
  csv: 'CSV/TSV logs with mapped session and event columns',
};

function fileKind(format: LogFormat, columns: string[] | undefined): string {
  if (format === 'seed') return "a session log in the seed's format";
  if (format === 'cloudtrail') return 'a CloudTrail log';
  const names = (columns ?? []).slice(0, 6).map((c) => c.slice(0, 40));
  return `delimited text${names.length ? ` with columns ${names.join(', ')}${(columns?.length ?? 0) > 6 ? ', ...' : ''}` : ''}`;
}

/**
 * A reading error explained: when the file is in another format than the model's, say so naming both sides; when it is
 * empty, say there is nothing to score; otherwise the reader's own error (it names the file and line). Runs only after
 * reading failed, so the happy path pays nothing for it.
 */
async function explainReadError(e: unknown, inputs: string[], info: ScoringModelInfo): Promise<unknown> {
  if (!isSecmlError(e) || (e.code !== 'LOG_FORMAT' && e.code !== 'NO_SESSIONS')) return e;
  const file = e.file ?? (inputs.length === 1 ? inputs[0] : undefined);
  let sniff;
  try {
    sniff = file ? await sniffLogFile(file) : undefined;
  } catch (se) {
    if (isSecmlError(se) && se.code === 'LOG_FORMAT' && /empty/.test(se.message)) return new SecmlError('NO_SESSIONS', 'the file is empty: there are no sessions to score.', { file: se.file ?? file, cause: e });
    if (isSecmlError(se) && se.code === 'LOG_FORMAT') return new SecmlError('LOG_FORMAT', `${se.message}; the model was trained on ${FORMAT_NAMES[info.reader.format]}.`, { file: se.file, line: se.line, cause: e });
    return e;
  }
  const want = info.reader.format;
  // A mapped-CSV model reads any delimited text (the seed's TSV included); the other readers need their own format.
  if (sniff && sniff.format !== want && !(want === 'csv' && sniff.format === 'seed')) {
    return new SecmlError('LOG_FORMAT', `this is ${fileKind(sniff.format, sniff.columns)}, but the model was trained on ${FORMAT_NAMES[want]}: score it with a model trained on logs like it.`, { file: sniff.file, line: 1, cause: e });
  }
  if (e.code === 'NO_SESSIONS') {
    const expected = `the model reads ${FORMAT_NAMES[want]}`;
    const skipped = typeof e.details?.skipped === 'number' ? e.details.skipped : 0;
    const reason = typeof e.details?.reason === 'string' ? e.details.reason : undefined;
    const where = e.file ? { file: e.file, line: e.line } : inputs.length === 1 ? { file: inputs[0] } : {};
    const which = inputs.length > 1 ? ` in ${inputs.map((i) => path.basename(i)).join(', ')}` : '';
    // A header and nothing else: the reader reports "no valid rows" as its only issue.
    if (skipped === 1 && reason === HEADER_ONLY) return new SecmlError('NO_SESSIONS', `no sessions to score${which}: the file has a header but no data rows; ${expected}.`, { ...where, cause: e });
    const why = reason && e.line !== undefined ? `${skipped.toLocaleString('en-US')} malformed row(s) were skipped, the first at line ${e.line}: ${reason}` : e.message.replace(/^No sessions found in the input[;.]?\s*/, '');
    return new SecmlError('NO_SESSIONS', `no sessions to score${which}${why ? `: ${why}` : ''}; ${expected}.`, { ...where, cause: e });
  }
  return e;
}

/** Sessions with score >= threshold. */
export function countFlagged(scores: Float32Array, threshold: number): number {
  let k = 0;
  for (let i = 0; i < scores.length; i++) if (scores[i] >= threshold) k++;
  return k;
}

/** Metrics over the sessions that have a label (all of them when every session has one). */
export function labelledMetrics(labels: Int8Array | null, scores: Float32Array, threshold: number): { labelled: number; metrics: MetricsReport | null } {
  if (!labels) return { labelled: 0, metrics: null };
  let labelled = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) labelled++;
  if (labelled === 0) return { labelled, metrics: null };
  if (labelled === labels.length) return { labelled, metrics: computeMetrics(labels, scores, { threshold }) };
  const y = new Int8Array(labelled);
  const s = new Float32Array(labelled);
  for (let i = 0, k = 0; i < labels.length; i++) {
    if (labels[i] < 0) continue;
    y[k] = labels[i];
    s[k++] = scores[i];
  }
  return { labelled, metrics: computeMetrics(y, s, { threshold }) };
}

export async function scoreLogs(inputs: string[], model: ScoringModel, opts: ScoreOptions = {}, work: WorkOptions = {}): Promise<ScoreResult> {
  if (inputs.length === 0) throw new SecmlError('BAD_ARGUMENT', 'Give at least one log file or folder to score.');
  if (opts.threshold !== undefined && !(opts.threshold >= 0 && opts.threshold <= 1)) {
    throw new SecmlError('BAD_ARGUMENT', `The threshold is a probability between 0 and 1, got ${opts.threshold}.`);
  }
  const progress = work.onProgress;
  const t0 = performance.now();
  let table: ScoringTable;
  try {
    table = await flattenForScoring(inputs, model.info, {
      ...work,
      onProgress: progress && ((p) => progress({ ...p, message: `Reading: ${p.message ?? ''}`, fraction: p.fraction === undefined ? undefined : p.fraction * 0.6 })),
    });
  } catch (e) {
    throw await explainReadError(e, inputs, model.info);
  }
  throwIfAborted(work.signal);
  const t1 = performance.now();
  const scores = table.n === 0 ? new Float32Array(0) : await model.predict(table.rows, table.n, {
    ...work,
    onProgress: progress && ((p) => progress({ ...p, fraction: 0.6 + 0.4 * (p.fraction ?? 0) })),
  });
  if (scores.length !== table.n) throw new SecmlError('INTERNAL', `The model returned ${scores.length} probabilities for ${table.n} sessions.`);
  const t2 = performance.now();
  const threshold = opts.threshold ?? model.threshold.value;
  const order = rankByScore(scores);
  const flagged = countFlagged(scores, threshold);
  const t3 = performance.now();
  const { labelled, metrics } = labelledMetrics(table.labels, scores, threshold);
  const t4 = performance.now();
  return {
    inputs,
    model: { kind: model.kind, label: model.label, location: model.location },
    info: model.info,
    table,
    scores,
    order,
    threshold,
    thresholdSource: opts.threshold !== undefined ? 'given' : model.threshold.source,
    modelThreshold: model.threshold.value,
    flagged,
    labelled,
    metrics,
    seconds: { flatten: (t1 - t0) / 1000, score: (t2 - t1) / 1000, rank: (t3 - t2) / 1000, metrics: (t4 - t3) / 1000, total: (t4 - t0) / 1000 },
  };
}
