/**
 * One interface for running SQL over CloudTrail, whichever engine answers: DuckDB in-process over local files, or Amazon
 * Athena over the S3 bucket. A caller runs a statement (with `?` parameters bound by the engine, never spliced into the
 * text), reads the result in pages, exports the whole result to CSV, and cancels through the AbortSignal it passed
 * (server-side for Athena: StopQueryExecution).
 *
 * Values in rows are JSON-friendly: string, number, boolean, null (SQL NULL, distinct from ''), or, for DuckDB's nested
 * types, plain objects and arrays. 64-bit integers beyond 2^53 and decimals arrive as strings so no digit is lost.
 */
import type { WorkOptions } from '../progress';

export type QueryEngineName = 'duckdb' | 'athena';

export interface QueryColumn {
  name: string;
  /** The engine's type name, e.g. VARCHAR / BIGINT (DuckDB) or varchar / bigint (Athena). */
  type: string;
}

export type QueryValue = string | number | boolean | null | QueryValue[] | { [key: string]: QueryValue };

export interface QueryPage {
  columns: QueryColumn[];
  rows: QueryValue[][];
}

/** A value bound to the next `?` placeholder. */
export type QueryParam = string | number | boolean | null;

export interface QueryRequest {
  /** One SQL statement. */
  sql: string;
  params?: QueryParam[];
  /** Where the statement sits in the user's file, so engine errors point at the right line there. */
  source?: { file?: string; line?: number; column?: number };
}

export interface QueryStats {
  engine: QueryEngineName;
  /** Rows read so far; the total once every page has been read. */
  rows: number;
  /** Wall-clock time from submission to completion (ms). */
  elapsedMs: number;
  /** Time the engine reports it spent executing, when it reports one (Athena). */
  engineMs?: number;
  /** Bytes scanned (Athena), the basis of its price. */
  bytesScanned?: number;
  /** Estimated cost in US dollars (Athena: $5 per TB scanned, 10 MB minimum per query). */
  costUsd?: number;
  /** Athena query execution id. */
  queryId?: string;
  /** Athena's S3 CSV of the whole result. */
  outputLocation?: string;
  /** The engine's statement kind when known (SELECT, DDL, ...). */
  statementType?: string;
}

export interface ExportSummary {
  file: string;
  bytes: number;
  /** Data rows written, when the engine counts them. */
  rows?: number;
}

export interface ExportOptions extends WorkOptions {
  /**
   * Default true: a text cell a spreadsheet would run as a formula (starting with = + - @ tab or CR; not a number such
   * as -5) gets a leading apostrophe. False writes the values exactly as the engine returns them (e.g. for flattening).
   */
  spreadsheetSafe?: boolean;
}

/** A finished query whose rows can be read page by page (once) and exported whole (any number of times). */
export interface QueryExecution {
  readonly columns: QueryColumn[];
  /** Pages in order; each call continues where the previous page ended. */
  pages(options?: { pageSize?: number } & WorkOptions): AsyncIterable<QueryPage>;
  stats(): QueryStats;
  /**
   * Writes the whole result as CSV (header row; NULL as an empty field, '' as ""), atomically; spreadsheet-safe unless
   * `spreadsheetSafe: false` (see ExportOptions).
   */
  exportCsv(file: string, options?: ExportOptions): Promise<ExportSummary>;
  /** Releases what the engine holds for this result. */
  close(): Promise<void>;
}

export interface QueryEngine {
  readonly name: QueryEngineName;
  /**
   * Runs one statement and resolves when its result is ready to page. Aborting `options.signal` cancels the query on the
   * engine (DuckDB interrupt, Athena StopQueryExecution) and rejects with a CANCELLED SecmlError. Failures reject with a
   * QUERY SecmlError carrying the engine's message and, when it names one, the failing line in the user's file.
   */
  run(request: QueryRequest, options?: WorkOptions): Promise<QueryExecution>;
  dispose(): Promise<void>;
}

/** A result held in memory, up to a row limit. */
export interface CollectedResult extends QueryPage {
  /** True when rows beyond `maxRows` exist and were not read. */
  truncated: boolean;
  stats: QueryStats;
}

/** Reads pages until `maxRows` rows are held (the rest, if any, is left unread and `truncated` is set). */
export async function collectRows(execution: QueryExecution, maxRows = Number.POSITIVE_INFINITY, options: WorkOptions = {}): Promise<CollectedResult> {
  const rows: QueryValue[][] = [];
  let truncated = false;
  for await (const page of execution.pages(options)) {
    if (page.rows.length === 0) continue;
    const room = maxRows - rows.length;
    if (page.rows.length > room) {
      for (let i = 0; i < room; i++) rows.push(page.rows[i]);
      truncated = true;
      break;
    }
    for (const r of page.rows) rows.push(r);
  }
  return { columns: execution.columns, rows, truncated, stats: execution.stats() };
}

const MB = 1024 * 1024;
/** Athena bills at least 10 MB per query. */
export const ATHENA_MIN_BILLED_BYTES = 10 * MB;

/** Athena's price: $5 per TB scanned, rounded up to the next MB, 10 MB minimum per query; DDL and failed queries are free. */
export function athenaCostUsd(bytesScanned: number, statementType?: string): number {
  if (statementType === 'DDL') return 0;
  const billedMb = Math.max(ATHENA_MIN_BILLED_BYTES / MB, Math.ceil(bytesScanned / MB));
  return (billedMb * MB * 5) / 1024 ** 4;
}
