/**
 * The generated DDL against AWS's own documented DDL (../shared/datasets/athena-ddl/) and against the seed's hand-written
 * partitions: columns and nested types, partition columns, SerDe and formats, LOCATION, and TBLPROPERTIES are parsed from
 * both texts and compared, so a difference in any of them fails.
 */
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { requireDataset, SHARED_DATASETS } from '../../helpers/tools';
import { cloudTrailTableDdl, monthsBetween } from '../../../src/core/query/cloudtrail-ddl';
import { splitStatements } from '../../../src/core/query/statements';

const DDL_DIR = `${SHARED_DATASETS}/athena-ddl`;
const doc = (name: string) => readFileSync(`${DDL_DIR}/${name}`, 'utf8');

// ---- a small parser for Hive DDL, enough to compare two CREATE TABLEs structurally ----
type HiveType = string | { struct: Record<string, HiveType> } | { array: HiveType } | { map: [HiveType, HiveType] };

function tokens(text: string): string[] {
  return text.match(/`[^`]+`|[A-Za-z_][\w]*|[<>,:()]/g)!.map((t) => t.replace(/`/g, ''));
}

function parseColumns(toks: string[], pos = { i: 0 }, close?: string): Record<string, HiveType> {
  const cols: Record<string, HiveType> = {};
  while (pos.i < toks.length && toks[pos.i] !== close) {
    const name = toks[pos.i++].toLowerCase();
    if (toks[pos.i] === ':') pos.i++;
    cols[name] = parseType(toks, pos);
    if (toks[pos.i] === ',') pos.i++;
  }
  pos.i++; // the closing token
  return cols;
}

function parseType(toks: string[], pos: { i: number }): HiveType {
  const t = toks[pos.i++].toLowerCase();
  if (t === 'struct') {
    pos.i++; // <
    return { struct: parseColumns(toks, pos, '>') };
  }
  if (t === 'array') {
    pos.i++;
    const inner = parseType(toks, pos);
    pos.i++; // >
    return { array: inner };
  }
  if (t === 'map') {
    pos.i++;
    const k = parseType(toks, pos);
    pos.i++; // ,
    const v = parseType(toks, pos);
    pos.i++; // >
    return { map: [k, v] };
  }
  return t;
}

interface ParsedTable {
  columns: Record<string, HiveType>;
  partitions: string[];
  rowFormat: string;
  formats: string[];
  location: string;
  properties: Record<string, string>;
}

