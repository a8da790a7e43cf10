/** `secml jobs` and `secml endpoints` against moto_server, configured only through the SDK's standard environment variables. */
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { CreateTrainingJobCommand, ListEndpointsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { AwsSession } from '../../src/core/aws/connection';
import { SageMakerBackend } from '../../src/core/backends/sagemaker/backend';
import { sageMakerSettings } from '../../src/core/backends/sagemaker/settings';
import { runCli } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/command';
import { silentLogger } from '../../src/core/progress';
import { startMoto, MOTO_ACCOUNT, type Moto } from '../helpers/moto';

const ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/SageMakerExecution`;
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';

function capture(): { io: CliIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t) => out.push(t), err: (t) => err.push(t), logger: silentLogger, isTTY: false, signal: new AbortController().signal } };
}

describe('secml jobs / endpoints against moto_server', function () {
  let moto: Moto;
  let session: AwsSession;
  const saved: Record<string, string | undefined> = {};
  const env = () => ({ AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_MAX_ATTEMPTS: '1', AWS_PROFILE: '' });

  before(async function () {
    moto = await startMoto(this);
    for (const [k, v] of Object.entries(env())) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
  });
  after(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    session = new AwsSession(moto.connection);
    for (const name of ['harvest-drop0-20250101-000000-aaaa', 'harvest-last5-20250101-000000-bbbb']) {
      await session.client(SageMakerClient).send(
        new CreateTrainingJobCommand({
          TrainingJobName: name,
          AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File' },
          RoleArn: ROLE,
          OutputDataConfig: { S3OutputPath: 's3://b/out/' },
          ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 5 },
          StoppingCondition: { MaxRuntimeInSeconds: 600 },
          HyperParameters: { num_round: '5' },
          InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: 's3://b/train/' } } }],
        }),
      );
    }
  });
  afterEach(() => session.destroy());

  it('jobs list prints a table, or JSON with --json, and filters by name', async () => {
    const t = capture();
    assert.equal(await runCli(['jobs', 'list'], t.io), 0);
    assert.match(t.out.join('\n'), /^NAME\s+STATUS\s+CREATED \(UTC\)\s+ENDED \(UTC\)\n.*harvest-/);
    const j = capture();
    assert.equal(await runCli(['jobs', 'list', '--name', 'last5', '--json'], j.io), 0);
    const jobs = JSON.parse(j.out.join(''));
    assert.deepEqual(jobs.map((x: any) => [x.name, x.status]), [['harvest-last5-20250101-000000-bbbb', 'Completed']]);
    const bad = capture();
    assert.equal(await runCli(['jobs', 'list', '--status', 'Running'], bad.io), 2);
    assert.match(bad.err.join('\n'), /"Running" is not a training job status/);
  });

  it('jobs show prints status, metrics, artifact and links', async () => {
    const t = capture();
    assert.equal(await runCli(['jobs', 'show', 'harvest-drop0-20250101-000000-aaaa', '--json'], t.io), 0);
    const s = JSON.parse(t.out.join(''));
    assert.equal(s.status, 'Completed');
    assert.match(s.modelArtifact, /model\.tar\.gz$/);
    assert.match(s.logsUrl, /cloudwatch/);
    const missing = capture();
    assert.equal(await runCli(['jobs', 'show', 'nope'], missing.io), 1);
    assert.match(missing.err.join('\n'), /Could not find training job/);
  });

  it('jobs stop reports clearly when the endpoint does not implement StopTrainingJob; a bad name is refused before any call', async () => {
    const t = capture();
    assert.equal(await runCli(['jobs', 'stop', 'harvest-drop0-20250101-000000-aaaa'], t.io), 1);
    assert.match(t.err.join('\n'), /secml: error: Stop training job harvest-drop0-20250101-000000-aaaa: the endpoint did not answer like AWS/);
    const bad = capture();
    assert.equal(await runCli(['jobs', 'stop', 'bad_name'], bad.io), 1);
    assert.match(bad.err.join('\n'), /letters, digits and hyphens/);
  });

  it('endpoints list shows SecML endpoints with cost; endpoints delete --experiment tears them down', async () => {
    const backend = new SageMakerBackend(session, sageMakerSettings({ roleArn: ROLE }));
    const r = { backend: 'sagemaker' as const, jobName: 'harvest-drop0-20250101-000000-aaaa', modelArtifact: 's3://bkt/m.tar.gz', imageUri: IMAGE, experiment: 'harvest', variant: 'drop0' };
    const d = await backend.deploy(r);
    const t = capture();
    assert.equal(await runCli(['endpoints', 'list'], t.io), 0);
    const text = t.out.join('\n');
    assert.match(text, new RegExp(`${d.endpointName}\\s+InService\\s+1 x ml\\.m5\\.large\\s+\\d+ min\\s+~\\$0\\.12/h\\s+harvest\\s+drop0`));
    assert.match(text, /1 endpoint\(s\), ~\$0\.12\/h in total \(estimate/);
    const j = capture();
    assert.equal(await runCli(['endpoints', 'list', '--json'], j.io), 0);
    assert.equal(JSON.parse(j.out.join('')).estimatedUsdPerHour, 0.115);
    const del = capture();
    assert.equal(await runCli(['endpoints', 'delete', '--experiment', 'harvest', '--json'], del.io), 0);
    assert.deepEqual(JSON.parse(del.out.join('')).deleted, [`endpoint/${d.endpointName}`, `endpoint-config/${d.configName}`, `model/${d.modelName}`]);
    assert.equal((await session.client(SageMakerClient).send(new ListEndpointsCommand({}))).Endpoints?.length, 0);
    const usage = capture();
    assert.equal(await runCli(['endpoints', 'delete'], usage.io), 2);
  });

  it('runs as a real process honouring AWS_ENDPOINT_URL / AWS_REGION (secml jobs list --json)', async () => {
    const root = path.resolve(__dirname, '../..');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', path.join(root, 'src/cli/main.ts'), 'jobs', 'list', '--json'], {
      cwd: root,
      env: { ...process.env, ...env(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    });
    assert.equal(JSON.parse(stdout).length, 2);
  });
});
