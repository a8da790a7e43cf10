/**
 * AthenaEngine: StartQueryExecution (workgroup, output location, database, `?` values as ExecutionParameters), then
 * GetQueryExecution polled with backoff (not every 200 ms), StopQueryExecution when the caller aborts, results paged
 * with NextToken, statistics with the estimated cost, and export by streaming the CSV Athena already wrote to S3.
 */
import { createWriteStream, promises as fs } from 'node:fs';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
  type QueryExecution as AthenaQueryExecution,
} from '@aws-sdk/client-athena';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsSession } from '../aws/connection';
import { SecmlError, cancelledError, isCancellation, userMessage } from '../errors';
import { sleep, throwIfAborted, type WorkOptions } from '../progress';
import { writeViaTempFile } from './atomic-output';
import { SpreadsheetSafeCsv } from './spreadsheet-safe-csv';
import { athenaColumns, athenaRow, isHeaderRow, parseAthenaCsv, parseS3Uri } from './athena-results';
import { athenaCostUsd, type ExportOptions, type ExportSummary, type QueryColumn, type QueryEngine, type QueryExecution, type QueryPage, type QueryRequest, type QueryStats } from './engine';
import { athenaLiteral, checkParamCount } from './params';
import { formatBytesScanned } from './scan-cost';
import { queryError } from './query-errors';
import { countPlaceholders } from './statements';

export interface AthenaPolling {
  /** First wait after submitting (ms). */
  initialMs: number;
  /** Each wait is the previous one times this factor... */
  factor: number;
  /** ...up to this ceiling (ms). */
  maxMs: number;
}

export const DEFAULT_POLLING: AthenaPolling = { initialMs: 500, factor: 1.5, maxMs: 5000 };

export interface AthenaEngineOptions {
  session: AwsSession;
  /** Default 'primary'. */
  workgroup?: string;
  /** s3://bucket/prefix/ for results; empty: the workgroup's own setting. */
  outputLocation?: string;
  /** Database for unqualified table names (default: Athena's, 'default'). */
  database?: string;
  catalog?: string;
  polling?: AthenaPolling;
}

/** The waits between polls: initial, initial*factor, ... capped at maxMs. */
export function pollDelays(p: AthenaPolling): () => number {
  let next = p.initialMs;
  return () => {
    const d = next;
    next = Math.min(p.maxMs, Math.round(next * p.factor));
    return d;
  };
}

function checkOutputLocation(uri: string | undefined): void {
  if (uri && !/^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(uri)) {
    throw new SecmlError('BAD_ARGUMENT', `The Athena output location "${uri}" must be an S3 URI such as s3://my-bucket/athena-results/ (setting secml.athena.outputLocation).`);
  }
}

export class AthenaEngine implements QueryEngine {
  readonly name = 'athena' as const;

  constructor(private readonly options: AthenaEngineOptions) {
    checkOutputLocation(options.outputLocation);
  }

  get session(): AwsSession {
    return this.options.session;
  }

  private get athena(): AthenaClient {
    return this.options.session.client(AthenaClient);
  }

  async run(request: QueryRequest, options: WorkOptions = {}): Promise<QueryExecution> {
    const { session } = this.options;
    const params = request.params ?? [];
    checkParamCount(countPlaceholders(request.sql), params);
    throwIfAborted(options.signal);
    const t0 = Date.now();
    const started = await session.call('Athena StartQueryExecution', () =>
      this.athena.send(
        new StartQueryExecutionCommand({
          QueryString: request.sql,
          WorkGroup: this.options.workgroup || 'primary',
          ResultConfiguration: this.options.outputLocation ? { OutputLocation: this.options.outputLocation } : undefined,
          QueryExecutionContext: this.options.database || this.options.catalog ? { Database: this.options.database || undefined, Catalog: this.options.catalog || undefined } : undefined,
          ExecutionParameters: params.length ? params.map(athenaLiteral) : undefined,
        }),
        { abortSignal: options.signal },
      ),
    );
    const id = started.QueryExecutionId;
    if (!id) throw new SecmlError('AWS', 'Athena StartQueryExecution returned no query execution id.');
    options.logger?.debug(`Athena query ${id} submitted`);
    const final = await this.waitForCompletion(id, request, options);
    const execution = new AthenaExecution(this, id, final, t0);
    await execution.loadFirstPage(options);
    return execution;
  }

