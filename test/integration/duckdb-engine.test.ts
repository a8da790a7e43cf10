/**
 * DuckDBEngine on real CloudTrail records in every layout the view accepts (delivered {"Records":[...]} files, .json.gz,
 * JSON lines, JSON arrays, an organisation AWSLogs tree), and the engine contract: parameters, NULL vs '', errors at the
 * user's file line, cancellation, whole-result CSV export, the Presto macros, and AWS's documented example queries.
 */
import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { requireDataset, SHARED_DATASETS } from '../helpers/tools';
import { DuckDBEngine } from '../../src/core/query/duckdb-engine';
import { collectRows } from '../../src/core/query/engine';
import { RefCountedEngine } from '../../src/core/query/ref-counted-engine';
import { findCloudTrailFiles, partitionOf } from '../../src/core/query/cloudtrail-files';

const LOGS = `${SHARED_DATASETS}/cloudtrail-invictus-stratus/CloudTrail`;
let files: string[] = [];
const recordsOf = (f: string): any[] => JSON.parse(readFileSync(path.join(LOGS, f), 'utf8')).Records;

async function query(engine: DuckDBEngine, sql: string, params?: (string | number | null)[]) {
  const exec = await engine.run({ sql, params });
  const r = await collectRows(exec);
  await exec.close();
  return r;
}

