/**
 * The Athena CREATE TABLE for a CloudTrail bucket, in AWS's documented forms (`../shared/datasets/athena-ddl/`):
 *
 * - partition projection (no partitions to maintain): one account and one region gives exactly AWS's documented table
 *   (`timestamp` projected as a date, location ending in the region); several accounts, several regions or an
 *   organisation trail add `account` and `region` enum projections, as AWS's organisation-trail sample does;
 * - manual partitions: the seed's form, PARTITIONED BY (account, region, year, month), plus the generated
 *   `ALTER TABLE ... ADD IF NOT EXISTS PARTITION` lines for every account x region x month from the start date.
 *
 * Row format: the JsonSerDe form AWS documents today (default) or the older CloudTrailSerde form.
 */
import { SecmlError } from '../errors';
import { athenaColumnsDdl } from './cloudtrail-schema';
import { regionNameProblem } from '../aws/connection-settings';

export type CloudTrailSerde = 'json' | 'cloudtrail';

export interface CloudTrailTableOptions {
  /** Table name (default cloudtrail_logs). */
  table?: string;
  bucket: string;
  /** Key prefix before AWSLogs/, if the trail has one. */
  prefix?: string;
  /** Organisation trail: its o-xxxxxxxxxx id (logs live under AWSLogs/o-.../ACCOUNT/). */
  organizationId?: string;
  accounts: string[];
  regions: string[];
  /** First day of logs, YYYY-MM-DD or YYYY/MM/DD. */
  startDate: string;
  /** Manual form only: last month to add partitions for (default: the current month). */
  endDate?: string;
  form: 'projection' | 'manual';
  serde?: CloudTrailSerde;
  /** ALTER TABLE statements carry at most this many partitions each (default 100). */
  partitionsPerStatement?: number;
}

export interface CloudTrailTableDdl {
  /** CREATE TABLE first, then any ALTER TABLE statements. */
  statements: string[];
  /** The statements as one .sql file, with a header comment. */
  sql: string;
  partitions: number;
}

const SERDE = {
  json: "ROW FORMAT SERDE 'org.apache.hive.hcatalog.data.JsonSerDe'",
  cloudtrail: "ROW FORMAT SERDE 'com.amazon.emr.hive.serde.CloudTrailSerde'",
};
const FORMATS = [
  "STORED AS INPUTFORMAT 'com.amazon.emr.cloudtrail.CloudTrailInputFormat'",
  "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
];

function fail(message: string): never {
  throw new SecmlError('BAD_ARGUMENT', message);
}

export type DdlField = 'table' | 'bucket' | 'prefix' | 'organizationId' | 'account' | 'region' | 'date';

