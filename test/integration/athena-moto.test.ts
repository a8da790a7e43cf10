/**
 * AthenaEngine against moto_server (../shared/notes/moto.md): a parameterised query polls through QUEUED -> RUNNING ->
 * SUCCEEDED, results are paged, cancelling sends StopQueryExecution (the query ends CANCELLED on the server), and
 * export streams the CSV Athena wrote to S3. moto never runs SQL: results are seeded, and its CSV does not escape
 * quotes, so the quoting test writes the CSV the way Athena does.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Readable } from 'node:stream';
import { AthenaClient, GetQueryExecutionCommand, ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { CreateBucketCommand, DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startMoto, type Moto } from '../helpers/moto';
import { AwsSession } from '../../src/core/aws/connection';
import { AthenaEngine } from '../../src/core/query/athena-engine';
import { parseAthenaCsv, parseS3Uri } from '../../src/core/query/athena-results';
import { collectRows } from '../../src/core/query/engine';
import { runCli } from '../../src/cli/main';

const BUCKET = 'secml-athena-results';
const FAST = { initialMs: 20, factor: 1.5, maxMs: 100 };

function seedResult(moto: Moto, header: string[], rows: (string | null)[][], types: string[]) {
  const toRow = (values: (string | null)[]) => ({ Data: values.map((v) => (v === null ? {} : { VarCharValue: v })) });
  return moto.control('/moto-api/static/athena/query-results', {
    results: [{ rows: [toRow(header), ...rows.map(toRow)], column_info: header.map((h, i) => ({ Name: h, Label: h, Type: types[i] })) }],
  });
}

describe('Athena engine against moto_server', function () {
  let moto: Moto;
  let session: AwsSession;
  let tmp: string;

  before(async function () {
    moto = await startMoto(this);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'secml-athena-'));
  });
  after(async () => {
    await moto?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await moto.reset();
    // moto's reset keeps state-manager transitions: put Athena back to finishing at once.
    await moto.control('/moto-api/state-manager/set-transition', { model_name: 'athena::execution', transition: { progression: 'immediate' } });
    session = new AwsSession(moto.connection);
    await session.client(S3Client).send(new CreateBucketCommand({ Bucket: BUCKET }));
  });
  afterEach(() => session?.destroy());

  it('runs a parameterised query through QUEUED -> RUNNING -> SUCCEEDED and pages its rows', async () => {
    await seedResult(moto, ['eventname', 'frequency'], [['CreateUser', '4'], ['CreateAccessKey', '2'], [null, '1']], ['varchar', 'bigint']);
    await moto.control('/moto-api/state-manager/set-transition', { model_name: 'athena::execution', transition: { progression: 'manual', times: 2 } });
    const engine = new AthenaEngine({ session, workgroup: 'primary', outputLocation: `s3://${BUCKET}/results/`, database: 'default', polling: FAST });
    const states: string[] = [];
    const exec = await engine.run(
      { sql: 'select eventname, count(*) as frequency from cloudtrail_logs where account = ? and eventname like ? group by 1 order by 2 desc', params: ['266533154659', 'Create%'] },
      { onProgress: (p) => states.push(p.message!.replace(/^Athena: /, '')) },
    );
    assert.deepEqual(
      states.filter((s, i) => s !== states[i - 1]),
      ['QUEUED', 'RUNNING', 'SUCCEEDED'],
    );
    const r = await collectRows(exec);
    assert.deepEqual(r.columns, [
      { name: 'eventname', type: 'varchar' },
      { name: 'frequency', type: 'bigint' },
    ]);
    assert.deepEqual(r.rows, [
      ['CreateUser', 4],
      ['CreateAccessKey', 2],
      [null, 1],
    ]);
    const stats = exec.stats();
    assert.equal(stats.engine, 'athena');
    assert.equal(stats.rows, 3);
    assert.match(stats.queryId!, /^[0-9a-f-]{36}$/);
    assert.equal(stats.outputLocation, `s3://${BUCKET}/results/${stats.queryId}.csv`);
    assert.ok(stats.costUsd! > 0, 'the 10 MB minimum is billed');
    // What AWS received: the values as quoted literals in ExecutionParameters, not in the SQL text.
    const described = await session.client(AthenaClient).send(new GetQueryExecutionCommand({ QueryExecutionId: stats.queryId }));
    assert.deepEqual(described.QueryExecution?.ExecutionParameters, ["'266533154659'", "'Create%'"]);
    assert.equal(described.QueryExecution?.WorkGroup, 'primary');
    assert.ok(!described.QueryExecution?.Query?.includes('266533154659'));
  });

  it('cancelling a running query calls StopQueryExecution: the server shows it CANCELLED', async () => {
    await seedResult(moto, ['x'], [['1']], ['integer']);
    await moto.control('/moto-api/state-manager/set-transition', { model_name: 'athena::execution', transition: { progression: 'manual', times: 1000 } });
    const engine = new AthenaEngine({ session, outputLocation: `s3://${BUCKET}/results/`, polling: FAST });
    const controller = new AbortController();
    let polls = 0;
    await assert.rejects(
      engine.run({ sql: 'select count(*) from cloudtrail_logs' }, { signal: controller.signal, onProgress: () => ++polls === 3 && controller.abort() }),
      (e: any) => e.code === 'CANCELLED',
    );
    const list = await session.client(AthenaClient).send(new ListQueryExecutionsCommand({}));
    assert.equal(list.QueryExecutionIds?.length, 1);
    const described = await session.client(AthenaClient).send(new GetQueryExecutionCommand({ QueryExecutionId: list.QueryExecutionIds![0] }));
    assert.equal(described.QueryExecution?.Status?.State, 'CANCELLED');
  });

  it('exports the whole result by streaming the CSV Athena wrote to S3', async () => {
    const rows = Array.from({ length: 2500 }, (_, i) => [`user-${i}`, String(i)]);
    await seedResult(moto, ['principal', 'n'], rows, ['varchar', 'bigint']);
    const engine = new AthenaEngine({ session, outputLocation: `s3://${BUCKET}/results/`, polling: FAST });
    const exec = await engine.run({ sql: 'select principal, n from t' });
    const firstRows = await collectRows(exec, 100);
    assert.equal(firstRows.rows.length, 100);
    const out = path.join(tmp, 'athena-export.csv');
    const summary = await exec.exportCsv(out);
    assert.equal(summary.rows, 2500, 'every row, not just the loaded page');
    const text = readFileSync(out, 'utf8');
    assert.equal(text.split('\n')[0], '"principal","n"');
    assert.equal(text.split('\n')[2500], '"user-2499","2499"');
  });

  it('keeps quoting, commas, line breaks and NULL vs empty string through the export', async () => {
    await seedResult(moto, ['useragent'], [['x']], ['varchar']);
    const engine = new AthenaEngine({ session, outputLocation: `s3://${BUCKET}/results/`, polling: FAST });
    const exec = await engine.run({ sql: 'select useragent, errorcode, note from t' });
    // Replace moto's file with one written the way Athena writes it (every value quoted, "" doubled, NULL unquoted empty).
    const athenaCsv =
      '"useragent","errorcode","note"\n"[S3Console/0.4, aws-internal/3]",,""\n"say ""hi""","AccessDenied","two\nlines"\n"<img src=x onerror=alert(1)>",,\n' +
      '"=HYPERLINK(""http://x"",""y"")","-5","@SUM(A1)"\n';
    const { bucket, key } = parseS3Uri(exec.stats().outputLocation!);
    await session.client(S3Client).send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: athenaCsv }));
    const out = path.join(tmp, 'quoted.csv');
    const summary = await exec.exportCsv(out, { spreadsheetSafe: false });
    assert.equal(readFileSync(out, 'utf8'), athenaCsv, 'byte for byte');
    assert.equal(summary.rows, 4);
    // Spreadsheet-safe (the default): formulas get an apostrophe; every other byte (and -5, a number) is kept.
    const safeOut = path.join(tmp, 'safe.csv');
    assert.equal((await exec.exportCsv(safeOut)).rows, 4);
    assert.equal(readFileSync(safeOut, 'utf8'), athenaCsv.replace('"=HYPERLINK', `"'=HYPERLINK`).replace('"@SUM', `"'@SUM`));
    const parsed: (string | null)[][] = [];
    for await (const b of parseAthenaCsv(Readable.from([readFileSync(out)]), out)) parsed.push(...b);
    assert.deepEqual(parsed.slice(1), [
      ['[S3Console/0.4, aws-internal/3]', null, ''],
      ['say "hi"', 'AccessDenied', 'two\nlines'],
      ['<img src=x onerror=alert(1)>', null, null],
      ['=HYPERLINK("http://x","y")', '-5', '@SUM(A1)'],
    ]);
    assert.deepEqual(
      readdirSync(tmp).filter((f) => f.endsWith('.tmp')),
      [],
    );
  });

  it('names the missing result file when S3 has none', async () => {
    await seedResult(moto, ['x'], [['1']], ['integer']);
    const engine = new AthenaEngine({ session, outputLocation: `s3://${BUCKET}/results/`, polling: FAST });
    const exec = await engine.run({ sql: 'select 1' });
    await session.client(S3Client).send(new PutObjectCommand({ Bucket: BUCKET, Key: 'unrelated', Body: 'x' }));
    const { key } = parseS3Uri(exec.stats().outputLocation!);
    await session.client(S3Client).send(new DeleteObjectCommand({ Bucket: BUCKET, Key: key }));
    const out = path.join(tmp, 'missing.csv');
    await assert.rejects(exec.exportCsv(out), (e: any) => e.code === 'NOT_FOUND' && e.message.includes(key));
    assert.ok(!readdirSync(tmp).includes('missing.csv'));
  });

  it('turns an unknown workgroup into an AWS error naming the action', async () => {
    const engine = new AthenaEngine({ session, workgroup: 'no-such-workgroup', polling: FAST });
    await assert.rejects(engine.run({ sql: 'select 1' }), (e: any) => e.code === 'AWS' && /Athena StartQueryExecution/.test(e.message) && /WorkGroup does not exist/.test(e.message));
  });

  it('secml query --engine athena: env connection, flags, parameters, --json and --out', async () => {
    await seedResult(moto, ['eventname', 'n'], [['StopLogging', '3'], ['DeleteTrail', '3']], ['varchar', 'bigint']);
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' });
    delete process.env.AWS_PROFILE;
    const stdout: string[] = [];
    const stderr: string[] = [];
    const out = path.join(tmp, 'cli-athena.csv');
    try {
      const code = await runCli(
        ['query', '--engine', 'athena', '--workgroup', 'primary', '--database', 'security', '--output-location', `s3://${BUCKET}/cli/`, 'select eventname, count(*) n from cloudtrail_logs where eventname in (?, ?) group by 1', '--param', 'StopLogging', '--param', 'DeleteTrail', '--json', '--out', out],
        { out: (t) => stdout.push(t), err: (t) => stderr.push(t), logger: { debug() {}, info: (m) => stderr.push(m), warn: (m) => stderr.push(m), error: (m) => stderr.push(m) }, isTTY: false, signal: new AbortController().signal },
      );
      assert.equal(code, 0, stderr.join('\n'));
    } finally {
      process.env = saved;
    }
    const json = JSON.parse(stdout.join(''));
    assert.deepEqual(json.rows, [
      ['StopLogging', 3],
      ['DeleteTrail', 3],
    ]);
    assert.equal(json.stats.engine, 'athena');
    assert.equal(json.stats.exported.rows, 2);
    assert.match(json.stats.outputLocation, new RegExp(`^s3://${BUCKET}/cli/`));
    assert.equal(readFileSync(out, 'utf8').split('\n')[0], '"eventname","n"');
    const described = await session.client(AthenaClient).send(new GetQueryExecutionCommand({ QueryExecutionId: json.stats.queryId }));
    assert.deepEqual(described.QueryExecution?.ExecutionParameters, ["'StopLogging'", "'DeleteTrail'"]);
    assert.equal(described.QueryExecution?.QueryExecutionContext?.Database, 'security');
  });
});
