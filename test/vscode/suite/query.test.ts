// In-host: "Run Query" on DuckDB over the real CloudTrail logs with ? parameters, an error becoming a diagnostic at the
// failing line, the CodeLens titles following the engine setting, whole-result export, and "Create CloudTrail Table"
// writing AWS-form DDL into queries/<table>.sql.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { requireDataset, sharedDatasets } from '../../helpers/tools';

const EXTENSION_ID = 'secml.secml-lab';

interface RunResult {
  columns: string[];
  rows: number;
  firstRows: unknown[][];
  error?: { message: string; file?: string; line?: number };
  summary?: string;
  running?: boolean;
}

describe('Query (in-host)', function () {
  this.timeout(120_000);
  let tmp: string;
  let logs: string;

  before(async function () {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    logs = path.join(sharedDatasets(ext.extensionPath), 'cloudtrail-invictus-stratus', 'CloudTrail');
    requireDataset(this, logs);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'secml-inhost-query-'));
    const c = vscode.workspace.getConfiguration('secml');
    await c.update('query.cloudTrailPaths', [logs], vscode.ConfigurationTarget.Global);
    await c.update('query.engine', 'duckdb', vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    const c = vscode.workspace.getConfiguration('secml');
    await c.update('query.cloudTrailPaths', undefined, vscode.ConfigurationTarget.Global);
    await c.update('query.engine', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function openSql(name: string, text: string): Promise<vscode.TextEditor> {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return vscode.window.showTextDocument(vscode.Uri.file(file));
  }

  it('runs the statement at an offset with ? parameters bound, on the real logs', async () => {
    const sql = "select 1;\n\n-- who created users\nselect eventtime, useridentity.arn as arn, json_extract_scalar(requestparameters, '$.userName') as created\nfrom cloudtrail where eventname = ? order by eventtime;\n";
    const editor = await openSql('params.sql', sql);
    const offset = sql.indexOf('-- who');
    const r = (await vscode.commands.executeCommand('secml.runQuery', editor.document.uri, { offset, params: ['CreateUser'] })) as RunResult;
    assert.equal(r.error, undefined);
    assert.deepEqual(r.columns, ['eventtime', 'arn', 'created']);
    assert.equal(r.rows, 4);
    assert.deepEqual(
      r.firstRows.map((x) => x[2]),
      ['stratus-red-team-nmfalu-gfjyeaypjt', 'stratus-red-team-backdoor-u-user', 'malicious-iam-user', 'stratus-red-team-login-profile-user'],
    );
  });

  it('runs the statement under the cursor, and shows an engine error as a diagnostic on the failing line', async () => {
    const sql = 'select count(*) as n from cloudtrail;\n\nselect eventname,\n  count(*)\nfrom cloudtrail\ngroup by eventnme;\n';
    const editor = await openSql('broken.sql', sql);
    editor.selection = new vscode.Selection(0, 5, 0, 5);
    const ok = (await vscode.commands.executeCommand('secml.runQuery')) as RunResult;
    assert.deepEqual(ok.firstRows, [[2900]]);
    editor.selection = new vscode.Selection(3, 2, 3, 2);
    const bad = (await vscode.commands.executeCommand('secml.runQuery')) as RunResult;
    assert.match(bad.error!.message, /Referenced column "eventnme" not found/);
    assert.equal(bad.error!.line, 6);
    const diags = vscode.languages.getDiagnostics(editor.document.uri);
    assert.equal(diags.length, 1);
    assert.equal(diags[0].range.start.line, 5, 'the diagnostic sits on line 6 (group by eventnme)');
  });

  it('puts a Run Query CodeLens above every statement, titled with the chosen engine', async () => {
    const editor = await openSql('lenses.sql', 'select 1;\n-- two\nselect 2;\n');
    const lenses = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', editor.document.uri)) as vscode.CodeLens[];
    const titles = lenses.map((l) => `${l.range.start.line}:${l.command?.title}`);
    assert.deepEqual(titles, ['0:$(play) Run Query (DuckDB)', '0:Run on Athena', '1:$(play) Run Query (DuckDB)', '1:Run on Athena']);
    await vscode.workspace.getConfiguration('secml').update('query.engine', 'athena', vscode.ConfigurationTarget.Global);
    try {
      const again = (await vscode.commands.executeCommand('vscode.executeCodeLensProvider', editor.document.uri)) as vscode.CodeLens[];
      assert.equal(again[0].command?.title, '$(play) Run Query (Athena)');
      assert.equal(again[1].command?.title, 'Run on DuckDB');
    } finally {
      await vscode.workspace.getConfiguration('secml').update('query.engine', 'duckdb', vscode.ConfigurationTarget.Global);
    }
  });

  it('exports the whole result to CSV', async () => {
    const editor = await openSql('export.sql', "select eventid, useragent from cloudtrail where eventsource = 's3.amazonaws.com' order by eventid;\n");
    const r = (await vscode.commands.executeCommand('secml.runQuery', editor.document.uri, { offset: 0 })) as RunResult;
    const out = path.join(tmp, 'out', 's3.csv');
    const rows = await vscode.commands.executeCommand('secml.query.exportResult', out);
    assert.equal(rows, r.rows);
    const lines = fs.readFileSync(out, 'utf8').trim().split('\n');
    assert.equal(lines[0], 'eventid,useragent');
    assert.ok(lines.length - 1 >= r.rows);
  });

  it('a query replaced by a new one is cancelled in the history and leaves the new result alone', async () => {
    const api = (await vscode.extensions.getExtension(EXTENSION_ID)!.activate()) as { services: { context: vscode.ExtensionContext } };
    const history = () => api.services.context.workspaceState.get<{ sql: string; status: string }[]>('secml.query.history', []);
    const slowSql = 'select sum(a.range * b.range) as slow from range(200000) a, range(200000) b';
    const slow = await openSql('slow.sql', slowSql + ';\n');
    // A run's command returns a snapshot of the panel when that run ends, or nothing when a newer run replaced it.
    const first = Promise.resolve(vscode.commands.executeCommand('secml.runQuery', slow.document.uri, { offset: 0 }) as Thenable<RunResult | undefined>);
    for (let i = 0; i < 200 && history()[0]?.sql !== slowSql; i++) await new Promise((r) => setTimeout(r, 25));
    assert.equal(history()[0]?.status, 'running');
    // The new query fails: the panel shows its error, and no "Cancelled." from the query it replaced.
    const broken = await openSql('replacing.sql', 'select no_such_column from cloudtrail;\n');
    const panel = (await vscode.commands.executeCommand('secml.runQuery', broken.document.uri, { offset: 0 })) as RunResult;
    assert.equal(await first, undefined, 'the replaced run reports no result of its own');
    assert.equal(panel.running, false);
    assert.match(panel.error?.message ?? '', /no_such_column/);
    assert.equal(panel.summary, undefined, 'the replaced query wrote nothing into the new result');
    const [newest, replaced] = history();
    assert.deepEqual([newest.status, replaced.sql, replaced.status], ['failed', slowSql, 'cancelled']);
    assert.equal(history().filter((h) => h.status === 'running').length, 0);
    // The new run's error is a diagnostic on its own file, not on the replaced query's.
    assert.equal(vscode.languages.getDiagnostics(slow.document.uri).length, 0);
    assert.match(vscode.languages.getDiagnostics(broken.document.uri)[0]?.message ?? '', /no_such_column/);
  });

  it('Create CloudTrail Table writes the projection DDL into queries/<table>.sql', async () => {
    const file = path.join(tmp, 'queries', 'org_trail.sql');
    const written = await vscode.commands.executeCommand('secml.createCloudTrailTable', {
      table: 'org_trail',
      bucket: 'central-logs',
      organizationId: 'o-abcdefghij',
      accounts: ['111122223333', '444455556666'],
      regions: ['us-east-1', 'eu-west-1'],
      startDate: '2024-01-01',
      form: 'projection',
      file,
    });
    assert.equal(written, file);
    const text = fs.readFileSync(file, 'utf8');
    assert.match(text, /CREATE EXTERNAL TABLE org_trail \(/);
    assert.match(text, /'storage\.location\.template'='s3:\/\/central-logs\/AWSLogs\/o-abcdefghij\/\$\{account\}\/CloudTrail\/\$\{region\}\/\$\{timestamp\}'/);
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, file);
  });
});
