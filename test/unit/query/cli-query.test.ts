/** `secml query` end to end on the real CloudTrail logs with DuckDB: JSON output, parameters, files, export, errors. */
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/command';
import { silentLogger } from '../../../src/core/progress';
import { requireDataset, SHARED_DATASETS } from '../../helpers/tools';
import { formatTextTable } from '../../../src/core/query/text-table';

const LOGS = `${SHARED_DATASETS}/cloudtrail-invictus-stratus/CloudTrail`;

function captureIO(signal = new AbortController().signal): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), logger: { ...silentLogger, info: (m) => stderr.push(m) }, isTTY: false, signal };
}

describe('cli: secml query', function () {
  let tmp: string;
  before(function () {
    requireDataset(this, LOGS);
    tmp = mkdtempSync(path.join(os.tmpdir(), 'secml-cli-query-'));
  });
  after(() => tmp && rmSync(tmp, { recursive: true, force: true }));

  it('--json prints {columns, rows, stats} with parameters bound', async () => {
    const io = captureIO();
    const code = await runCli(['query', '--logs', LOGS, 'select eventname, count(*) as n from cloudtrail where eventname like ? group by 1 order by 1', '--param', 'Create%', '--json'], io);
    assert.equal(code, 0, io.stderr.join('\n'));
    const out = JSON.parse(io.stdout.join(''));
    assert.deepEqual(out.columns, [
      { name: 'eventname', type: 'VARCHAR' },
      { name: 'n', type: 'BIGINT' },
    ]);
    const expected: Record<string, number> = {};
    for (const f of readdirSync(LOGS)) for (const r of JSON.parse(readFileSync(path.join(LOGS, f), 'utf8')).Records) if (r.eventName.startsWith('Create')) expected[r.eventName] = (expected[r.eventName] ?? 0) + 1;
    assert.deepEqual(Object.fromEntries(out.rows), expected);
    assert.equal(out.rows.find((r: any[]) => r[0] === 'CreateUser')[1], 4);
    assert.equal(out.stats.engine, 'duckdb');
    assert.equal(out.stats.rows, out.rows.length);
    assert.equal(out.truncated, false);
  });

  it('runs a .sql file, prints a table, exports the whole result with --out, and reports rows', async () => {
    const sqlFile = path.join(tmp, 'hunt.sql');
    writeFileSync(sqlFile, "-- warm-up\nselect 1;\n\n-- who created users\nselect eventtime, useridentity.arn as arn, json_extract_scalar(requestparameters, '$.userName') as created\nfrom cloudtrail\nwhere eventname = ?\norder by eventtime;\n");
    const out = path.join(tmp, 'created.csv');
    const io = captureIO();
    const code = await runCli(['query', '--logs', LOGS, sqlFile, '--param', 'CreateUser', '--out', out, '--max-rows', '2'], io);
    assert.equal(code, 0, io.stderr.join('\n'));
    const table = io.stdout.join('\n').split('\n');
    assert.equal(table.length, 4, 'header, rule, 2 rows');
    assert.match(table[0], /^eventtime\s+\| arn\s+\| created$/);
    assert.match(io.stderr.join('\n'), /hunt\.sql:1: done \(1 row\)/);
    assert.match(io.stderr.join('\n'), /showing the first 2 rows of at least 4 in /);
    assert.match(io.stderr.join('\n'), /wrote 4 rows to /);
    const csv = readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(csv[0], 'eventtime,arn,created');
    assert.equal(csv.length, 5);
    assert.ok(csv.some((l) => l.endsWith(',malicious-iam-user')));
  });

  it('--out is spreadsheet-safe (formula cells get an apostrophe), --raw-csv writes the values as they are', async () => {
    const sql = `select '=HYPERLINK("http://x","y")' as link, -5 as n`;
    const safe = path.join(tmp, 'safe.csv');
    const raw = path.join(tmp, 'raw.csv');
    assert.equal(await runCli(['query', sql, '--out', safe], captureIO()), 0);
    assert.equal(await runCli(['query', sql, '--out', raw, '--raw-csv'], captureIO()), 0);
    assert.equal(readFileSync(safe, 'utf8'), `link,n\n"'=HYPERLINK(""http://x"",""y"")",-5\n`);
    assert.equal(readFileSync(raw, 'utf8'), `link,n\n"=HYPERLINK(""http://x"",""y"")",-5\n`);
  });

  it('reports a failing statement at its line in the file, exit 1, with a JSON error under --json', async () => {
    const sqlFile = path.join(tmp, 'broken.sql');
    writeFileSync(sqlFile, 'select 1;\n\nselect eventname\nfrom cloudtrail\nwhere eventnme = 1;\n');
    const io = captureIO();
    assert.equal(await runCli(['query', '--logs', LOGS, sqlFile, '--json'], io), 1);
    const { error } = JSON.parse(io.stdout.join(''));
    assert.equal(error.code, 'QUERY');
    assert.equal(error.file, sqlFile);
    assert.equal(error.line, 5);
    assert.match(io.stderr.join('\n'), new RegExp(`secml: error: ${sqlFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5: DuckDB: Binder Error`));
  });

  it('usage errors exit 2: bad engine, --logs with Athena, too few parameters', async () => {
    assert.equal(await runCli(['query', '--engine', 'spark', 'select 1'], captureIO()), 2);
    assert.equal(await runCli(['query', '--engine', 'athena', '--logs', LOGS, 'select 1'], captureIO()), 2);
    const io = captureIO();
    assert.equal(await runCli(['query', 'select ?, ?', '--param', 'a'], io), 2);
    assert.match(io.stderr.join('\n'), /2 \? placeholders but 1 parameter value was given/);
  });

  it('a query on cloudtrail without --logs says how to give them', async () => {
    const io = captureIO();
    assert.equal(await runCli(['query', 'select count(*) from cloudtrail'], io), 1);
    assert.match(io.stderr.join('\n'), /Give the CloudTrail files or folders with --logs PATH/);
  });

  it('Ctrl-C (the abort signal) cancels with exit 130', async () => {
    const controller = new AbortController();
    const io = captureIO(controller.signal);
    setTimeout(() => controller.abort(), 300);
    assert.equal(await runCli(['query', 'select count(*) from range(100000000000) t(x) where x % 7 = 1'], io), 130);
  });

  it('prints attacker-controlled values inert in a terminal table', () => {
    const t = formatTextTable([{ name: 'ua', type: 'VARCHAR' }, { name: 'e', type: 'VARCHAR' }], [['evil\u001b[2J\nline', null], ['', 'x']]);
    assert.equal(t.split('\n').length, 4);
    assert.ok(!t.includes('\u001b'));
    assert.match(t, /evil\\x1b\[2J\\nline \| NULL/);
  });
});
