/**
 * Choosing and opening a query engine, and running a SQL file's statements in order: what the CLI and the extension
 * share. Parameters are handed to the statements in order, each taking as many values as it has `?` placeholders.
 */
import type { AwsConnection } from '../aws/connection';
import { SecmlError } from '../errors';
import type { WorkOptions } from '../progress';
import type { AthenaPolling } from './athena-engine';
import type { QueryEngine, QueryEngineName, QueryExecution, QueryParam } from './engine';
import { countPlaceholders, type SqlStatement } from './statements';

export interface EngineSettings {
  engine: QueryEngineName;
  /** DuckDB: CloudTrail files and folders behind the `cloudtrail` view. */
  logs?: readonly string[];
  /** DuckDB: more names for the view (the Athena table name your queries use). */
  tableAliases?: readonly string[];
  materialize?: boolean | 'auto';
  /** DuckDB: how to point the view at logs, added to "table does not exist" errors. */
  missingLogsHint?: string;
  athena?: { connection: AwsConnection; workgroup?: string; outputLocation?: string; database?: string; polling?: AthenaPolling };
}

export async function openQueryEngine(settings: EngineSettings, work: WorkOptions = {}): Promise<QueryEngine> {
  if (settings.engine === 'athena') {
    if (!settings.athena) throw new SecmlError('BAD_ARGUMENT', 'Athena needs an AWS connection (profile, region).');
    const { connection, ...rest } = settings.athena;
    const { AthenaEngine } = require('./athena-engine') as typeof import('./athena-engine');
    const { AwsSession } = require('../aws/connection') as typeof import('../aws/connection');
    return new AthenaEngine({ session: new AwsSession(connection), ...rest });
  }
  // Engines load on first use (require, not import: bundled lazily by esbuild, and loadable by tsx in tests): neither
  // DuckDB's native module nor the AWS SDK loads at extension activation.
  const { DuckDBEngine } = require('./duckdb-engine') as typeof import('./duckdb-engine');
  return DuckDBEngine.open({ logs: settings.logs, tableAliases: settings.tableAliases, materialize: settings.materialize, missingLogsHint: settings.missingLogsHint }, work);
}

/** Splits a flat list of values over the statements' placeholders, in order; the counts must match. */
export function distributeParams(statements: readonly SqlStatement[], params: readonly QueryParam[]): QueryParam[][] {
  const counts = statements.map((s) => countPlaceholders(s.text));
  const total = counts.reduce((a, b) => a + b, 0);
  if (total !== params.length) {
    throw new SecmlError('BAD_ARGUMENT', `The SQL has ${total} ? placeholder${total === 1 ? '' : 's'} but ${params.length} parameter value${params.length === 1 ? ' was' : 's were'} given (--param).`);
  }
  let k = 0;
  return counts.map((n) => params.slice(k, (k += n)));
}

export interface StatementOutcome {
  statement: SqlStatement;
  rows?: number;
}

/**
 * Runs every statement in order and returns the last one's execution, open for paging and export (earlier results are
 * read to count their rows, then closed). `file` names the source in errors (`file:line`).
 */
export async function runStatements(
  engine: QueryEngine,
  statements: readonly SqlStatement[],
  params: readonly QueryParam[],
  options: WorkOptions & { file?: string; onStatementDone?: (o: StatementOutcome) => void } = {},
): Promise<QueryExecution> {
  if (!statements.length) throw new SecmlError('BAD_ARGUMENT', `${options.file ?? 'The SQL'} holds no statement to run.`);
  const perStatement = distributeParams(statements, params);
  for (let i = 0; i < statements.length; i++) {
    const s = statements[i];
    const execution = await engine.run({ sql: s.text, params: perStatement[i], source: { file: options.file, line: s.line, column: s.column } }, options);
    if (i === statements.length - 1) return execution;
    let rows = 0;
    for await (const page of execution.pages(options)) rows += page.rows.length;
    await execution.close();
    options.onStatementDone?.({ statement: s, rows });
  }
  throw new SecmlError('INTERNAL', 'unreachable');
}
