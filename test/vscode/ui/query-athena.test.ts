// UI (as a user would), Athena against moto_server: a statement with a ? placeholder asks for its value, runs on Athena
// (QUEUED -> RUNNING -> SUCCEEDED polled by the extension), the rows appear in the grid with NULL distinct from '', and
// "Export CSV" writes the CSV Athena wrote to S3 to the file chosen in the save dialog.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AthenaClient, GetQueryExecutionCommand, ListQueryExecutionsCommand } from '@aws-sdk/client-athena';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AwsSession } from '../../../src/core/aws/connection';
import { startMoto, type Moto } from '../../helpers/moto';
import { useWorkbench } from './workbench';

const LONG = 90_000;
const BUCKET = 'secml-ui-athena';

describe('UI: query CloudTrail on Athena (moto_server)', function () {
  let moto: Moto | undefined;
  let session: AwsSession;
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'secml-ui-athena-'));
  writeFileSync(path.join(workspace, 'athena.sql'), "-- Trail tampering by event name\nselect eventname, count(*) as n, max(errorcode) as last_error\nfrom cloudtrail_logs\nwhere eventname like ?\ngroup by 1;\n");

  before(async function () {
    moto = await startMoto(this);
    session = new AwsSession(moto.connection);
    await session.client(S3Client).send(new CreateBucketCommand({ Bucket: BUCKET }));
    const row = (...v: (string | null)[]) => ({ Data: v.map((x) => (x === null ? {} : { VarCharValue: x })) });
    await moto.control('/moto-api/static/athena/query-results', {
      results: [
        {
          rows: [row('eventname', 'n', 'last_error'), row('StopLogging', '3', 'TrailNotFoundException'), row('DeleteTrail', '3', '')],
          column_info: [
            { Name: 'eventname', Label: 'eventname', Type: 'varchar' },
            { Name: 'n', Label: 'n', Type: 'bigint' },
            { Name: 'last_error', Label: 'last_error', Type: 'varchar' },
          ],
        },
      ],
    });
    await moto.control('/moto-api/state-manager/set-transition', { model_name: 'athena::execution', transition: { progression: 'manual', times: 2 } });
  });
  after(async () => {
    session?.destroy();
    await moto?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  const vs = useWorkbench(() => ({
    workspace,
    settings: {
      'secml.query.engine': 'athena',
      'secml.aws.endpointUrl': moto!.endpoint,
      'secml.aws.region': 'us-east-1',
      'secml.athena.outputLocation': `s3://${BUCKET}/results/`,
      'secml.athena.database': 'security',
      'workbench.startupEditor': 'none',
    },
    env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_PROFILE: '', AWS_MAX_ATTEMPTS: '2' },
  }));

  it('asks for the ? value, runs on Athena, shows the rows, and exports the CSV from S3', async function () {
    await vs().openFile('athena.sql');
    const lens = vs().page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Run Query (Athena)' });
    await lens.first().waitFor({ timeout: LONG });
    await lens.first().click();
    await vs().answerInputBox('%Trail%');
    const grid = await vs().webview();
    await grid.locator('.summary', { hasText: /^2 rows · / }).waitFor({ timeout: LONG });
    const rows = grid.locator('.grid-rows .grow');
    await rows.nth(1).locator('.gcell:not(.loading)').nth(1).waitFor({ timeout: LONG });
    assert.deepEqual((await rows.nth(0).locator('.gcell').allTextContents()).slice(1), ['StopLogging', '3', 'TrailNotFoundException']);
    assert.deepEqual((await rows.nth(1).locator('.gcell').allTextContents()).slice(1), ['DeleteTrail', '3', '']);
    assert.match(await grid.locator('.summary').innerText(), /Athena · (0|<0\.1) MB scanned · ~\$0\.00005 \(10 MB minimum\)$/);

    const athena = session.client(AthenaClient);
    const [id] = (await athena.send(new ListQueryExecutionsCommand({}))).QueryExecutionIds ?? [];
    const qe = (await athena.send(new GetQueryExecutionCommand({ QueryExecutionId: id }))).QueryExecution;
    assert.deepEqual(qe?.ExecutionParameters, ["'%Trail%'"]);
    assert.equal(qe?.QueryExecutionContext?.Database, 'security');
    await vs().screenshot('query-results-athena');

    const out = path.join(workspace, 'tampering.csv');
    await grid.locator('button', { hasText: 'Export CSV' }).click();
    // VS Code's own save dialog (a quick input): wait for its default path, then type ours.
    const input = vs().page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible', timeout: LONG });
    await vs().page.waitForFunction(() => (document.querySelector('.quick-input-widget .quick-input-box input') as HTMLInputElement | null)?.value.endsWith('query-results.csv'), undefined, { timeout: LONG });
    await input.fill(out);
    await input.press('Enter');
    await vs().waitForNotification(/Exported 2 rows to .*tampering\.csv/);
    assert.equal(readFileSync(out, 'utf8').split('\n')[0], '"eventname","n","last_error"');
  });
});