  /** Polls with backoff until the query leaves QUEUED/RUNNING; on abort, stops it on the server first. */
  private async waitForCompletion(id: string, request: QueryRequest, options: WorkOptions): Promise<AthenaQueryExecution> {
    const delay = pollDelays(this.options.polling ?? DEFAULT_POLLING);
    let cancelledElsewhere = false;
    try {
      for (;;) {
        await sleep(delay(), options.signal);
        const out = await this.options.session.call('Athena GetQueryExecution', () =>
          this.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }), { abortSignal: options.signal }),
        );
        const qe = out.QueryExecution ?? {};
        const state = qe.Status?.State;
        const scanned = qe.Statistics?.DataScannedInBytes;
        options.onProgress?.({ message: `Athena: ${state ?? 'UNKNOWN'}${scanned ? `, ${formatBytesScanned(scanned)} scanned` : ''}` });
        if (state === 'SUCCEEDED') return qe;
        if (state === 'FAILED') {
          const reason = qe.Status?.StateChangeReason ?? qe.Status?.AthenaError?.ErrorMessage ?? 'the query failed (no reason given)';
          throw queryError('athena', reason, request);
        }
        if (state === 'CANCELLED') {
          cancelledElsewhere = true;
          throw new SecmlError('CANCELLED', `Athena query ${id} was cancelled (StopQueryExecution from elsewhere).`);
        }
      }
    } catch (e) {
      if (!cancelledElsewhere && (options.signal?.aborted || isCancellation(e))) {
        await this.stop(id, options);
        throw cancelledError();
      }
      throw e;
    }
  }

  /** StopQueryExecution, best effort: a failure to stop is logged, the cancellation still stands. */
  async stop(id: string, options: WorkOptions = {}): Promise<void> {
    try {
      await this.options.session.call('Athena StopQueryExecution', () => this.athena.send(new StopQueryExecutionCommand({ QueryExecutionId: id })));
      options.logger?.info(`Athena query ${id} stopped.`);
    } catch (e) {
      options.logger?.warn(`Could not stop Athena query ${id}: ${userMessage(e)}`);
    }
  }

  async dispose(): Promise<void> {
    /* clients belong to the session */
  }
}

class AthenaExecution implements QueryExecution {
  readonly columns: QueryColumn[] = [];
  private readonly elapsedMs: number;
  private rowsRead = 0;
  private nextToken: string | undefined;
  private started = false;
  private done = false;
  private firstPage: { rows: QueryPage['rows']; token?: string } | undefined;

  constructor(
    private readonly engine: AthenaEngine,
    readonly id: string,
    private readonly qe: AthenaQueryExecution,
    startedAt: number,
  ) {
    this.elapsedMs = Date.now() - startedAt;
  }

  /** Loads the first page so `columns` is known before any page is read (run() awaits this). */
  async loadFirstPage(options: WorkOptions = {}): Promise<void> {
    this.firstPage = await this.fetch(undefined, 1000, options);
  }

  private async fetch(token: string | undefined, pageSize: number, options: WorkOptions): Promise<{ rows: QueryPage['rows']; token?: string }> {
    const session = this.engine.session;
    const out = await session.call('Athena GetQueryResults', () =>
      session.client(AthenaClient).send(new GetQueryResultsCommand({ QueryExecutionId: this.id, MaxResults: Math.min(1000, pageSize), NextToken: token }), { abortSignal: options.signal }),
    );
    if (!this.columns.length) this.columns.push(...athenaColumns(out.ResultSet?.ResultSetMetadata?.ColumnInfo));
    let rows = out.ResultSet?.Rows ?? [];
    if (!this.started) {
      this.started = true;
      if (this.qe.StatementType === 'DML' && isHeaderRow(rows[0], this.columns)) rows = rows.slice(1);
    }
    return { rows: rows.map((r) => athenaRow(r, this.columns)), token: out.NextToken };
  }

