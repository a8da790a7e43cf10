/**
 * DuckDBEngine: SQL over local CloudTrail files, in-process (no server). `open()` loads @duckdb/node-api lazily (never
 * at extension activation), sets the session to UTC (as Athena), installs the Presto macros and, when log paths are
 * given, creates the `cloudtrail` view (plus any aliases, e.g. the Athena table name a query file uses). Each query
 * runs on its own connection, so paging one result never disturbs another, and cancelling interrupts only that query.
 */
import { createReadStream, createWriteStream, promises as fs } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection, DuckDBInstance, DuckDBResult, DuckDBValueConverter } from '@duckdb/node-api';
import { SecmlError, cancelledError } from '../errors';
import { throwIfAborted, type WorkOptions } from '../progress';
import { findCloudTrailFiles, partitionOf, type CloudTrailFile } from './cloudtrail-files';
import { FILES_TABLE, FILES_TABLE_SQL, VIEW_NAME, cloudTrailViewSql, sqlIdent, sqlString } from './duckdb-cloudtrail-view';
import { makeValueConverter } from './duckdb-values';
import type { ExportOptions, ExportSummary, QueryColumn, QueryEngine, QueryExecution, QueryPage, QueryParam, QueryRequest, QueryStats, QueryValue } from './engine';
import { writeViaTempFile } from './atomic-output';
import { SpreadsheetSafeCsv } from './spreadsheet-safe-csv';
import { prestoMacroStatements } from './presto-functions';
import { queryError } from './query-errors';
import { countPlaceholders } from './statements';
import { checkParamCount } from './params';

export interface DuckDBEngineOptions {
  /** CloudTrail files and folders behind the `cloudtrail` view. */
  logs?: readonly string[];
  /** More names for the view, e.g. `aero_logs_6` so a query file written for that Athena table runs unchanged. */
  tableAliases?: readonly string[];
  /**
   * Parse the logs once into an in-memory table (fast repeated queries; about 1 KB of memory per event) instead of
   * re-reading the files on every query. 'auto': when the logs are under ~512 MB uncompressed.
   */
  materialize?: boolean | 'auto';
  threads?: number;
  /** DuckDB memory_limit, e.g. '2GB'. */
  memoryLimit?: string;
  /** Added to "table does not exist" errors for the cloudtrail view, telling the user how to point it at logs. */
  missingLogsHint?: string;
}

export interface LoadedLogs {
  files: number;
  bytes: number;
  skipped: number;
  materialized: boolean;
  /** Events in the view, counted when materialized. */
  events?: number;
}

type DuckDBModule = typeof import('@duckdb/node-api');

const AUTO_MATERIALIZE_BYTES = 512 * 1024 * 1024;
/** Rough uncompressed size of a gzipped CloudTrail file (JSON compresses ~12-20x). */
const GZIP_RATIO = 15;

function estimatedJsonBytes(files: CloudTrailFile[]): number {
  return files.reduce((sum, f) => sum + (f.path.toLowerCase().endsWith('.gz') ? f.bytes * GZIP_RATIO : f.bytes), 0);
}

/** Polls DuckDB's progress for one connection while a long step runs. */
function watchProgress(conn: DuckDBConnection, options: WorkOptions, message: string): () => void {
  if (!options.onProgress) return () => {};
  const timer = setInterval(() => {
    try {
      const p = conn.progress;
      if (p.percentage >= 0) options.onProgress?.({ message, fraction: Math.min(1, p.percentage / 100) });
    } catch {
      /* connection closed */
    }
  }, 500);
  return () => clearInterval(timer);
}

/**
 * A log file DuckDB could not read (malformed or truncated JSON, unreadable .gz): a LOG_FORMAT error naming the file,
 * without DuckDB's echo of the view's internal SQL (its "LINE n" is not a line of the user's query).
 */
