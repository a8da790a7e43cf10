/**
 * The SQL behind DuckDB's `cloudtrail` view: `read_json` with an explicit schema (CloudTrail objects are heterogeneous,
 * so sampling-based detection would guess different types per file) and `unnest(Records)` for delivered files, plus the
 * partition columns Athena tables have (account, region, year, month, day, timestamp), taken from a small
 * `cloudtrail_files` table filled from each file's path.
 */
import { duckdbEventColumns, duckdbEventStruct, duckdbSelectList } from './cloudtrail-schema';
import type { CloudTrailFile } from './cloudtrail-files';

export const FILES_TABLE = 'cloudtrail_files';
export const VIEW_NAME = 'cloudtrail';
/** A delivered CloudTrail file is one JSON object; DuckDB needs a ceiling for its size. */
const MAX_OBJECT_BYTES = 1024 * 1024 * 1024;

export function sqlString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export function sqlIdent(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/**
 * DuckDB reads every path in a read_json list as a glob pattern: a log file named `a*.json` (file names are attacker-
 * controlled) would also pull in its neighbours, counting their events twice or reading files the walk skipped. Each
 * glob metacharacter goes in a one-character class (`[*]`), which DuckDB matches literally; it reports the real name.
 */
export function literalGlob(file: string): string {
  return file.replace(/[*?[\]{}]/g, (c) => `[${c}]`);
}

function fileList(files: CloudTrailFile[]): string {
  return `[${files.map((f) => sqlString(literalGlob(f.path))).join(', ')}]`;
}

/** One branch of the UNION ALL per file format present; each yields the Athena-named columns plus `filename`. */
function sourceBranches(files: CloudTrailFile[]): string[] {
  const byFormat = (fmt: CloudTrailFile['format']) => files.filter((f) => f.format === fmt);
  const branches: string[] = [];
  const records = byFormat('records');
  if (records.length) {
    branches.push(
      `SELECT ${duckdbSelectList('r')}, filename FROM (SELECT unnest("Records") AS r, filename FROM read_json(${fileList(records)}, ` +
        `columns = {"Records": '${duckdbEventStruct()}[]'}, format = 'auto', maximum_object_size = ${MAX_OBJECT_BYTES}, filename = true))`,
    );
  }
  for (const [fmt, jsonFormat] of [['lines', 'auto'], ['array', 'array']] as const) {
    const list = byFormat(fmt);
    if (!list.length) continue;
    branches.push(
      `SELECT ${duckdbSelectList('')}, filename FROM read_json(${fileList(list)}, columns = ${duckdbEventColumns()}, ` +
        `format = '${jsonFormat}', maximum_object_size = ${MAX_OBJECT_BYTES}, filename = true)`,
    );
  }
  return branches;
}

/** The statement creating (or replacing) the view under `name`; undefined when there are no files. */
export function cloudTrailViewSql(files: CloudTrailFile[], name = VIEW_NAME): string | undefined {
  const branches = sourceBranches(files);
  if (!branches.length) return undefined;
  return [
    `CREATE OR REPLACE VIEW ${sqlIdent(name)} AS`,
    `SELECT ev.* EXCLUDE (filename),`,
    `  coalesce(f.account, ev.recipientaccountid) AS account,`,
    `  coalesce(f.region, ev.awsregion) AS region,`,
    `  coalesce(f.year, substr(ev.eventtime, 1, 4)) AS year,`,
    `  coalesce(f.month, substr(ev.eventtime, 6, 2)) AS month,`,
    `  coalesce(f.day, substr(ev.eventtime, 9, 2)) AS day,`,
    `  coalesce(f.year, substr(ev.eventtime, 1, 4)) || '/' || coalesce(f.month, substr(ev.eventtime, 6, 2)) || '/' || coalesce(f.day, substr(ev.eventtime, 9, 2)) AS "timestamp"`,
    `FROM (${branches.join('\nUNION ALL\n')}) ev`,
    `LEFT JOIN ${FILES_TABLE} f ON f.filename = ev.filename`,
  ].join('\n');
}

export const FILES_TABLE_SQL = `CREATE OR REPLACE TABLE ${FILES_TABLE} (filename VARCHAR, format VARCHAR, bytes BIGINT, account VARCHAR, region VARCHAR, year VARCHAR, month VARCHAR, day VARCHAR)`;
