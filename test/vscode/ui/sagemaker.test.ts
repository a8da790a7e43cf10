// UI (as a user would), against moto_server: with secml.aws.endpointUrl pointing at moto and dummy credentials in the
// environment, the Experiments view lists the SageMaker training jobs, the Endpoints view lists the SecML endpoint with
// its instance type and estimated cost, the status bar shows the running cost, "Delete Endpoint" from the endpoint's
// context menu deletes the endpoint with its config and model, "SecML: Configure AWS" walks profile, region,
// identity, bucket and role and writes only non-secret workspace settings, and "Score Principal/IP Pairs with SageMaker
// IP Insights" asks before uploading, trains, scores the sample trail's last day on a temporary endpoint (moto answers
// seeded dot products) and deletes it.
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateTrainingJobCommand, ListEndpointConfigsCommand, ListEndpointsCommand, ListModelsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { AwsSession } from '../../../src/core/aws/connection';
import { SageMakerBackend } from '../../../src/core/backends/sagemaker/backend';
import { secmlTags } from '../../../src/core/backends/sagemaker/names';
import { sageMakerSettings } from '../../../src/core/backends/sagemaker/settings';
import { MOTO_ACCOUNT, startMoto, type Moto } from '../../helpers/moto';
import { readAddressEvents } from '../../../src/core/analytics/cloudtrail-addresses';
import { findUnusualPairs } from '../../../src/core/analytics/unusual-pairs';
import { writeSampleTrail } from '../../../src/core/sample/cloudtrail/sample-trail';
import { useWorkbench } from './workbench';

const ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/SageMakerExecution`;
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';
const JOBS = ['harvest-drop0-20250101-000000-aaaa', 'harvest-last10-20250101-000100-bbbb'];

describe('UI: SageMaker jobs and endpoints (moto_server)', function () {
  let moto: Moto | undefined;
  let session: AwsSession;
  let endpointName = '';
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'secml-ui-sagemaker-'));

  before(async function () {
    moto = await startMoto(this);
    session = new AwsSession(moto.connection);
    await writeSampleTrail(workspace, 42);
    await session.client(S3Client).send(new CreateBucketCommand({ Bucket: 'secml-ui' }));
    for (const name of JOBS) {
      await session.client(SageMakerClient).send(
        new CreateTrainingJobCommand({
          TrainingJobName: name,
          AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File' },
          RoleArn: ROLE,
          OutputDataConfig: { S3OutputPath: 's3://secml-ui/out/' },
          ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 5 },
          StoppingCondition: { MaxRuntimeInSeconds: 600 },
          HyperParameters: { num_round: '50' },
          InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://secml-ui/train/' } } }],
          Tags: secmlTags({ experiment: 'harvest', variant: name.split('-')[1] }),
        }),
      );
    }
    const backend = new SageMakerBackend(session, sageMakerSettings({ roleArn: ROLE, endpointInstanceType: 'ml.m5.large' }));
    const d = await backend.deploy({ backend: 'sagemaker', jobName: JOBS[0], modelArtifact: `s3://secml-ui/out/${JOBS[0]}/output/model.tar.gz`, imageUri: IMAGE, experiment: 'harvest', variant: 'drop0' });
    endpointName = d.endpointName;
  });
  after(async () => {
    session?.destroy();
    await moto?.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  const vs = useWorkbench(() => ({
    workspace,
    settings: { 'secml.aws.endpointUrl': moto!.endpoint, 'secml.aws.region': 'us-east-1' },
    env: { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_PROFILE: '', AWS_MAX_ATTEMPTS: '2' },
  }));

  it('shows the training jobs in Experiments, the endpoint in Endpoints, and its cost in the status bar', async function () {
    await vs().openSecmlSidebar();
    await vs().treeItem('SageMaker training jobs', 'Experiments');
    for (const job of JOBS) await vs().treeItem(job, 'Experiments');
    const jobRows = (await vs().treeRows('Experiments')).filter((r) => JOBS.includes(r.label));
    assert.deepEqual(jobRows.map((r) => r.label).sort(), [...JOBS].sort());
    for (const r of jobRows) assert.match(r.description, /^Completed · \d+ (min|h|d)$/);

    await vs().treeItem(endpointName, 'Endpoints');
    const ep = (await vs().treeRows('Endpoints')).find((r) => r.label === endpointName)!;
    assert.match(ep.description, /^InService · 1 x ml\.m5\.large · \d+ min · ~\$0\.12\/h$/);

    const status = vs().page.locator('.statusbar-item', { hasText: /1 endpoint ~\$0\.12\/h/ });
    await status.first().waitFor({ timeout: 60_000 });
    await vs().screenshot('sagemaker-jobs-and-endpoints');
  });

  it('deletes the endpoint (with its config and model) from its context menu', async function () {
    await vs().treeItemContextMenu(endpointName, 'Delete Endpoint', 'Endpoints');
    const dialog = vs().page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    assert.match(await dialog.innerText(), new RegExp(`Delete endpoint ${endpointName}\\?`));
    await dialog.locator('.monaco-button', { hasText: /^\s*Delete\s*$/ }).first().click();
    await vs().treeItem('No SecML endpoints running.', 'Endpoints');
    assert.ok(!(await vs().treeRows('Endpoints')).some((r) => r.label === endpointName));
    const sm = session.client(SageMakerClient);
    const [e, c, m] = await Promise.all([sm.send(new ListEndpointsCommand({})), sm.send(new ListEndpointConfigsCommand({})), sm.send(new ListModelsCommand({}))]);
    assert.deepEqual([e.Endpoints?.length, c.EndpointConfigs?.length, m.Models?.length], [0, 0, 0]);
    await vs().page.locator('.statusbar-item', { hasText: /endpoint ~\$/ }).first().waitFor({ state: 'detached', timeout: 60_000 });
    assert.match(await vs().waitForNotification(/Deleted endpoint /), new RegExp(`^Deleted endpoint ${endpointName}, endpoint config `));
    // VS Code keeps a progress notification up at least 800 ms after the work ends: the screenshot waits it out.
    await vs().page.locator('.notifications-toasts .notification-toast', { hasText: /Deleting endpoint/ }).first().waitFor({ state: 'detached', timeout: 60_000 });
    await vs().screenshot('sagemaker-endpoint-deleted');
  });

  it('Configure AWS: profile, region, who you are, bucket and role; writes only non-secret settings', async function () {
    await vs().runCommand('SecML: Configure AWS');
    await vs().answerQuickPick('Default credential chain');
    await vs().answerQuickPick('us-east-1');
    await vs().answerQuickPick('secml-ui');
    await vs().answerInputBox(ROLE);
    const msg = await vs().waitForNotification(/SecML Lab uses/);
    assert.match(msg, new RegExp(`the default credentials in us-east-1: arn:aws:sts::${MOTO_ACCOUNT}:\\S+ \\(account ${MOTO_ACCOUNT}\\)`));
    const text = readFileSync(path.join(workspace, '.vscode', 'settings.json'), 'utf8');
    const settings = JSON.parse(text);
    assert.equal(settings['secml.aws.bucket'], 'secml-ui');
    assert.equal(settings['secml.aws.region'], 'us-east-1');
    assert.equal(settings['secml.sagemaker.roleArn'], ROLE);
    assert.ok(!/testing|secret|accessKey/i.test(text), `no credentials in settings:\n${text}`);
    await vs().screenshot('sagemaker-configure-aws');
  });

  it('Configure AWS: a region typed by hand is checked, then saved', async function () {
    await vs().runCommand('SecML: Configure AWS');
    await vs().answerQuickPick('Default credential chain');
    await vs().answerQuickPick('Enter a region...');
    const input = await vs().quickInput();
    await input.fill('eu west 1');
    await vs().page.locator('.quick-input-widget .quick-input-message', { hasText: /"eu west 1" is not an AWS region name/ }).waitFor({ timeout: 30_000 });
    await vs().screenshot('sagemaker-configure-aws-region');
    await vs().answerInputBox('eu-west-1');
    await vs().answerQuickPick('secml-ui');
    await vs().answerInputBox(ROLE);
    await vs().waitForNotification(/the default credentials in eu-west-1/);
    assert.equal(JSON.parse(readFileSync(path.join(workspace, '.vscode', 'settings.json'), 'utf8'))['secml.aws.region'], 'eu-west-1');
  });

  it('Score Principal/IP Pairs with SageMaker IP Insights: asks before uploading, scores the last day, deletes the endpoint', async function () {
    this.timeout(300_000);
    // The settings now name eu-west-1, bucket secml-ui and the role (previous test). moto answers the endpoint with
    // these dot products, in the order of the pairs the command scores (the last day's, as findUnusualPairs lists them).
    const ev = await readAddressEvents([path.join(workspace, 'AWSLogs')]);
    const pairs = findUnusualPairs(ev, { from: Date.parse('2024-05-14T00:00:00Z') }).pairs;
    const predictions = pairs.map((p) => ({ dot_product: p.address === '203.0.113.66' ? -2.5 : 3 }));
    await moto!.control('/moto-api/static/sagemaker/endpoint-results', { account_id: MOTO_ACCOUNT, region: 'eu-west-1', results: [{ Body: JSON.stringify({ predictions }), ContentType: 'application/json' }] });
    await vs().runCommand('SecML: Score Principal/IP Pairs with SageMaker IP Insights');
    const dialog = vs().page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 120_000 });
    assert.match(await dialog.innerText(), /s3:\/\/secml-ui[^]*principal ARNs and the IPv4 addresses/);
    await dialog.locator('.monaco-button', { hasText: /^\s*Upload\s*$/ }).first().click();
    const page = await vs().webview('IP Insights: AWSLogs');
    const first = page.locator('table.analytics tbody tr').first();
    await first.waitFor({ timeout: 240_000 });
    const cells = await first.locator('td').allInnerTexts();
    assert.match(cells[0], /:user\/ci-deploy$/);
    assert.deepEqual([cells[1], cells[2]], ['203.0.113.66', '-2.5000']);
    assert.equal(await page.locator('table.analytics tbody tr').count(), pairs.length);
    assert.match(await page.locator('.summary').innerText(), /then deleted it/);
    await vs().screenshot('sagemaker-ipinsights');
    const eu = new AwsSession({ ...moto!.connection, region: 'eu-west-1' });
    try {
      assert.equal((await eu.client(SageMakerClient).send(new ListEndpointsCommand({}))).Endpoints?.length, 0, 'the temporary endpoint is gone');
    } finally {
      eu.destroy();
    }
  });
});