  async *pages(options: { pageSize?: number } & WorkOptions = {}): AsyncIterable<QueryPage> {
    const pageSize = options.pageSize ?? 1000;
    if (this.firstPage) {
      const first = this.firstPage;
      this.firstPage = undefined;
      this.rowsRead += first.rows.length;
      this.nextToken = first.token;
      this.done = !first.token;
      yield { columns: this.columns, rows: first.rows };
    }
    while (!this.done) {
      throwIfAborted(options.signal);
      const page = await this.fetch(this.nextToken, pageSize, options);
      this.rowsRead += page.rows.length;
      this.nextToken = page.token;
      this.done = !page.token;
      yield { columns: this.columns, rows: page.rows };
    }
  }

  stats(): QueryStats {
    const s = this.qe.Statistics ?? {};
    const scanned = s.DataScannedInBytes ?? 0;
    return {
      engine: 'athena',
      rows: this.rowsRead,
      elapsedMs: this.elapsedMs,
      engineMs: s.TotalExecutionTimeInMillis ?? s.EngineExecutionTimeInMillis,
      bytesScanned: scanned,
      costUsd: athenaCostUsd(scanned, this.qe.StatementType),
      queryId: this.id,
      outputLocation: this.qe.ResultConfiguration?.OutputLocation,
      statementType: this.qe.StatementType,
    };
  }

  /**
   * Streams the CSV Athena wrote to S3 into the file (byte for byte: it is already a correct CSV of the whole result),
   * counting its rows with a real CSV parser on the way.
   */
  async exportCsv(file: string, options: ExportOptions = {}): Promise<ExportSummary> {
    const location = this.qe.ResultConfiguration?.OutputLocation;
    if (!location) throw new SecmlError('NOT_FOUND', `Athena query ${this.id} has no result file in S3 to export.`);
    const { bucket, key } = parseS3Uri(location);
    const session = this.engine.session;
    return writeViaTempFile(file, async (tmp) => {
      const obj = await session.call(`Read ${location}`, () => session.client(S3Client).send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: options.signal }));
      if (!obj.Body) throw new SecmlError('NOT_FOUND', `${location} is empty.`);
      const body = obj.Body as Readable;
      const total = obj.ContentLength;
      let bytes = 0;
      const counted = async function* (src: AsyncIterable<Uint8Array>) {
        for await (const chunk of src) {
          bytes += chunk.length;
          options.onProgress?.({ message: 'Downloading Athena results', done: bytes, total, unit: 'bytes', fraction: total ? bytes / total : undefined });
          yield chunk;
        }
      };
      // One pass over the body feeds both the file and the parser counting rows. A write error (disk full, a folder
      // that cannot be written) ends the export: the S3 body is destroyed and writeViaTempFile removes the partial file.
      const out = createWriteStream(tmp);
      let writeError: Error | undefined;
      out.on('error', (e) => (writeError ??= e));
      const write = async (chunk: string | Uint8Array) => {
        if (writeError) throw writeError;
        if (!out.write(chunk)) await once(out, 'drain');
      };
      const guard = options.spreadsheetSafe === false ? undefined : new SpreadsheetSafeCsv();
      let records = 0;
      const tee = async function* (src: AsyncIterable<Uint8Array>) {
        for await (const chunk of src) {
          await write(guard ? guard.write(chunk) : chunk);
          yield chunk;
        }
        if (guard) await write(guard.end());
      };
      try {
        for await (const batch of parseAthenaCsv(tee(counted(body)), location)) records += batch.length;
        out.end();
        await finished(out);
      } catch (e) {
        body.destroy();
        out.destroy();
        if (options.signal?.aborted) throw cancelledError();
        throw writeError ?? e;
      }
      const { size } = await fs.stat(tmp);
      return { file, bytes: size, rows: Math.max(0, records - 1) };
    });
  }

  async close(): Promise<void> {
    this.done = true;
    this.firstPage = undefined;
  }
}
