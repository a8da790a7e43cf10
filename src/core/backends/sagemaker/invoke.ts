/**
 * Scoring rows on a real-time endpoint: rows (model column order, no label) become text/csv batches under SageMaker's
 * 6 MB payload limit, sent with bounded parallelism; each answer must hold exactly one probability per row, and the
 * results land at the rows' original positions.
 */
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { AwsSession } from '../../aws/connection';
import { SecmlError } from '../../errors';
import { throttle, throwIfAborted, type ProgressCallback } from '../../progress';

/** SageMaker's real-time request limit. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** What we aim for per request: under the limit with room for headers. */
export const DEFAULT_BATCH_BYTES = 5 * 1024 * 1024;
export const MAX_ROWS_PER_BATCH = 50_000;

/** Sends one text/csv body, resolves with the response text. */
export type InvokeFn = (body: string, signal?: AbortSignal) => Promise<string>;

/** Shortest text that reads back as the same float32; NaN (missing) is an empty field, as XGBoost expects. */
export function formatCsvValue(v: number): string {
  if (Number.isNaN(v)) return '';
  if (Number.isInteger(v)) return String(v);
  const f = Math.fround(v);
  for (let p = 6; p < 9; p++) {
    const t = Number(v.toPrecision(p));
    if (Math.fround(t) === f) return String(t);
  }
  return String(Number(v.toPrecision(9)));
}

export function csvRow(rows: Float32Array, i: number, F: number): string {
  const parts = new Array<string>(F);
  for (let j = 0; j < F; j++) parts[j] = formatCsvValue(rows[i * F + j]);
  return parts.join(',');
}

export interface CsvBatch {
  start: number;
  count: number;
  body: string;
}

/** Consecutive rows as text/csv bodies of at most `maxBytes` (and MAX_ROWS_PER_BATCH rows). */
export function* csvBatches(rows: Float32Array, n: number, F: number, maxBytes = DEFAULT_BATCH_BYTES): Generator<CsvBatch> {
  if (maxBytes > MAX_PAYLOAD_BYTES) throw new SecmlError('BAD_ARGUMENT', `A batch of ${maxBytes} bytes exceeds SageMaker's ${MAX_PAYLOAD_BYTES}-byte payload limit.`);
  let start = 0;
  let lines: string[] = [];
  let bytes = 0;
  for (let i = 0; i < n; i++) {
    const line = csvRow(rows, i, F) + '\n';
    const size = Buffer.byteLength(line);
    if (size > maxBytes) throw new SecmlError('BAD_ARGUMENT', `Row ${i + 1} alone is ${size} bytes, over the ${maxBytes}-byte payload limit.`);
    if (lines.length && (bytes + size > maxBytes || lines.length >= MAX_ROWS_PER_BATCH)) {
      yield { start, count: lines.length, body: lines.join('') };
      start = i;
      lines = [];
      bytes = 0;
    }
    lines.push(line);
    bytes += size;
  }
  if (lines.length) yield { start, count: lines.length, body: lines.join('') };
}

/** One probability per row, newline- or comma-separated (both occur across XGBoost container versions). */
export function parsePredictions(text: string, expected: number, where: string): Float32Array {
  const trimmed = text.trim();
  let values: number[];
  if (trimmed.startsWith('{')) {
    const json = JSON.parse(trimmed) as { predictions?: { score?: number }[] };
    values = (json.predictions ?? []).map((p) => Number(p.score));
  } else {
    values = trimmed === '' ? [] : trimmed.split(/[\s,]+/).map(Number);
  }
  if (values.length !== expected) throw new SecmlError('AWS', `${where}: expected ${expected} predictions, got ${values.length}.`, { details: { expected, got: values.length } });
  const out = new Float32Array(expected);
  for (let i = 0; i < expected; i++) {
    const v = values[i];
    if (!Number.isFinite(v) || v < 0 || v > 1) throw new SecmlError('AWS', `${where}: prediction ${i + 1} is "${String(v)}", not a probability.`);
    out[i] = v;
  }
  return out;
}

export interface PredictOptions {
  maxBatchBytes?: number;
  concurrency?: number;
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
  /** For messages: `endpoint x`. */
  what?: string;
}

export async function predictInBatches(invoke: InvokeFn, rows: Float32Array, n: number, F: number, opts: PredictOptions = {}): Promise<Float32Array> {
  if (rows.length !== n * F) throw new SecmlError('BAD_ARGUMENT', `Expected ${n} x ${F} = ${n * F} values, got ${rows.length}.`);
  const out = new Float32Array(n);
  const batches = csvBatches(rows, n, F, opts.maxBatchBytes);
  const report = throttle(opts.onProgress, 250);
  const what = opts.what ?? 'endpoint';
  let done = 0;
  // Workers pull batches lazily from one generator, so a large input is never all in memory as text.
  let failed = false;
  const worker = async () => {
    while (!failed) {
      throwIfAborted(opts.signal);
      const next = batches.next();
      if (next.done) return;
      const b = next.value;
      try {
        const text = await invoke(b.body, opts.signal);
        out.set(parsePredictions(text, b.count, `${what}, rows ${b.start + 1}-${b.start + b.count}`), b.start);
      } catch (e) {
        failed = true;
        throw e;
      }
      done += b.count;
      report({ message: `Scored ${done.toLocaleString('en-US')} of ${n.toLocaleString('en-US')} rows`, done, total: n, unit: 'rows', fraction: n ? done / n : 1 });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 4) }, worker));
  return out;
}

export function endpointInvoker(session: AwsSession, endpointName: string): InvokeFn {
  return async (body, signal) => {
    const res = await session.call(`Invoke endpoint ${endpointName}`, () =>
      session.client(SageMakerRuntimeClient).send(new InvokeEndpointCommand({ EndpointName: endpointName, ContentType: 'text/csv', Accept: 'text/csv', Body: Buffer.from(body) }), { abortSignal: signal }),
    );
    return res.Body ? Buffer.from(res.Body).toString('utf8') : '';
  };
}