describe('UI: SageMaker views without AWS credentials', function () {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'secml-ui-nocreds-'));
  after(() => rmSync(workspace, { recursive: true, force: true }));
  // An endpoint that is never reached: credentials are resolved (and found missing) before any request.
  const vs = useWorkbench({
    workspace,
    settings: { 'secml.aws.endpointUrl': 'http://127.0.0.1:9', 'secml.aws.region': 'us-east-1' },
    env: { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '', AWS_PROFILE: '', AWS_EC2_METADATA_DISABLED: 'true', AWS_MAX_ATTEMPTS: '1' },
  });

  it('shows "Configure AWS: credentials needed" instead of an empty tree, and it opens Configure AWS', async function () {
    await vs().openSecmlSidebar();
    const row = await vs().treeItem('Configure AWS: credentials needed', 'Experiments');
    const desc = (await vs().treeRows('Experiments')).find((r) => r.label.startsWith('Configure AWS: credentials needed'))!;
    assert.match(desc.description, /no AWS credentials were found/);
    await vs().treeItem('Configure AWS: credentials needed', 'Endpoints');
    await vs().screenshot('sagemaker-no-credentials');
    await row.click();
    assert.ok((await vs().quickPickItems()).some((i) => /Default credential chain/.test(i)));
    await vs().page.keyboard.press('Escape');
  });
});