/** What is wrong with one input of the wizard, or undefined when it is fine (also used for live validation). */
export function ddlFieldProblem(field: DdlField, value: string): string | undefined {
  switch (field) {
    case 'table':
      return /^[a-z_][a-z0-9_]{0,127}$/i.test(value) ? undefined : `Table name "${value}": use letters, digits and underscores (Athena table names).`;
    case 'bucket':
      return /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(value) && !value.includes('..') ? undefined : `"${value}" is not a valid S3 bucket name.`;
    case 'prefix':
      return value === '' || /^[A-Za-z0-9!_.*()\-/]+$/.test(value) ? undefined : `Prefix "${value}": use letters, digits and - _ . / only.`;
    case 'organizationId':
      return value === '' || /^o-[a-z0-9]{10,32}$/.test(value) ? undefined : `"${value}" is not an AWS Organizations id (o-xxxxxxxxxx).`;
    case 'account':
      return /^\d{12}$/.test(value) ? undefined : `"${value}" is not a 12-digit AWS account id.`;
    case 'region':
      return regionNameProblem(value);
    case 'date':
      try {
        parseDay(value, 'date');
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
  }
}

/** Checks every input that ends up inside the SQL text: nothing user-typed can break out of a quoted literal. */
export function validateTableOptions(o: CloudTrailTableOptions): void {
  const problems = [
    ddlFieldProblem('table', o.table ?? 'cloudtrail_logs'),
    ddlFieldProblem('bucket', o.bucket),
    ddlFieldProblem('prefix', o.prefix ?? ''),
    ddlFieldProblem('organizationId', o.organizationId ?? ''),
    o.accounts.length ? undefined : 'Give at least one AWS account id.',
    ...o.accounts.map((a) => ddlFieldProblem('account', a)),
    o.regions.length ? undefined : 'Give at least one region.',
    ...o.regions.map((r) => ddlFieldProblem('region', r)),
  ];
  const first = problems.find((p) => p !== undefined);
  if (first) fail(first);
  parseDay(o.startDate, 'start date');
  if (o.endDate) parseDay(o.endDate, 'end date');
}

function parseDay(text: string, what: string): { y: number; m: number; d: number } {
  const m = /^(\d{4})[-/](\d{2})[-/](\d{2})$/.exec(text.trim());
  if (!m) fail(`The ${what} "${text}" must look like 2024-01-31.`);
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) fail(`The ${what} "${text}" is not a real date.`);
  return { y, m: mo, d };
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** s3://bucket/[prefix/]AWSLogs/[o-org/] */
function logsRoot(o: CloudTrailTableOptions): string {
  const prefix = (o.prefix ?? '').replace(/^\/+|\/+$/g, '');
  return `s3://${o.bucket}/${prefix ? prefix + '/' : ''}AWSLogs/${o.organizationId ? o.organizationId + '/' : ''}`;
}

function createTable(o: CloudTrailTableOptions, partitionedBy: string, location: string, tblProperties?: string[]): string {
  const lines = [
    `CREATE EXTERNAL TABLE ${o.table ?? 'cloudtrail_logs'} (`,
    athenaColumnsDdl(o.serde ?? 'json'),
    ')',
    `PARTITIONED BY (${partitionedBy})`,
    SERDE[o.serde ?? 'json'],
    ...FORMATS,
    `LOCATION '${location}'`,
  ];
  if (tblProperties) lines.push('TBLPROPERTIES (', tblProperties.map((p) => `  ${p}`).join(',\n'), ')');
  return lines.join('\n');
}

function projectionDdl(o: CloudTrailTableOptions): string[] {
  const start = parseDay(o.startDate, 'start date');
  const range = `${start.y}/${pad2(start.m)}/${pad2(start.d)},NOW`;
  const dateProps = [
    `'projection.enabled'='true'`,
    `'projection.timestamp.format'='yyyy/MM/dd'`,
    `'projection.timestamp.interval'='1'`,
    `'projection.timestamp.interval.unit'='DAYS'`,
    `'projection.timestamp.range'='${range}'`,
    `'projection.timestamp.type'='date'`,
  ];
  const root = logsRoot(o);
  if (o.accounts.length === 1 && o.regions.length === 1 && !o.organizationId) {
    const location = `${root}${o.accounts[0]}/CloudTrail/${o.regions[0]}`;
    return [createTable(o, '`timestamp` string', location, [...dateProps, `'storage.location.template'='${location}/\${timestamp}'`])];
  }
  return [
    createTable(o, 'account string, region string, `timestamp` string', root, [
      ...dateProps,
      `'projection.account.type'='enum'`,
      `'projection.account.values'='${o.accounts.join(',')}'`,
      `'projection.region.type'='enum'`,
      `'projection.region.values'='${o.regions.join(',')}'`,
      `'storage.location.template'='${root}\${account}/CloudTrail/\${region}/\${timestamp}'`,
    ]),
  ];
}

/** Every (year, month) from the start month through the end month, inclusive. */
export function monthsBetween(startDate: string, endDate?: string, now = new Date()): { year: string; month: string }[] {
  const s = parseDay(startDate, 'start date');
  const e = endDate ? parseDay(endDate, 'end date') : { y: now.getUTCFullYear(), m: now.getUTCMonth() + 1, d: 1 };
  if (e.y * 12 + e.m < s.y * 12 + s.m) fail(`The end date ${endDate} is before the start date ${startDate}.`);
  const out: { year: string; month: string }[] = [];
  for (let k = s.y * 12 + (s.m - 1); k <= e.y * 12 + (e.m - 1); k++) out.push({ year: String(Math.floor(k / 12)), month: pad2((k % 12) + 1) });
  return out;
}

function manualDdl(o: CloudTrailTableOptions, now: Date): { statements: string[]; partitions: number } {
  const root = logsRoot(o);
  const table = o.table ?? 'cloudtrail_logs';
  const create = createTable(o, 'account string, region string, year string, month string', root);
  const clauses: string[] = [];
  for (const account of o.accounts)
    for (const region of o.regions)
      for (const { year, month } of monthsBetween(o.startDate, o.endDate, now))
        clauses.push(`PARTITION (account='${account}', region='${region}', year='${year}', month='${month}') LOCATION '${root}${account}/CloudTrail/${region}/${year}/${month}/'`);
  const per = Math.max(1, o.partitionsPerStatement ?? 100);
  const alters: string[] = [];
  for (let i = 0; i < clauses.length; i += per) alters.push(`ALTER TABLE ${table} ADD IF NOT EXISTS\n${clauses.slice(i, i + per).join('\n')}`);
  return { statements: [create, ...alters], partitions: clauses.length };
}

export function cloudTrailTableDdl(o: CloudTrailTableOptions, now = new Date()): CloudTrailTableDdl {
  validateTableOptions(o);
  const { statements, partitions } = o.form === 'projection' ? { statements: projectionDdl(o), partitions: 0 } : manualDdl(o, now);
  const header = [
    `-- CloudTrail table for ${logsRoot(o)} (${o.form === 'projection' ? 'partition projection: no partitions to maintain' : `${partitions} manual partitions: accounts x regions x months`})`,
    `-- Accounts: ${o.accounts.join(', ')}; regions: ${o.regions.join(', ')}; logs from ${o.startDate}.`,
    o.form === 'projection'
      ? `-- Filter on the partition columns (e.g. WHERE "timestamp" >= '${o.startDate.replace(/-/g, '/')}') so Athena reads only those days.`
      : `-- Filter on account, region, year and month so Athena reads only those partitions. Run the ALTER TABLE lines again after adding months.`,
    '',
  ].join('\n');
  return { statements, partitions, sql: header + statements.map((s) => s + ';').join('\n\n') + '\n' };
}
