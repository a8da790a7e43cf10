/**
 * AthenaEngine against a scripted Athena client: what moto cannot do (FAILED queries with a line number, several
 * NextToken pages, a DDL result without a header row, throttled polls), plus the polling schedule and CSV parsing.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { Readable } from 'node:stream';
import { AwsSession } from '../../../src/core/aws/connection';
import { AthenaEngine, pollDelays } from '../../../src/core/query/athena-engine';
import { athenaValue, parseAthenaCsv } from '../../../src/core/query/athena-results';
import { collectRows } from '../../../src/core/query/engine';

type Handler = (input: any) => any;

function scriptedSession(handlers: Record<string, Handler>) {
  const calls: { command: string; input: any }[] = [];
  const session = new AwsSession({ region: 'us-east-1', maxAttempts: 1, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  const fake = {
    async send(cmd: { constructor: { name: string }; input: any }, opts?: { abortSignal?: AbortSignal }) {
      const command = cmd.constructor.name.replace(/Command$/, '');
      calls.push({ command, input: cmd.input });
      if (opts?.abortSignal?.aborted) throw Object.assign(new Error('aborted'), { name: 'AbortError' });
      const h = handlers[command];
      if (!h) throw new Error(`unexpected ${command}`);
      return h(cmd.input);
    },
  };
  (session as any).client = () => fake;
  return { session, calls };
}

const FAST = { initialMs: 1, factor: 2, maxMs: 4 };
const status = (State: string, extra: object = {}) => ({ QueryExecution: { QueryExecutionId: 'q-1', StatementType: 'DML', Status: { State }, ...extra } });
const row = (...values: (string | undefined)[]) => ({ Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })) });
const COLS = { ColumnInfo: [{ Name: 'eventname', Label: 'eventname', Type: 'varchar' }, { Name: 'n', Label: 'n', Type: 'bigint' }] };

describe('query/athena-engine', () => {
  it('backs off between polls instead of polling every 200 ms', () => {
    const next = pollDelays({ initialMs: 500, factor: 1.5, maxMs: 5000 });
    assert.deepEqual(
      Array.from({ length: 8 }, () => next()),
      [500, 750, 1125, 1688, 2532, 3798, 5000, 5000],
    );
  });

  it('submits with workgroup, output location, database and quoted ExecutionParameters; pages with NextToken; skips the header row', async () => {
    let polls = 0;
    const { session, calls } = scriptedSession({
      StartQueryExecution: () => ({ QueryExecutionId: 'q-1' }),
      GetQueryExecution: () => {
        polls++;
        return polls < 3
          ? status(polls === 1 ? 'QUEUED' : 'RUNNING')
          : status('SUCCEEDED', { Statistics: { DataScannedInBytes: 3 * 2 ** 30, TotalExecutionTimeInMillis: 1234 }, ResultConfiguration: { OutputLocation: 's3://res/q-1.csv' } });
      },
      GetQueryResults: (input) =>
        !input.NextToken
          ? { ResultSet: { ResultSetMetadata: COLS, Rows: [row('eventname', 'n'), row('CreateUser', '4'), row(undefined, '1')] }, NextToken: 't2' }
          : input.NextToken === 't2'
            ? { ResultSet: { ResultSetMetadata: COLS, Rows: [row('', '2')] }, NextToken: 't3' }
            : { ResultSet: { ResultSetMetadata: COLS, Rows: [row('eventname', '9007199254740993')] } },
    });
    const engine = new AthenaEngine({ session, workgroup: 'hunters', outputLocation: 's3://res/', database: 'security', polling: FAST });
    const states: string[] = [];
    const exec = await engine.run({ sql: 'select eventname, count(*) n from t where eventname like ? and n > ? group by 1', params: ["O'Brien%", 5] }, { onProgress: (p) => states.push(p.message!) });
    assert.deepEqual(states, ['Athena: QUEUED', 'Athena: RUNNING', 'Athena: SUCCEEDED, 3.22 GB scanned']);
    const start = calls.find((c) => c.command === 'StartQueryExecution')!.input;
    assert.deepEqual(start.ExecutionParameters, ["'O''Brien%'", '5']);
    assert.equal(start.WorkGroup, 'hunters');
    assert.deepEqual(start.ResultConfiguration, { OutputLocation: 's3://res/' });
    assert.deepEqual(start.QueryExecutionContext, { Database: 'security', Catalog: undefined });
    assert.ok(!start.QueryString.includes("O'Brien"), 'values never go into the SQL text');
    assert.deepEqual(exec.columns, [
      { name: 'eventname', type: 'varchar' },
      { name: 'n', type: 'bigint' },
    ]);
    const r = await collectRows(exec);
    // Only the first row of the first page is a header; a later row that happens to equal the labels is data.
    assert.deepEqual(r.rows, [
      ['CreateUser', 4],
      [null, 1],
      ['', 2],
      ['eventname', '9007199254740993'],
    ]);
    assert.deepEqual(
      calls.filter((c) => c.command === 'GetQueryResults').map((c) => c.input.NextToken),
      [undefined, 't2', 't3'],
    );
    const stats = exec.stats();
    assert.equal(stats.rows, 4);
    assert.equal(stats.bytesScanned, 3 * 2 ** 30);
    assert.equal(stats.costUsd, (3 * 2 ** 30 * 5) / 2 ** 40);
    assert.equal(stats.engineMs, 1234);
    assert.equal(stats.outputLocation, 's3://res/q-1.csv');
  });

  it('keeps the first row of a DDL result (no header row there)', async () => {
    const { session } = scriptedSession({
      StartQueryExecution: () => ({ QueryExecutionId: 'q-1' }),
      GetQueryExecution: () => ({ QueryExecution: { StatementType: 'DDL', Status: { State: 'SUCCEEDED' } } }),
      GetQueryResults: () => ({ ResultSet: { ResultSetMetadata: { ColumnInfo: [{ Name: 'tab_name', Type: 'string' }] }, Rows: [row('cloudtrail_logs'), row('tab_name')] } }),
    });
    const exec = await new AthenaEngine({ session, polling: FAST }).run({ sql: 'show tables' });
    assert.deepEqual((await collectRows(exec)).rows, [['cloudtrail_logs'], ['tab_name']]);
    assert.equal(exec.stats().costUsd, 0);
  });

  it("reports a FAILED query with Athena's message at the line of the user's file", async () => {
    const { session } = scriptedSession({
      StartQueryExecution: () => ({ QueryExecutionId: 'q-1' }),
      GetQueryExecution: () => status('FAILED', { Status: { State: 'FAILED', StateChangeReason: "COLUMN_NOT_FOUND: line 3:8: Column 'eventnme' cannot be resolved" } }),
    });
    await assert.rejects(
      new AthenaEngine({ session, polling: FAST }).run({ sql: 'select\n  1\nwhere eventnme = 1', source: { file: 'hunts/q.sql', line: 12 } }),
      (e: any) => e.code === 'QUERY' && e.file === 'hunts/q.sql' && e.line === 14 && e.toString() === "hunts/q.sql:14: Athena: COLUMN_NOT_FOUND: line 3:8: Column 'eventnme' cannot be resolved",
    );
  });

  it('cancelling while the query runs calls StopQueryExecution and rejects with CANCELLED', async () => {
    const controller = new AbortController();
    let polls = 0;
    const { session, calls } = scriptedSession({
      StartQueryExecution: () => ({ QueryExecutionId: 'q-1' }),
      GetQueryExecution: () => {
        if (++polls === 2) controller.abort();
        return status('RUNNING');
      },
      StopQueryExecution: () => ({}),
    });
    await assert.rejects(new AthenaEngine({ session, polling: FAST }).run({ sql: 'select 1' }, { signal: controller.signal }), (e: any) => e.code === 'CANCELLED');
    assert.deepEqual(calls.filter((c) => c.command === 'StopQueryExecution').map((c) => c.input), [{ QueryExecutionId: 'q-1' }]);
  });

  it('a query cancelled elsewhere is reported as such, without another stop', async () => {
    const { session, calls } = scriptedSession({
      StartQueryExecution: () => ({ QueryExecutionId: 'q-1' }),
      GetQueryExecution: () => status('CANCELLED'),
    });
    await assert.rejects(new AthenaEngine({ session, polling: FAST }).run({ sql: 'select 1' }), (e: any) => e.code === 'CANCELLED' && /cancelled/.test(e.message));
    assert.equal(calls.filter((c) => c.command === 'StopQueryExecution').length, 0);
  });

  it('checks placeholders and the output location before calling AWS', async () => {
    const { session, calls } = scriptedSession({});
    await assert.rejects(new AthenaEngine({ session }).run({ sql: 'select ?', params: [] }), /1 \? placeholder but 0 parameter values were given/);
    assert.throws(() => new AthenaEngine({ session, outputLocation: 'bucket/results' }), /must be an S3 URI/);
    assert.equal(calls.length, 0);
  });

  it("types Athena's text values and parses its CSV: quoted values, NULL as an unquoted empty field", async () => {
    assert.equal(athenaValue('12', 'bigint'), 12);
    assert.equal(athenaValue('1.5', 'double'), 1.5);
    assert.equal(athenaValue('true', 'boolean'), true);
    assert.equal(athenaValue('12', 'varchar'), '12');
    assert.equal(athenaValue(undefined, 'varchar'), null);
    const csv = '"eventname","useragent","errorcode"\n"CreateUser","[aws-cli/2, Python ""3""]",\n"x\ny","",""\n';
    const rows: (string | null)[][] = [];
    for await (const batch of parseAthenaCsv(Readable.from([Buffer.from(csv.slice(0, 17)), Buffer.from(csv.slice(17))]), 's3://res/q.csv', 2)) rows.push(...batch);
    assert.deepEqual(rows, [
      ['eventname', 'useragent', 'errorcode'],
      ['CreateUser', '[aws-cli/2, Python "3"]', null],
      ['x\ny', '', ''],
    ]);
    await assert.rejects(
      (async () => {
        for await (const _ of parseAthenaCsv(Readable.from(['"a","b"\n"1"\n']), 's3://res/bad.csv')) void _;
      })(),
      (e: any) => e.code === 'QUERY' && e.toString() === "s3://res/bad.csv:2: Athena's result CSV could not be parsed: Invalid Record Length: expect 2, got 1 on line 2",
    );
  });

  it('a result file that cannot be written rejects (no hang), destroys the S3 body and leaves nothing under the target name', async () => {
    let sent = 0;
    const body = new Readable({
      read() {
        // 64 KiB chunks: the first write fills the stream's buffer, so the export waits for 'drain' (which never comes).
        this.push(sent++ === 0 ? 'eventname,n\n' : sent < 1000 ? `${'"CreateUser",4\n'.repeat(4096)}` : null);
      },
    });
    const { session } = scriptedSession({
      StartQueryExecution: () => ({ QueryExecutionId: 'q-1' }),
      GetQueryExecution: () => status('SUCCEEDED', { ResultConfiguration: { OutputLocation: 's3://res/q-1.csv' } }),
      GetQueryResults: () => ({ ResultSet: { ResultSetMetadata: COLS, Rows: [row('eventname', 'n')] } }),
      GetObject: () => ({ Body: body, ContentLength: 64 * 1024 * 1000 }),
    });
    const exec = await new AthenaEngine({ session, polling: FAST }).run({ sql: 'select 1' });
    // /proc/self exists but no file can be created in it (not even by root): the write stream fails on open.
    const target = '/proc/self/athena-export.csv';
    await assert.rejects(exec.exportCsv(target), (e: any) => e.code === 'IO' && e.message.includes(target));
    assert.ok(body.destroyed, 'the S3 body is destroyed');
    assert.ok(sent < 1000, 'the download stopped');
    await assert.rejects(fs.stat(target));
  });
});