function parseCreate(sql: string): ParsedTable {
  const text = sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
  const start = text.indexOf('(', text.search(/CREATE EXTERNAL TABLE/i));
  const end = text.search(/\)\s*(COMMENT\s+'[^']*'\s*)?PARTITIONED BY/i);
  const columns = parseColumns(tokens(text.slice(start + 1, end)));
  const partitions = /PARTITIONED BY\s*\(([^)]*)\)/i.exec(text)![1].split(',').map((p) => p.trim().replace(/`/g, '').replace(/\s+/g, ' ').toLowerCase());
  const rowFormat = /ROW FORMAT SERDE\s+'([^']+)'/i.exec(text)![1];
  const formats = [/INPUTFORMAT\s+'([^']+)'/i.exec(text)![1], /OUTPUTFORMAT\s+'([^']+)'/i.exec(text)![1]];
  const location = /LOCATION\s+'([^']+)'/i.exec(text)![1];
  const properties: Record<string, string> = {};
  const props = /TBLPROPERTIES\s*\(([\s\S]*)\)/i.exec(text);
  if (props) for (const m of props[1].matchAll(/["']([^"']+)["']\s*=\s*["']([^"']*)["']/g)) properties[m[1]] = m[2];
  return { columns, partitions, rowFormat, formats, location, properties };
}

describe('query/cloudtrail-ddl', function () {
  const NOW = new Date(Date.UTC(2024, 2, 15));
  before(function () {
    requireDataset(this, DDL_DIR);
    requireDataset(this, `${SHARED_DATASETS}/sec351`);
  });

  it('single account and region with projection = AWS documented JsonSerDe table, property for property', () => {
    const ours = parseCreate(
      cloudTrailTableDdl({ table: 'cloudtrail_logs_pp', bucket: 'bucket', accounts: ['111122223333'], regions: ['us-east-1'], startDate: '2020-01-01', form: 'projection' }).statements[0],
    );
    const aws = parseCreate(doc('cloudtrail_logs_partition_projection_JsonSerDe.sql').replace(/account-id/g, '111122223333').replace(/aws-region/g, 'us-east-1'));
    assert.deepEqual(ours.columns, aws.columns);
    assert.deepEqual(ours.partitions, aws.partitions);
    assert.equal(ours.rowFormat, aws.rowFormat);
    assert.deepEqual(ours.formats, aws.formats);
    assert.equal(ours.location, aws.location);
    assert.deepEqual(ours.properties, aws.properties);
  });

  it('the CloudTrailSerde variant = AWS documented CloudTrailSerde projection table', () => {
    const ours = parseCreate(
      cloudTrailTableDdl({ bucket: 'bucket', accounts: ['111122223333'], regions: ['us-east-1'], startDate: '2020/01/01', form: 'projection', serde: 'cloudtrail' }).statements[0],
    );
    const aws = parseCreate(doc('cloudtrail_logs_partition_projection_CloudTrailSerde.sql').replace(/account-id/g, '111122223333').replace(/aws-region/g, 'us-east-1'));
    assert.deepEqual(ours.columns, aws.columns);
    assert.equal(ours.rowFormat, 'com.amazon.emr.hive.serde.CloudTrailSerde');
    assert.equal(ours.rowFormat, aws.rowFormat);
    assert.deepEqual(ours.properties, aws.properties);
  });

  it('manual form has the documented columns and SerDe (JsonSerDe and CloudTrailSerde docs)', () => {
    for (const [serde, file] of [
      ['json', 'cloudtrail_logs_manual_partitions_JsonSerDe.sql'],
      ['cloudtrail', 'cloudtrail_logs_manual_partitions_CloudTrailSerde.sql'],
    ] as const) {
      const ours = parseCreate(cloudTrailTableDdl({ bucket: 'b-logs', accounts: ['111122223333'], regions: ['us-east-1'], startDate: '2024-01-01', form: 'manual', serde }, NOW).statements[0]);
      const aws = parseCreate(doc(file));
      const oursCols = { ...ours.columns };
      // AWS's 2022 CloudTrailSerde manual sample predates vpcEndpointId, which its projection sample (same commit) has.
      if (serde === 'cloudtrail') delete oursCols.vpcendpointid;
      assert.deepEqual(oursCols, aws.columns, file);
      assert.equal(ours.rowFormat, aws.rowFormat);
      assert.deepEqual(ours.formats, aws.formats);
      // Documented organisation-trail partitions are (account, region, year, month, day); ours (the seed's) stop at month.
      assert.deepEqual(ours.partitions, ['account string', 'region string', 'year string', 'month string']);
    }
  });

  it("regenerates the seed's 96 hand-written ALTER TABLE partitions exactly", () => {
    const seedSql = readFileSync(`${SHARED_DATASETS}/sec351/eda/SEC351-Athena-CT-query-4x4.sql`, 'utf8');
    const seedAlter = splitStatements(seedSql)[1].text;
    const seedClauses = seedAlter.split('\n').filter((l) => l.startsWith('PARTITION'));
    assert.equal(seedClauses.length, 96);
    const ddl = cloudTrailTableDdl({
      table: 'aero_logs_6',
      bucket: 'rein2019-builder-cloudtrail-1',
      organizationId: 'o-dzechg70s9',
      accounts: ['266533154659', '387170699591', '002726030336', '004233244793'],
      regions: ['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2'],
      startDate: '2019-06-01',
      endDate: '2019-11-30',
      form: 'manual',
      serde: 'cloudtrail',
    });
    assert.equal(ddl.partitions, 96);
    assert.equal(ddl.statements.length, 2, 'CREATE + one ALTER of 96 partitions (limit 100 per statement)');
    const ours = ddl.statements[1].split('\n').filter((l) => l.startsWith('PARTITION'));
    assert.deepEqual(ours, seedClauses);
    const seedTable = parseCreate(splitStatements(seedSql)[0].text);
    const ourTable = parseCreate(ddl.statements[0]);
    assert.equal(ourTable.location, seedTable.location);
    assert.deepEqual(ourTable.partitions, seedTable.partitions.map((p) => p.replace(/\s+/g, ' ')));
    assert.deepEqual(ourTable.columns, seedTable.columns);
  });

  it('organisation trail with projection follows AWS security-analytics-bootstrap: date, region and account projections', () => {
    const ddl = cloudTrailTableDdl({
      bucket: 'central-logs',
      prefix: 'prod',
      organizationId: 'o-abcdefghij',
      accounts: ['111122223333', '444455556666'],
      regions: ['us-east-1', 'eu-west-1'],
      startDate: '2023-11-30',
      form: 'projection',
    });
    const ours = parseCreate(ddl.statements[0]);
    const aws = parseCreate(doc('awslabs_aws-security-analytics-bootstrap_create_cloudtrail_table.sql'));
    const rename: Record<string, string> = { date_partition: 'timestamp', region_partition: 'region', account_partition: 'account' };
    // Same projection properties under our partition names; values differ only where they are ours (accounts, regions, dates, bucket).
    const expectedKeys = Object.keys(aws.properties).map((k) => k.replace(/projection\.(\w+_partition)\./, (_m, p) => `projection.${rename[p]}.`)).sort();
    assert.deepEqual(Object.keys(ours.properties).sort(), expectedKeys);
    for (const [k, v] of Object.entries(aws.properties)) {
      const key = k.replace(/projection\.(\w+_partition)\./, (_m, p) => `projection.${rename[p]}.`);
      if (/\.(type|format|interval|interval\.unit)$/.test(key) || key === 'projection.enabled') assert.equal(ours.properties[key], v, key);
    }
    assert.equal(ours.properties['projection.timestamp.range'], '2023/11/30,NOW');
    assert.equal(ours.properties['projection.account.values'], '111122223333,444455556666');
    assert.equal(ours.properties['projection.region.values'], 'us-east-1,eu-west-1');
    assert.equal(ours.location, 's3://central-logs/prod/AWSLogs/o-abcdefghij/');
    assert.equal(ours.properties['storage.location.template'], 's3://central-logs/prod/AWSLogs/o-abcdefghij/${account}/CloudTrail/${region}/${timestamp}');
    assert.equal(
      aws.properties['storage.location.template'].replace(/\$\{(\w+_partition)\}/g, (_m, p) => `\${${rename[p]}}`).replace('s3://<bucket_name>/<optional_prefix>/AWSLogs/', ''),
      ours.properties['storage.location.template'].replace('s3://central-logs/prod/AWSLogs/o-abcdefghij/', ''),
    );
    assert.deepEqual(ours.columns, parseCreate(doc('cloudtrail_logs_partition_projection_JsonSerDe.sql')).columns);
    assert.match(ddl.sql, /^-- CloudTrail table for s3:\/\/central-logs\/prod\/AWSLogs\/o-abcdefghij\/ \(partition projection/);
    assert.equal(splitStatements(ddl.sql).length, 1);
  });

  it('splits many partitions over several ALTER TABLE statements that can be re-run (IF NOT EXISTS)', () => {
    const ddl = cloudTrailTableDdl(
      { bucket: 'b-logs', accounts: ['111122223333', '444455556666'], regions: ['us-east-1', 'us-west-2', 'eu-west-1'], startDate: '2022-01-15', form: 'manual', partitionsPerStatement: 50 },
      NOW,
    );
    assert.equal(ddl.partitions, 2 * 3 * 27, 'Jan 2022 .. Mar 2024 = 27 months');
    assert.equal(ddl.statements.length, 1 + Math.ceil(162 / 50));
    for (const s of ddl.statements.slice(1)) assert.match(s, /^ALTER TABLE cloudtrail_logs ADD IF NOT EXISTS\nPARTITION/);
    assert.match(ddl.statements[1], /PARTITION \(account='111122223333', region='us-east-1', year='2022', month='01'\) LOCATION 's3:\/\/b-logs\/AWSLogs\/111122223333\/CloudTrail\/us-east-1\/2022\/01\/'/);
    assert.equal(splitStatements(ddl.sql).length, ddl.statements.length);
  });

  it('rejects anything that would not be a valid name or could break out of a SQL literal', () => {
    const base = { bucket: 'b-logs', accounts: ['111122223333'], regions: ['us-east-1'], startDate: '2024-01-01', form: 'projection' as const };
    assert.throws(() => cloudTrailTableDdl({ ...base, bucket: "b'; drop" }), (e: any) => e.code === 'BAD_ARGUMENT' && /bucket/.test(e.message));
    assert.throws(() => cloudTrailTableDdl({ ...base, accounts: ['12345'] }), /12-digit/);
    assert.throws(() => cloudTrailTableDdl({ ...base, regions: ["us-east-1'"] }), /region/);
    assert.throws(() => cloudTrailTableDdl({ ...base, table: 'my-table' }), /Table name/);
    assert.throws(() => cloudTrailTableDdl({ ...base, prefix: "x'y" }), /Prefix/);
    assert.throws(() => cloudTrailTableDdl({ ...base, organizationId: 'org-1' }), /Organizations/);
    assert.throws(() => cloudTrailTableDdl({ ...base, startDate: '2024-02-30' }), /not a real date/);
    assert.throws(() => monthsBetween('2024-05-01', '2024-04-01'), /before the start/);
  });
});
