// UI (as a user would): "Score This Log File" on the sample workspace's single.txt from the Explorer's context menu, with
// the local model of a completed run and with a SageMaker endpoint on moto_server (seeded InvokeEndpoint results, the
// payload read through a recording proxy: the model's column order, no label); the results panel lists the flagged
// sessions and the metrics; a click on a session opens the log at its first line; and a file with event types the
// model never saw, a file with no sessions and a file in another format each give a clear message.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { S3Client, CreateBucketCommand } from '@aws-sdk/client-s3';
import { AwsSession } from '../../../src/core/aws/connection';
import { SageMakerBackend } from '../../../src/core/backends/sagemaker/backend';
import { sageMakerSettings } from '../../../src/core/backends/sagemaker/settings';
import type { RunRecord } from '../../../src/core/experiments/run-record';
import { flattenForScoring, type ScoringTable } from '../../../src/core/features/scoring-table';
import { generateSampleWorkspace } from '../../../src/core/sample/sample-workspace';
import { localRunModel, readModelInfo, scoreLogs, type ScoreResult } from '../../../src/core/scoring';
import { MOTO_ACCOUNT, MOTO_REGION, startMoto, type Moto } from '../../helpers/moto';
import { startRecordingProxy, type RecordingProxy } from '../../helpers/recording-proxy';
import { createCompletedRun } from '../../helpers/score-runs';
import { tempFolder, useWorkbench } from './workbench';

const ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/SageMakerExecution`;
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';
const XSS = '<img src=x onerror=alert(1)>';
/** An event type shaped like a VS Code notification link: it must show as text, never as a clickable command. */
const LINK = '[Show Log](command:secml.showLog)';
const LONG = 120_000;

describe('UI: Score This Log File (sample workspace, local model and SageMaker endpoint on moto)', function () {
  const workspace = tempFolder('secml-ui-score-');
  const single = path.join(workspace, 'single.txt');
  let moto: Moto | undefined;
  let proxy: RecordingProxy | undefined;
  let session: AwsSession | undefined;
  let localRun: RunRecord;
  let endpointName = '';
  let expected: ScoreResult;
  let endpointTable: ScoringTable;
  let seeded: number[] = [];

  before(async function () {
    this.timeout(600_000);
    await generateSampleWorkspace(workspace);
    const inputs = ['mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt'].map((f) => path.join(workspace, f));
    const augment = path.join(workspace, 'known-attacker.txt');
    localRun = await createCompletedRun(workspace, { experiment: 'harvest-bag-of-events', inputs, augment });
    expected = await scoreLogs([single], await localRunModel(localRun));

    moto = await startMoto(this);
    proxy = await startRecordingProxy(moto.endpoint);
    session = new AwsSession(moto.connection);
    await session.client(S3Client).send(new CreateBucketCommand({ Bucket: 'secml-ui' }));
    const smRun = await createCompletedRun(workspace, { experiment: 'harvest-sagemaker', inputs, augment, backend: 'sagemaker' });
    const backend = new SageMakerBackend(session, sageMakerSettings({ roleArn: ROLE, endpointInstanceType: 'ml.m5.large' }));
    const d = await backend.deploy({ backend: 'sagemaker', jobName: smRun.job!.name, modelArtifact: `s3://secml-ui/out/${smRun.job!.name}/output/model.tar.gz`, imageUri: IMAGE, experiment: smRun.experiment, variant: smRun.variant, runId: smRun.id });
    endpointName = d.endpointName;
    // What the endpoint must receive: single.txt flattened with the run's vocabulary, in its column order.
    const info = (await readModelInfo(smRun.datasetDir!)).info;
    endpointTable = await flattenForScoring([single], info);
    // The endpoint "predicts" attackers at 0.97, every 40th session at 0.6, the rest at 0.02 (the run's threshold is 0.4).
    seeded = endpointTable.sessions.map((s, i) => (s.label === 1 ? 0.97 : i % 40 === 0 ? 0.6 : 0.02));
    await moto.control('/moto-api/static/sagemaker/endpoint-results', { account_id: MOTO_ACCOUNT, region: MOTO_REGION, results: [{ Body: seeded.join('\n') + '\n', ContentType: 'text/csv' }] });

    writeFileSync(path.join(workspace, 'unseen-day.txt'), ['SessionNo\tLogTime\tCustID\tGroupID\tProfID\tAct\tBadActor', `9\t2019-07-08 00:00:01\tc1\tg\tp\t111\t0`, `9\t2019-07-08 00:00:04\tc1\tg\tp\t${LINK}\t0`, `9\t2019-07-08 00:00:09\tc1\tg\tp\t${XSS}\t0`].join('\n') + '\n');
    writeFileSync(path.join(workspace, 'quiet-day.txt'), 'SessionNo\tLogTime\tCustID\tGroupID\tProfID\tAct\tBadActor\n');
    writeFileSync(path.join(workspace, 'trail.json'), JSON.stringify({ Records: [{ eventVersion: '1.08', eventSource: 'iam.amazonaws.com', eventName: 'CreateUser', eventTime: '2024-05-14T14:08:00Z' }] }));
  });
  after(async () => {
    session?.destroy();
    await proxy?.close();
    await moto?.stop();
  });

  const vs = useWorkbench(() => ({
    workspace,
    settings: { 'secml.aws.endpointUrl': proxy!.url, 'secml.aws.region': 'us-east-1' },
    env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_PROFILE: '', AWS_MAX_ATTEMPTS: '2' },
  }));

  /** Right-click in the Explorer, "Score This Log File", pick the model whose label is `model`. */
  async function scoreFromExplorer(file: string, model: string): Promise<void> {
    await vs().explorerContextMenu(file, 'Score This Log File');
    await vs().answerQuickPick(model);
  }

  it('scores single.txt with the local model: flagged sessions and the metrics in the results panel', async function () {
    await scoreFromExplorer('single.txt', 'harvest-bag-of-events / full');
    const page = await vs().webview('Scores: single.txt');
    await page.locator('table.sessions tbody tr').first().waitFor({ timeout: LONG });
    assert.equal(await page.locator('#flagged-count').innerText(), expected.flagged.toLocaleString('en-US'));
    assert.match(await page.locator('#scored-with').innerText(), /^harvest-bag-of-events \/ full \(local model\) · 9,246 sessions · 81,870 events/);
    const m = expected.metrics!;
    const cells = (await page.locator('table.confusion .cm-count').allInnerTexts()).map((t) => Number(t.replace(/,/g, '')));
    assert.deepEqual(cells, [m.tp, m.fn, m.fp, m.tn]);
    assert.equal(m.positives, 10);
    assert.match(await page.locator('table.metrics-table').innerText(), /Recall at FPR ≤ 5%/);
    const first = expected.table.sessions[expected.order[0]];
    const firstRow = page.locator('table.sessions tbody tr').first();
    assert.equal(await firstRow.locator('td.session').innerText(), first.id);
    assert.ok((await firstRow.getAttribute('class'))?.includes('flagged'));
    assert.ok(existsSync(`${single}.scores.csv`), 'the scores CSV is written next to the input');
    assert.equal(readFileSync(`${single}.scores.csv`, 'utf8').split('\n')[1].split(',')[0], first.id);
    await page.locator('#flagged-only').click();
    await page.locator('#rows-status', { hasText: `of ${expected.flagged.toLocaleString('en-US')} flagged sessions` }).waitFor({ timeout: LONG });
    const wrap = page.locator('.table-wrap');
    assert.ok(await wrap.evaluate((w) => w.scrollWidth <= w.clientWidth + 1), 'the session table fits: its last column wraps, nothing is cut');
    await vs().screenshot('score-single-txt-local-model');

    // A click on the session opens single.txt at its first line.
    await firstRow.locator('td.session button').click();
    await vs().page.locator('.tabs-container .tab.active', { hasText: 'single.txt' }).waitFor({ timeout: LONG });
    await vs().page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${first.firstLine}, Col`) }).first().waitFor({ timeout: LONG });
  });

  it('scores single.txt through the SageMaker endpoint: payload in the model\'s column order without label, seeded results ranked', async function () {
    await scoreFromExplorer('single.txt', endpointName);
    // The scores CSV of the first run exists: the product asks before replacing it.
    const dialog = vs().page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: LONG });
    assert.match(await dialog.innerText(), /single\.txt\.scores\.csv already exists/);
    await dialog.locator('.monaco-button', { hasText: /^\s*Overwrite\s*$/ }).first().click();
    const page = await vs().webview('Scores: single.txt');
    const flagged = seeded.filter((p) => p >= 0.4).length;
    await page.locator('#flagged-count', { hasText: new RegExp(`^${flagged.toLocaleString('en-US')}$`) }).waitFor({ timeout: LONG });
    assert.match(await page.locator('#scored-with').innerText(), new RegExp(`^${endpointName} \\(harvest-sagemaker / full\\) \\(SageMaker endpoint\\)`));
    const cells = (await page.locator('table.confusion .cm-count').allInnerTexts()).map((t) => Number(t.replace(/,/g, '')));
    assert.deepEqual(cells, [10, 0, flagged - 10, 9246 - flagged]);
    // VS Code keeps a progress notification up at least 800 ms after the work ends: the screenshot waits it out.
    await vs().page.locator('.notifications-toasts .notification-toast', { hasText: /Scoring single\.txt/ }).first().waitFor({ state: 'detached', timeout: LONG });
    await vs().screenshot('score-single-txt-sagemaker-endpoint');

    const invocations = proxy!.requests.filter((r) => r.method === 'POST' && r.path === `/endpoints/${endpointName}/invocations`);
    assert.equal(invocations.length, 1);
    assert.equal(invocations[0].headers['content-type'], 'text/csv');
    const lines = invocations[0].body.trimEnd().split('\n');
    const F = endpointTable.features.length;
    assert.equal(lines.length, endpointTable.n);
    lines.forEach((line, i) => {
      const values = line.split(',');
      assert.equal(values.length, F, `row ${i + 1}: ${F} feature columns, no label`);
      assert.deepEqual(values.map((v) => Math.fround(Number(v))), Array.from(endpointTable.rows.subarray(i * F, (i + 1) * F)), `row ${i + 1} in the model's column order`);
    });
  });

  it('says clearly when the model never saw some event types, a file has no sessions, or a file is in another format', async function () {
    // The picker offers the last choice (the endpoint) first, marked, and lists the local run with its metrics.
    await vs().explorerContextMenu('unseen-day.txt', 'Score This Log File');
    const rows = vs().page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const endpointRow = rows.filter({ hasText: endpointName }).first();
    await endpointRow.waitFor({ timeout: LONG });
    assert.match(await endpointRow.innerText(), /last used/);
    assert.match(await rows.filter({ hasText: 'harvest-bag-of-events / full' }).first().innerText(), /recall at FPR 5% [\d.]+% · ROC AUC 0\.\d{3} · full/);
    await vs().answerQuickPick('harvest-bag-of-events / full');
    const unseen = (await vs().waitForNotification(/never saw/, LONG)).replace(/\u200b/g, '');
    const either = '(<img src=x onerror=alert\\(1\\)>|\\[Show Log\\]\\(command:secml\\.showLog\\))';
    assert.match(unseen, new RegExp(`^unseen-day\\.txt: 2 events of 2 types the model never saw \\(${either} \\(1\\), ${either} \\(1\\)\\) counted as __other__`));
    const toast = vs().page.locator('.notifications-toasts .notification-toast', { hasText: /never saw/ }).first();
    assert.equal(await toast.locator('.notification-list-item-message a').count(), 0, 'the link-shaped event type is text, not a link');
    const page = await vs().webview('Scores: unseen-day.txt');
    assert.ok((await page.locator('.warning.unseen').innerText()).includes(XSS));
    assert.equal(await page.locator('img').count(), 0);
    await page.locator('#no-attackers', { hasText: 'No attacker sessions among the labelled ones: recall and precision are undefined' }).waitFor({ timeout: LONG });
    assert.doesNotMatch(await page.locator('table.metrics-table').innerText(), /Recall|Precision|PR AUC/, 'no recall or precision shown when there is no attacker');
    assert.match(await page.locator('table.metrics-table').innerText(), /False positive rate/);
    assert.ok((await page.locator('#flagged-count').getAttribute('class'))?.includes('none'), 'a 0 flagged count is not red');
    await vs().screenshot('score-unseen-event-types');

    await scoreFromExplorer('quiet-day.txt', 'harvest-bag-of-events / full');
    const quiet = await vs().waitForNotification(/no sessions to score/, LONG);
    assert.match(quiet, /^quiet-day\.txt:1: no sessions to score: the file has a header but no data rows; the model reads session logs in the seed's format/);
    assert.ok(!quiet.includes(workspace), 'the file is named once, by its base name');
    await vs().clearNotifications();

    await scoreFromExplorer('trail.json', 'harvest-bag-of-events / full');
    assert.match(await vs().waitForNotification(/CloudTrail log/, LONG), /^trail\.json:1: this is a CloudTrail log, but the model was trained on session logs in the seed's format/);
    await vs().screenshot('score-wrong-format');
  });
});