export function logFileError(e: unknown): SecmlError | undefined {
  const message = (e as Error)?.message ?? '';
  const m = /in file "([^"]+)"/.exec(message) ?? /(?:^|\s)"?(\/[^"\s]+\.(?:json|jsonl|ndjson)(?:\.gz)?)"?/.exec(message);
  if (!m || !/Malformed JSON|Invalid Input Error|IO Error|gzip|decompress/i.test(message)) return undefined;
  const what = message
    .split('\n')[0]
    .replace(/^(Invalid Input|IO) Error: /, '')
    .replace(/ in file "[^"]+"/, '')
    .trim();
  return new SecmlError('LOG_FORMAT', `${what} Fix or remove this file, or point the CloudTrail paths elsewhere.`, { file: m[1], cause: e });
}

export class DuckDBEngine implements QueryEngine {
  readonly name = 'duckdb' as const;
  private disposed = false;

  private constructor(
    private readonly duckdb: DuckDBModule,
    private readonly instance: DuckDBInstance,
    private readonly converter: DuckDBValueConverter<QueryValue>,
    private readonly options: DuckDBEngineOptions,
    readonly logs: LoadedLogs | undefined,
  ) {}

  static async open(options: DuckDBEngineOptions = {}, work: WorkOptions = {}): Promise<DuckDBEngine> {
    const duckdb = await import('@duckdb/node-api');
    // Timestamps with time zone print in UTC, as Athena shows them (the binding otherwise uses the machine's offset).
    duckdb.DuckDBTimestampTZValue.timezoneOffsetInMinutes = 0;
    const config: Record<string, string> = {};
    if (options.threads) config.threads = String(options.threads);
    if (options.memoryLimit) config.memory_limit = options.memoryLimit;
    const instance = await duckdb.DuckDBInstance.create(':memory:', config);
    const conn = await instance.connect();
    let engine: DuckDBEngine;
    try {
      await conn.run(`SET GLOBAL TimeZone = 'UTC'`);
      for (const sql of prestoMacroStatements()) await conn.run(sql);
      const logs = options.logs?.length ? await DuckDBEngine.loadLogs(conn, options, work) : undefined;
      engine = new DuckDBEngine(duckdb, instance, makeValueConverter(duckdb), options, logs);
    } catch (e) {
      conn.closeSync();
      instance.closeSync();
      throw e;
    }
    conn.closeSync();
    return engine;
  }

  private static async loadLogs(conn: DuckDBConnection, options: DuckDBEngineOptions, work: WorkOptions): Promise<LoadedLogs> {
    const found = await findCloudTrailFiles(options.logs ?? [], work);
    if (found.files.length === 0) {
      const why = found.skipped.length ? ` (${found.skipped.length} JSON file(s) skipped, e.g. ${found.skipped[0].path} ${found.skipped[0].reason})` : '';
      throw new SecmlError('NOT_FOUND', `No CloudTrail logs found in ${(options.logs ?? []).join(', ')}${why}.`, { file: options.logs?.[0] });
    }
    await conn.run(FILES_TABLE_SQL);
    const appender = await conn.createAppender(FILES_TABLE);
    for (const f of found.files) {
      const p = partitionOf(f.path);
      appender.appendVarchar(f.path);
      appender.appendVarchar(f.format);
      appender.appendBigInt(BigInt(f.bytes));
      for (const v of [p.account, p.region, p.year, p.month, p.day]) v === undefined ? appender.appendNull() : appender.appendVarchar(v);
      appender.endRow();
    }
    appender.closeSync();
    const materialize = options.materialize === 'auto' ? estimatedJsonBytes(found.files) <= AUTO_MATERIALIZE_BYTES : Boolean(options.materialize);
    const loaded: LoadedLogs = { files: found.files.length, bytes: found.files.reduce((s, f) => s + f.bytes, 0), skipped: found.skipped.length, materialized: materialize };
    if (materialize) {
      await DuckDBEngine.createView(conn, cloudTrailViewSql(found.files, `${VIEW_NAME}_source`)!);
      work.onProgress?.({ message: `Loading ${found.files.length} CloudTrail file(s)` });
      const stop = watchProgress(conn, work, `Loading ${found.files.length} CloudTrail file(s)`);
      const onAbort = () => conn.interrupt();
      work.signal?.addEventListener('abort', onAbort, { once: true });
      try {
        await conn.run(`CREATE OR REPLACE TABLE ${sqlIdent(VIEW_NAME)} AS SELECT * FROM ${sqlIdent(`${VIEW_NAME}_source`)}`);
      } catch (e) {
        if (work.signal?.aborted) throw cancelledError();
        throw logFileError(e) ?? new SecmlError('LOG_FORMAT', `Could not read the CloudTrail logs: ${(e as Error).message.split('\n')[0]}`, { cause: e });
      } finally {
        stop();
        work.signal?.removeEventListener('abort', onAbort);
      }
      const count = await conn.runAndReadAll(`SELECT count(*) FROM ${sqlIdent(VIEW_NAME)}`);
      loaded.events = Number(count.getRows()[0][0]);
    } else {
      await DuckDBEngine.createView(conn, cloudTrailViewSql(found.files)!);
    }
    for (const alias of options.tableAliases ?? []) {
      if (alias.toLowerCase() === VIEW_NAME) continue;
      await conn.run(`CREATE OR REPLACE VIEW ${sqlIdent(alias)} AS SELECT * FROM ${sqlIdent(VIEW_NAME)}`);
    }
    return loaded;
  }

  /** Creating the view reads the files' first bytes: a malformed file fails here, named. */
  private static async createView(conn: DuckDBConnection, sql: string): Promise<void> {
    try {
      await conn.run(sql);
    } catch (e) {
      throw logFileError(e) ?? e;
    }
  }

  private bindValues(request: QueryRequest): QueryParam[] | undefined {
    const params = request.params ?? [];
    const placeholders = countPlaceholders(request.sql);
    if (placeholders > 0 || params.length > 0) {
      if (!/\$\w/.test(request.sql)) checkParamCount(placeholders, params);
    }
    return params.length ? params : undefined;
  }

  private toError(e: unknown, request: QueryRequest, signal?: AbortSignal): SecmlError {
    const message = (e as Error)?.message ?? String(e);
    if (signal?.aborted || /^INTERRUPT Error/i.test(message)) return cancelledError();
    const fileError = logFileError(e);
    if (fileError) return fileError;
    const err = queryError('duckdb', message, request, e);
    const missing = /Table with name (\S+) does not exist/.exec(message);
    if (missing && !this.logs && this.options.missingLogsHint) {
      return new SecmlError('QUERY', `${err.message} ${this.options.missingLogsHint}`, { file: err.file, line: err.line, cause: e, details: err.details });
    }
    if (missing && this.logs) {
      return new SecmlError('QUERY', `${err.message} The local CloudTrail view is named "${VIEW_NAME}"; to run a query written for another table name unchanged, add that name as an alias.`, {
        file: err.file,
        line: err.line,
        cause: e,
        details: err.details,
      });
    }
    return err;
  }

  /**
   * Athena's table DDL has no meaning locally (the view reads the files, partitions come from their paths), but a query
   * file written for Athena starts with it: CREATE EXTERNAL TABLE t makes `t` another name for the view, and ALTER TABLE
   * ... ADD PARTITION / MSCK REPAIR TABLE do nothing. So a seed file runs top to bottom on either engine.
   */
  private athenaDdlStatement(sql: string): string | undefined {
    const code = sql.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*\s*/, '');
    const create = /^create\s+external\s+table\s+(?:if\s+not\s+exists\s+)?`?([A-Za-z_][\w]*)`?(?:\.`?([A-Za-z_]\w*)`?)?/i.exec(code);
    if (create) {
      const table = create[2] ?? create[1];
      return table.toLowerCase() === VIEW_NAME ? 'SELECT 1 WHERE false' : `CREATE OR REPLACE VIEW ${sqlIdent(table)} AS SELECT * FROM ${sqlIdent(VIEW_NAME)}`;
    }
    if (/^alter\s+table\s+\S+\s+(add|drop)\s+(if\s+(not\s+)?exists\s+)?partition\b/i.test(code) || /^msck\s+repair\s+table\b/i.test(code)) return 'SELECT 1 WHERE false';
    return undefined;
  }

  async run(request: QueryRequest, options: WorkOptions = {}): Promise<QueryExecution> {
    if (this.disposed) throw new SecmlError('INTERNAL', 'The DuckDB engine was closed.');
    throwIfAborted(options.signal);
    const shim = this.athenaDdlStatement(request.sql);
    if (shim && !this.logs) {
      throw new SecmlError('QUERY', `Athena table DDL needs local CloudTrail logs to stand for the table. ${this.options.missingLogsHint ?? ''}`.trim(), {
        file: request.source?.file,
        line: request.source?.line,
      });
    }
    if (shim) request = { ...request, sql: shim, params: [] };
    const values = this.bindValues(request);
    const conn = await this.instance.connect();
    const onAbort = () => conn.interrupt();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const stop = watchProgress(conn, options, 'Running query');
    const t0 = Date.now();
    try {
      const result = values ? await conn.stream(request.sql, values as never) : await conn.stream(request.sql);
      return new DuckDBExecution(this, conn, result, request, values, t0, options.signal);
    } catch (e) {
      conn.closeSync();
      throw this.toError(e, request, options.signal);
    } finally {
      stop();
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** @internal Shared by executions: value conversion, a fresh connection for exports, error mapping. */
  get internals() {
    return { duckdb: this.duckdb, converter: this.converter, connect: () => this.instance.connect(), toError: this.toError.bind(this) };
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.instance.closeSync();
  }
}

/** Streams `from` through the spreadsheet formula guard into `to`, then removes `from`. */
async function guardCsvFile(from: string, to: string): Promise<void> {
  const guard = new SpreadsheetSafeCsv();
  try {
    await pipeline(
      createReadStream(from),
      async function* (chunks: AsyncIterable<Buffer>) {
        for await (const chunk of chunks) yield guard.write(chunk);
        yield guard.end();
      },
      createWriteStream(to),
    );
  } finally {
    await fs.rm(from, { force: true });
  }
}

class DuckDBExecution implements QueryExecution {
  readonly columns: QueryColumn[];
  private rowsRead = 0;
  private elapsedMs: number;
  private done = false;
  private closed = false;

  constructor(
    private readonly engine: DuckDBEngine,
    private readonly conn: DuckDBConnection,
    private readonly result: DuckDBResult,
    private readonly request: QueryRequest,
    private readonly values: QueryParam[] | undefined,
    private readonly startedAt: number,
    private readonly signal?: AbortSignal,
  ) {
    const names = result.columnNames();
    const types = result.columnTypes();
    this.columns = names.map((name, i) => ({ name, type: types[i].toString() }));
    this.elapsedMs = Date.now() - startedAt;
  }

  async *pages(options: { pageSize?: number } & WorkOptions = {}): AsyncIterable<QueryPage> {
    const { converter, toError } = this.engine.internals;
    const pageSize = options.pageSize ?? 2048;
    const signal = options.signal ?? this.signal;
    const onAbort = () => this.conn.interrupt();
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      let buffered: QueryValue[][] = [];
      while (!this.done && !this.closed) {
        throwIfAborted(signal);
        let chunk;
        try {
          chunk = await this.result.fetchChunk();
        } catch (e) {
          throw toError(e, this.request, signal);
        }
        if (!chunk || chunk.rowCount === 0) {
          this.done = true;
          break;
        }
        const rows = chunk.convertRows(converter) as QueryValue[][];
        this.rowsRead += rows.length;
        buffered = buffered.length ? buffered.concat(rows) : rows;
        if (buffered.length >= pageSize) {
          yield { columns: this.columns, rows: buffered };
          buffered = [];
        }
      }
      this.elapsedMs = Date.now() - this.startedAt;
      if (buffered.length) yield { columns: this.columns, rows: buffered };
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  stats(): QueryStats {
    return { engine: 'duckdb', rows: this.rowsRead, elapsedMs: this.done ? this.elapsedMs : Date.now() - this.startedAt, statementType: this.engine.internals.duckdb.StatementType[this.result.statementType] };
  }

  /**
   * COPY (statement) TO a temp file, renamed into place: the whole result, however many rows the grid holds. Spreadsheet-
   * safe exports COPY to a second temp file first and stream it through the formula guard.
   */
  async exportCsv(file: string, options: ExportOptions = {}): Promise<ExportSummary> {
    const { connect, toError } = this.engine.internals;
    throwIfAborted(options.signal);
    return writeViaTempFile(file, async (tmp) => {
      const conn = await connect();
      const onAbort = () => conn.interrupt();
      options.signal?.addEventListener('abort', onAbort, { once: true });
      const stop = watchProgress(conn, options, 'Exporting CSV');
      try {
        const safe = options.spreadsheetSafe !== false;
        const copied = safe ? `${tmp}.copy` : tmp;
        const sql = `COPY (\n${this.request.sql}\n) TO ${sqlString(copied)} (FORMAT csv, HEADER true)`;
        const r = this.values ? await conn.run(sql, this.values as never) : await conn.run(sql);
        const rows = r.rowsChanged;
        if (safe) await guardCsvFile(copied, tmp);
        const { size } = await fs.stat(tmp);
        return { file, bytes: size, rows };
      } catch (e) {
        throw toError(e, { ...this.request, source: undefined }, options.signal);
      } finally {
        stop();
        options.signal?.removeEventListener('abort', onAbort);
        conn.closeSync();
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.conn.closeSync();
  }
}