describe('DuckDB engine: layouts, contract and Presto compatibility', function () {
  let tmp: string;
  let engine: DuckDBEngine;

  before(async function () {
    requireDataset(this, LOGS);
    files = readdirSync(LOGS).filter((f) => f.endsWith('.json')).sort();
    tmp = mkdtempSync(path.join(os.tmpdir(), 'secml-duckdb-'));
    engine = await DuckDBEngine.open({ logs: [LOGS], missingLogsHint: 'Pass --logs.' });
  });
  after(async () => {
    await engine?.dispose();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  it('reads .json.gz, JSON lines, JSON arrays and an organisation AWSLogs tree, with partitions from the path', async () => {
    const dir = path.join(tmp, 'layouts');
    const org = path.join(dir, 'AWSLogs', 'o-abcdefghij', '111122223333', 'CloudTrail', 'eu-west-1', '2023', '07', '10');
    mkdirSync(org, { recursive: true });
    const [a, b, c, d] = files;
    writeFileSync(path.join(org, `111122223333_CloudTrail_eu-west-1_20230710T1200Z_abc.json.gz`), gzipSync(readFileSync(path.join(LOGS, a))));
    writeFileSync(path.join(dir, 'events.jsonl'), recordsOf(b).map((r) => JSON.stringify(r)).join('\n') + '\n');
    writeFileSync(path.join(dir, 'events-array.json'), JSON.stringify(recordsOf(c), null, 2));
    writeFileSync(path.join(dir, 'pretty.json'), JSON.stringify({ Records: recordsOf(d) }, null, 2));
    mkdirSync(path.join(dir, 'AWSLogs', 'o-abcdefghij', '111122223333', 'CloudTrail-Digest'), { recursive: true });
    writeFileSync(path.join(dir, 'AWSLogs', 'o-abcdefghij', '111122223333', 'CloudTrail-Digest', 'digest.json'), '{"awsAccountId":"111122223333"}');
    writeFileSync(path.join(dir, 'digest-elsewhere.json'), '{"awsAccountId":"111122223333","digestStartTime":"x"}');
    writeFileSync(path.join(dir, 'package.json'), '{"name":"not-cloudtrail"}');

    const found = await findCloudTrailFiles([dir]);
    assert.deepEqual(found.files.map((f) => [path.basename(f.path), f.format]).sort(), [
      ['111122223333_CloudTrail_eu-west-1_20230710T1200Z_abc.json.gz', 'records'],
      ['events-array.json', 'array'],
      ['events.jsonl', 'lines'],
      ['pretty.json', 'records'],
    ]);
    assert.deepEqual(found.skipped.map((s) => path.basename(s.path)).sort(), ['digest-elsewhere.json', 'package.json']);

    const e = await DuckDBEngine.open({ logs: [dir] });
    try {
      const expectedTotal = [a, b, c, d].reduce((n, f) => n + recordsOf(f).length, 0);
      const r = await query(e, 'select count(*), count(distinct eventid) from cloudtrail');
      assert.deepEqual(r.rows, [[expectedTotal, expectedTotal]]);
      const parts = await query(e, `select account, region, year, month, day, "timestamp", count(*) from cloudtrail group by all order by account`);
      assert.deepEqual(parts.rows, [
        ['111122223333', 'eu-west-1', '2023', '07', '10', '2023/07/10', recordsOf(a).length],
        // Not in an AWSLogs path and not a delivered file name: the event's own account, region and day.
        ['123837392027', 'us-east-1', '2023', '07', '10', '2023/07/10', recordsOf(b).length + recordsOf(c).length + recordsOf(d).length],
      ]);
      const sample = recordsOf(b)[0];
      const one = await query(e, 'select eventname, useridentity.arn, sourceipaddress, readonly from cloudtrail where eventid = ?', [sample.eventID]);
      assert.deepEqual(one.rows, [[sample.eventName, sample.userIdentity.arn ?? null, sample.sourceIPAddress, String(sample.readOnly)]]);
    } finally {
      await e.dispose();
    }
  });

  it('partition values come from AWSLogs paths or delivered file names', () => {
    assert.deepEqual(partitionOf('/x/AWSLogs/o-abcdefghij/111122223333/CloudTrail/us-west-2/2024/01/31/f.json.gz'), {
      account: '111122223333',
      region: 'us-west-2',
      year: '2024',
      month: '01',
      day: '31',
    });
    assert.deepEqual(partitionOf('/x/218007301253_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json'), {
      account: '218007301253',
      region: 'us-east-1',
      year: '2023',
      month: '07',
      day: '10',
    });
    assert.deepEqual(partitionOf('/x/events.jsonl'), {});
  });

  it('names a file that is not CloudTrail, and a missing path', async () => {
    const bad = path.join(tmp, 'notes.json');
    writeFileSync(bad, '{"hello": 1}');
    await assert.rejects(DuckDBEngine.open({ logs: [bad] }), (e: any) => e.code === 'LOG_FORMAT' && e.file === bad && /not CloudTrail JSON/.test(e.message));
    await assert.rejects(DuckDBEngine.open({ logs: [path.join(tmp, 'nope')] }), (e: any) => e.code === 'NOT_FOUND');
    const empty = path.join(tmp, 'empty-dir');
    mkdirSync(empty);
    await assert.rejects(DuckDBEngine.open({ logs: [empty] }), (e: any) => e.code === 'NOT_FOUND' && /No CloudTrail logs/.test(e.message));
  });

  it('reads every file exactly once whatever its name: glob characters in names and folders are literal', async () => {
    const dir = path.join(tmp, 'globby');
    const odd = path.join(dir, 'd[1]{x}?');
    mkdirSync(odd, { recursive: true });
    const event = (id: string) => JSON.stringify({ eventVersion: '1.08', eventID: id, eventName: 'GetObject', eventTime: '2023-07-10T12:00:00Z' });
    writeFileSync(path.join(dir, 'a*.json'), event('star') + '\n');
    writeFileSync(path.join(dir, 'ab.json'), event('ab') + '\n');
    writeFileSync(path.join(dir, 'ac.json'), event('ac') + '\n');
    writeFileSync(path.join(dir, 'q?.json'), JSON.stringify({ Records: [JSON.parse(event('question'))] }));
    writeFileSync(path.join(dir, 'qx.json'), JSON.stringify([JSON.parse(event('qx'))]));
    writeFileSync(path.join(odd, '[b].json'), event('bracket') + '\n');
    writeFileSync(path.join(dir, 'a-skipped.json'), '{"name":"not-cloudtrail"}');
    for (const materialize of [false, true]) {
      const e = await DuckDBEngine.open({ logs: [dir], materialize });
      try {
        const r = await query(e, 'select eventid, count(*) from cloudtrail group by eventid order by eventid');
        assert.deepEqual(r.rows, [['ab', 1], ['ac', 1], ['bracket', 1], ['question', 1], ['qx', 1], ['star', 1]], `materialize=${materialize}`);
      } finally {
        await e.dispose();
      }
    }
  });

  it('names a truncated log file (LOG_FORMAT) instead of echoing the view SQL', async () => {
    const dir = path.join(tmp, 'truncated');
    mkdirSync(dir);
    writeFileSync(path.join(dir, files[0]), readFileSync(path.join(LOGS, files[0])));
    const broken = path.join(dir, files[1]);
    writeFileSync(broken, readFileSync(path.join(LOGS, files[1])).subarray(0, 5000));
    await assert.rejects(
      (async () => {
        const e = await DuckDBEngine.open({ logs: [dir] });
        try {
          await query(e, 'select count(*) from cloudtrail');
        } finally {
          await e.dispose();
        }
      })(),
      (e: any) => e.code === 'LOG_FORMAT' && e.file === broken && /Malformed JSON/.test(e.message) && !/LINE \d/.test(e.message),
    );
  });

  it('keeps SQL NULL distinct from the empty string, and types numbers', async () => {
    const r = await query(engine, `select null as a, '' as b, 42::bigint as c, 9007199254740993::bigint as big, 1.5 as d, true as e, [1, 2] as l, {'k': 'v'} as s`);
    assert.deepEqual(r.rows, [[null, '', 42, '9007199254740993', '1.5', true, [1, 2], { k: 'v' }]]);
    assert.deepEqual(
      r.columns.map((c) => c.type),
      ['INTEGER', 'VARCHAR', 'BIGINT', 'BIGINT', 'DECIMAL(2,1)', 'BOOLEAN', 'INTEGER[]', 'STRUCT("k" VARCHAR)'],
    );
  });

  it('binds ? parameters as values, never as SQL text', async () => {
    const evil = "x' or '1'='1";
    assert.deepEqual((await query(engine, 'select count(*) from cloudtrail where eventname = ?', [evil])).rows, [[0]]);
    assert.deepEqual((await query(engine, 'select count(*) from cloudtrail where eventname = ?', ['CreateUser'])).rows, [[4]]);
    assert.deepEqual((await query(engine, 'select eventname from cloudtrail order by eventtime, eventid limit ?', [2])).rows.length, 2);
    await assert.rejects(engine.run({ sql: 'select ?, ?', params: ['a'] }), /2 \? placeholders but 1 parameter value was given/);
  });

  it('reports engine errors at the line of the user file', async () => {
    const sql = 'select eventname,\n  count(*) as n\nfrom cloudtrail\ngroup by eventnme';
    await assert.rejects(engine.run({ sql, source: { file: 'hunt.sql', line: 20 } }), (e: any) => {
      assert.equal(e.code, 'QUERY');
      assert.equal(e.file, 'hunt.sql');
      assert.equal(e.line, 23);
      assert.match(e.message, /^DuckDB: Binder Error: Referenced column "eventnme" not found/);
      assert.doesNotMatch(e.message, /LINE 4/);
      return true;
    });
    await assert.rejects(engine.run({ sql: 'selec 1' }), (e: any) => e.code === 'QUERY' && /Parser Error/.test(e.message) && e.line === 1);
  });

  it('tells the user how to give logs when the cloudtrail view is missing', async () => {
    const bare = await DuckDBEngine.open({ missingLogsHint: 'Pass --logs PATH.' });
    try {
      await assert.rejects(bare.run({ sql: 'select * from cloudtrail' }), (e: any) => /does not exist/.test(e.message) && /Pass --logs PATH\./.test(e.message));
      assert.deepEqual((await query(bare, 'select 1 + 1')).rows, [[2]]);
    } finally {
      await bare.dispose();
    }
  });

  it('cancels a running query when the signal aborts', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    await assert.rejects(
      (async () => {
        const exec = await engine.run({ sql: 'select count(*) from range(100000000000) t(x) where x % 7 = 3' }, { signal: controller.signal });
        await collectRows(exec, Infinity, { signal: controller.signal });
      })(),
      (e: any) => e.code === 'CANCELLED',
    );
    assert.deepEqual((await query(engine, 'select 1')).rows, [[1]], 'the engine is usable after a cancel');
  });

  it('exports the whole result to CSV (beyond any grid limit), with quoting a CSV parser reads back', async () => {
    const exec = await engine.run({ sql: "select eventid, useragent, errorcode, '' as empty, requestparameters from cloudtrail where eventsource = ? order by eventid", params: ['s3.amazonaws.com'] });
    const firstPage = await collectRows(exec, 10);
    assert.equal(firstPage.truncated, true);
    const out = path.join(tmp, 'exports', 's3.csv');
    const summary = await exec.exportCsv(out);
    await exec.close();
    const expected = files.flatMap(recordsOf).filter((r) => r.eventSource === 's3.amazonaws.com').sort((x, y) => (x.eventID < y.eventID ? -1 : 1));
    assert.equal(summary.rows, expected.length);
    const text = readFileSync(out, 'utf8');
    const parsed: string[][] = parse(text, { relax_column_count: false });
    assert.deepEqual(parsed[0], ['eventid', 'useragent', 'errorcode', 'empty', 'requestparameters']);
    assert.equal(parsed.length - 1, expected.length);
    for (let i = 0; i < expected.length; i++) {
      assert.equal(parsed[i + 1][0], expected[i].eventID);
      assert.equal(parsed[i + 1][1], expected[i].userAgent);
      assert.deepEqual(JSON.parse(parsed[i + 1][4]), expected[i].requestParameters);
    }
    assert.ok(expected.some((r) => /,/.test(r.userAgent)), 'the data has user agents with commas');
    // NULL is an empty unquoted field, '' is "".
    const firstLine = text.split('\n')[1];
    assert.match(firstLine, /,,"",/);
    assert.deepEqual(readdirSync(path.dirname(out)), ['s3.csv'], 'no temp file left behind');
  });

  it('exports spreadsheet-safe by default (formulas get an apostrophe, numbers stay numbers); raw on request', async () => {
    const sql = `select '=HYPERLINK("http://x","y")' as link, -5 as n, '-5' as t, '+1 555' as plus, '@SUM(A1)' as at, chr(9) || 'tab' as tab, 'a=b' as plain, NULL as missing, '' as empty`;
    const exec = await engine.run({ sql });
    const safeOut = path.join(tmp, 'safe.csv');
    assert.equal((await exec.exportCsv(safeOut)).rows, 1);
    const rawOut = path.join(tmp, 'raw.csv');
    await exec.exportCsv(rawOut, { spreadsheetSafe: false });
    await exec.close();
    const [, safe] = readFileSync(safeOut, 'utf8').split('\n');
    assert.equal(safe, `"'=HYPERLINK(""http://x"",""y"")",-5,-5,"'+1 555","'@SUM(A1)","'\ttab",a=b,,""`);
    assert.deepEqual(parse(readFileSync(rawOut, 'utf8'))[1], ['=HYPERLINK("http://x","y")', '-5', '-5', '+1 555', '@SUM(A1)', '\ttab', 'a=b', '', '']);
    assert.deepEqual(readdirSync(tmp).filter((f) => f.includes('.tmp')), [], 'no temp file left behind');
  });

  it('a result of an engine retired while in use (logs changed) still exports; the instance closes with the last result', async () => {
    const inner = await DuckDBEngine.open({ logs: [LOGS] });
    const engine = new RefCountedEngine(inner);
    const exec = await engine.run({ sql: 'select eventid from cloudtrail order by eventid limit 3' });
    await engine.dispose();
    const out = path.join(tmp, 'after-retire.csv');
    assert.equal((await exec.exportCsv(out)).rows, 3);
    assert.equal(parse(readFileSync(out, 'utf8'), { columns: true }).length, 3);
    await exec.close();
    assert.ok(engine.closed);
    await assert.rejects(inner.run({ sql: 'select 1' }), /closed/);
  });

  it('an export that fails leaves no file', async () => {
    const exec = await engine.run({ sql: 'select 1 as x' });
    const target = path.join(tmp, 'no-such-dir-parent-is-a-file', 'x.csv');
    writeFileSync(path.join(tmp, 'no-such-dir-parent-is-a-file'), 'file');
    await assert.rejects(exec.exportCsv(target), (e: any) => e.code === 'IO');
    assert.equal(existsSync(target), false);
  });

  it("Presto functions Athena queries use: from_iso8601_timestamp, date_parse/date_format, date_add, json_extract_scalar, replace...", async () => {
    const r = await query(
      engine,
      `select
        from_iso8601_timestamp('2023-07-10T11:42:18Z') between date '2023-07-10' and date '2023-07-11',
        date_format(date_parse('2023-07-10 11:42:18', '%Y-%m-%d %H:%i:%s'), '%Y/%m/%d %H:%i'),
        to_iso8601(date_add('hour', 2, from_iso8601_timestamp('2023-07-10T11:42:18Z'))),
        date_add(date '2024-01-01', interval 1 day),
        json_extract_scalar('{"a":{"b":"x"},"n":1}', '$.a.b'),
        json_extract_scalar('{"a":{"b":"x"}}', '$.a'),
        json_extract_scalar('not json', '$.a'),
        regexp_like('AKIAXXXX', '^AKIA'),
        replace('arn:aws:s3:::bucket', 'arn:aws:s3:::'),
        replace('a-b', '-', '_'),
        to_unixtime(from_iso8601_timestamp('1970-01-02T00:00:00Z')),
        day_of_week(date '2024-01-07'),
        array_join(['a', 'b'], ',')`,
    );
    assert.deepEqual(r.rows, [[true, '2023/07/10 11:42', '2023-07-10T13:42:18.000Z', '2024-01-02 00:00:00', 'x', null, null, true, 'bucket', 'a_b', 86400, 7, 'a,b']]);
    await assert.rejects(engine.run({ sql: "select date_parse('x', '%W %Y')" }).then((x) => collectRows(x)), /not supported by the local DuckDB engine/);
  });

  it("AWS's documented example queries: nested fields and CROSS JOIN UNNEST over resources", async () => {
    const nested = await query(
      engine,
      `SELECT eventsource, eventname, useridentity.sessioncontext.attributes.creationdate, useridentity.sessioncontext.sessionissuer.arn
       FROM cloudtrail WHERE useridentity.sessioncontext.sessionissuer.arn IS NOT NULL ORDER BY eventsource, eventname LIMIT 10`,
    );
    assert.equal(nested.rows.length, 10);
    const all = files.flatMap(recordsOf);
    const withResources = all.flatMap((r) => (r.resources ?? []).map((x: any) => x.ARN)).filter((a: string) => a?.startsWith('arn:aws:s3:::'));
    const unnest = await query(
      engine,
      `SELECT awsregion, replace(unnested.resources_entry.ARN, 'arn:aws:s3:::') as s3_resource, eventname
       FROM cloudtrail t CROSS JOIN UNNEST(t.resources) unnested (resources_entry)
       WHERE unnested.resources_entry.ARN LIKE 'arn:aws:s3:::%'`,
    );
    assert.equal(unnest.rows.length, withResources.length);
    assert.ok(unnest.rows.every((r) => !String(r[1]).startsWith('arn:')));
  });

  it('materialized mode answers the same as the view', async () => {
    const m = await DuckDBEngine.open({ logs: [LOGS], materialize: true });
    try {
      assert.equal(m.logs?.materialized, true);
      assert.equal(m.logs?.events, files.flatMap(recordsOf).length);
      const sql = 'select eventname, count(*) n from cloudtrail group by 1 order by 2 desc, 1 limit 5';
      assert.deepEqual((await query(m, sql)).rows, (await query(engine, sql)).rows);
    } finally {
      await m.dispose();
    }
  });
});
