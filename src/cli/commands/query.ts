/**
 * `secml query`: SQL over CloudTrail with DuckDB (local files, no AWS) or Amazon Athena. A .sql file's statements run
 * in order (Athena DDL is harmless on DuckDB) and the last one's result is printed, written as JSON, or exported whole
 * to CSV. Ctrl-C cancels (Athena: StopQueryExecution).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { CommandSpec } from '../command';
import { flag, list, num, positional, str, usageError } from '../args';
import { connectionFromEnv } from '../../core/aws/connection';
import { SecmlError } from '../../core/errors';
import { throttle } from '../../core/progress';
import { collectRows, type QueryEngineName } from '../../core/query/engine';
import { distributeParams, openQueryEngine, runStatements } from '../../core/query/open-engine';
import { parseParam } from '../../core/query/params';
import { describeAthenaScan } from '../../core/query/scan-cost';
import { splitStatements, type SqlStatement } from '../../core/query/statements';
import { formatTextTable } from '../../core/query/text-table';

async function readSql(arg: string): Promise<{ statements: SqlStatement[]; file?: string }> {
  const looksLikeFile = /\.sql$/i.test(arg) && !/\s/.test(arg.trim());
  let text = arg;
  let file: string | undefined;
  try {
    const st = await fs.stat(arg);
    if (st.isFile()) {
      text = await fs.readFile(arg, 'utf8');
      file = arg;
    }
  } catch {
    if (looksLikeFile) throw new SecmlError('NOT_FOUND', `SQL file ${arg} does not exist.`, { file: arg });
  }
  return { statements: splitStatements(text), file };
}

function engineName(value: string | undefined): QueryEngineName {
  const v = (value ?? process.env.SECML_QUERY_ENGINE ?? 'duckdb').toLowerCase();
  if (v !== 'duckdb' && v !== 'athena') throw usageError(`--engine must be duckdb or athena, not "${value}"`);
  return v;
}

export const queryCommand: CommandSpec = {
  name: 'query',
  summary: 'Run SQL over CloudTrail: DuckDB on local files or Amazon Athena',
  description: [
    'SQL_OR_SQL_FILE is a statement or a .sql file; a file\'s statements run in order and the last result is shown.',
    'DuckDB reads --logs (CloudTrail .json/.json.gz files, JSON lines, AWSLogs/... folders) as the view `cloudtrail`,',
    'with Athena\'s column names (useridentity.arn, eventname, ...) and partition columns (account, region, year, month, day).',
    'Parameters: each --param binds the next ? placeholder (text by default; num:10, bool:true, null: for other types).',
    '',
    'examples:',
    '  secml query --logs ./AWSLogs "select eventname, count(*) n from cloudtrail group by 1 order by 2 desc"',
    "  secml query --logs ./logs hunts.sql --param 'CreateUser%' --out createuser.csv",
    '  secml query --engine athena --database security --output-location s3://bucket/athena/ "select count(*) from cloudtrail_logs"',
  ].join('\n'),
  positionals: [{ name: 'SQL_OR_SQL_FILE', description: 'a SQL statement, or a .sql file of statements', required: true }],
  options: [
    { name: 'engine', type: 'string', valueName: 'duckdb|athena', description: 'query engine (env SECML_QUERY_ENGINE)', default: undefined },
    { name: 'logs', type: 'string', multiple: true, valueName: 'PATH', description: 'DuckDB: CloudTrail file or folder behind the cloudtrail view (repeatable)' },
    { name: 'table', type: 'string', multiple: true, valueName: 'NAME', description: 'DuckDB: another name for the view, e.g. the Athena table your SQL uses (repeatable)' },
    { name: 'param', type: 'string', multiple: true, valueName: 'V', description: 'value for the next ? placeholder (repeatable)' },
    { name: 'out', type: 'string', valueName: 'FILE.csv', description: 'write the whole result as CSV (Athena: the CSV it wrote to S3), spreadsheet-safe: a text cell starting with = + - @ gets a leading \'' },
    { name: 'raw-csv', type: 'boolean', description: 'with --out: write cells exactly as the engine returns them (no apostrophe before formula-like text)' },
    { name: 'max-rows', type: 'number', valueName: 'N', description: 'rows to print (default 200 as a table, all with --json)' },
    { name: 'workgroup', type: 'string', valueName: 'NAME', description: 'Athena workgroup (env SECML_ATHENA_WORKGROUP; default primary)' },
    { name: 'output-location', type: 'string', valueName: 'S3_URI', description: "Athena results location (env SECML_ATHENA_OUTPUT_LOCATION; default: the workgroup's)" },
    { name: 'database', type: 'string', valueName: 'NAME', description: 'Athena database (env SECML_ATHENA_DATABASE; default default)' },
  ],
  async run(args, io) {
    const engine = engineName(str(args, 'engine'));
    const logs = list(args, 'logs');
    if (engine === 'athena' && logs.length) throw usageError('--logs is for DuckDB; Athena reads the table\'s S3 location');
    const { statements, file } = await readSql(positional(args, 'SQL_OR_SQL_FILE')!);
    const params = list(args, 'param').map(parseParam);
    try {
      distributeParams(statements, params); // before loading any logs: a wrong --param count is a usage error
    } catch (e) {
      throw usageError((e as Error).message);
    }
    const json = flag(args, 'json');
    const progress = throttle((p) => p.message && io.logger.info(p.message), 1000);
    const work = { signal: io.signal, logger: io.logger, onProgress: progress };

    const env = process.env;
    const qe = await openQueryEngine(
      {
        engine,
        logs,
        tableAliases: list(args, 'table'),
        materialize: false,
        missingLogsHint: 'Give the CloudTrail files or folders with --logs PATH.',
        athena:
          engine === 'athena'
            ? {
                connection: connectionFromEnv(env),
                workgroup: str(args, 'workgroup') ?? env.SECML_ATHENA_WORKGROUP,
                outputLocation: str(args, 'output-location') ?? env.SECML_ATHENA_OUTPUT_LOCATION,
                database: str(args, 'database') ?? env.SECML_ATHENA_DATABASE,
              }
            : undefined,
      },
      work,
    );
    try {
      const execution = await runStatements(qe, statements, params, {
        ...work,
        file,
        onStatementDone: ({ statement, rows }) => io.logger.info(`${file ?? 'statement'}:${statement.line}: done (${rows} row${rows === 1 ? '' : 's'})`),
      });
      try {
        const maxRows = num(args, 'max-rows') ?? (json ? Number.POSITIVE_INFINITY : 200);
        const result = await collectRows(execution, maxRows, work);
        const out = str(args, 'out');
        const exported = out ? await execution.exportCsv(path.resolve(out), { ...work, spreadsheetSafe: !flag(args, 'raw-csv') }) : undefined;
        const stats = { ...execution.stats(), ...(exported ? { exported } : {}) };
        if (json) {
          io.out(JSON.stringify({ columns: result.columns, rows: result.rows, truncated: result.truncated, stats }));
        } else {
          if (result.columns.length) io.out(formatTextTable(result.columns, result.rows));
          const cost = stats.bytesScanned !== undefined ? `, ${describeAthenaScan(stats.bytesScanned, stats.costUsd).join(', ')}` : '';
          const time = `in ${(stats.elapsedMs / 1000).toFixed(2)} s${cost}`;
          io.err(
            result.truncated
              ? `showing the first ${result.rows.length} rows of at least ${stats.rows} ${time}${out ? '' : ' (--out FILE.csv exports them all)'}`
              : `${stats.rows} row${stats.rows === 1 ? '' : 's'} ${time}`,
          );
          if (exported) io.err(`wrote ${exported.rows ?? '?'} rows to ${exported.file}`);
        }
        return 0;
      } finally {
        await execution.close();
      }
    } finally {
      await qe.dispose();
    }
  },
};
