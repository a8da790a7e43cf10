/**
 * DuckDB macros for the Presto/Trino functions Athena queries over CloudTrail use, so a query written for Athena runs
 * unchanged on the local `cloudtrail` view. Where Presto and DuckDB share a name with a different signature (date_add,
 * replace), the macro keeps DuckDB's own form and adds Presto's.
 *
 * Presto's date_format/date_parse take MySQL-style specifiers (%i minutes, %s seconds, %T time...); `presto_datetime_format`
 * rewrites them into strftime's.
 */

const FORMAT_REWRITES: ReadonlyArray<readonly [string, string]> = [
  // Order matters: Presto's %M (month name) must become %B before %i (minutes) becomes %M.
  ['%M', '%B'],
  ['%W', '%A'],
  ['%i', '%M'],
  ['%s', '%S'],
  ['%h', '%I'],
  ['%c', '%-m'],
  ['%e', '%-d'],
  ['%k', '%-H'],
  ['%l', '%-I'],
  ['%T', '%H:%M:%S'],
  ['%r', '%I:%M:%S %p'],
];

function formatRewrite(arg: string): string {
  return FORMAT_REWRITES.reduce((expr, [from, to]) => `system.main.replace(${expr}, '${from}', '${to}')`, arg);
}

/** The same rewrite in TypeScript (strptime needs a constant format, so date_parse lists the common ones). */
export function strftimeFormat(prestoFormat: string): string {
  return FORMAT_REWRITES.reduce((f, [from, to]) => f.split(from).join(to), prestoFormat);
}

/** Formats date_parse understands locally (DuckDB's strptime only takes a constant format). */
export const DATE_PARSE_FORMATS = [
  '%Y-%m-%dT%H:%i:%sZ',
  '%Y-%m-%dT%H:%i:%s.%fZ',
  '%Y-%m-%dT%H:%i:%s',
  '%Y-%m-%d %H:%i:%s',
  '%Y-%m-%d %H:%i:%s.%f',
  '%Y-%m-%d %H:%i',
  '%Y-%m-%d',
  '%Y/%m/%d',
  '%Y/%m/%d %H:%i:%s',
  '%Y%m%d',
  '%m/%d/%Y',
  '%d/%m/%Y',
  '%m/%d/%Y %H:%i:%s',
];

function dateParseMacro(): string {
  const quote = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const branches = DATE_PARSE_FORMATS.map((f) => `WHEN ${quote(f)} THEN strptime(s, ${quote(strftimeFormat(f))})`).join(' ');
  return `CREATE OR REPLACE MACRO date_parse(s, f) AS CASE f ${branches} ELSE error('date_parse: the format ' || f || ' is not supported by the local DuckDB engine; use one of: ${DATE_PARSE_FORMATS.join(' | ')}') END`;
}

/** The CREATE MACRO statements, run once per connection. */
export function prestoMacroStatements(): string[] {
  return [
    `CREATE OR REPLACE MACRO presto_datetime_format(f) AS ${formatRewrite('f')}`,
    `CREATE OR REPLACE MACRO from_iso8601_timestamp(s) AS CAST(s AS TIMESTAMPTZ)`,
    `CREATE OR REPLACE MACRO from_iso8601_date(s) AS CAST(s AS DATE)`,
    `CREATE OR REPLACE MACRO to_iso8601(t) AS strftime(timezone('UTC', CAST(t AS TIMESTAMPTZ)), '%Y-%m-%dT%H:%M:%S.%gZ')`,
    dateParseMacro(),
    `CREATE OR REPLACE MACRO date_format(t, f) AS strftime(t, presto_datetime_format(f))`,
    `CREATE OR REPLACE MACRO date_add(a, b) AS system.main.date_add(a, b), (unit, n, t) AS t + n * CAST('1 ' || unit AS INTERVAL)`,
    `CREATE OR REPLACE MACRO json_extract_scalar(j, p) AS CASE WHEN json_type(json_extract(TRY_CAST(j AS JSON), p)) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(TRY_CAST(j AS JSON), p) END`,
    `CREATE OR REPLACE MACRO json_parse(s) AS CAST(s AS JSON)`,
    `CREATE OR REPLACE MACRO json_format(j) AS CAST(j AS VARCHAR)`,
    `CREATE OR REPLACE MACRO regexp_like(s, p) AS regexp_matches(s, p)`,
    `CREATE OR REPLACE MACRO replace(s, f) AS system.main.replace(s, f, ''), (s, f, r) AS system.main.replace(s, f, r)`,
    `CREATE OR REPLACE MACRO approx_distinct(x) AS approx_count_distinct(x)`,
    `CREATE OR REPLACE MACRO approx_percentile(x, p) AS approx_quantile(x, p)`,
    `CREATE OR REPLACE MACRO arbitrary(x) AS any_value(x)`,
    `CREATE OR REPLACE MACRO array_join(a, sep) AS array_to_string(a, sep)`,
    `CREATE OR REPLACE MACRO to_unixtime(t) AS epoch(t)`,
    `CREATE OR REPLACE MACRO from_unixtime(n) AS to_timestamp(n)`,
    `CREATE OR REPLACE MACRO day_of_week(t) AS isodow(t)`,
  ];
}
