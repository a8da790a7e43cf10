/**
 * The `sagemaker` backend against moto_server: a whole experiment (two variants) uploads, trains, deploys, scores with
 * seeded endpoint results, computes metrics and tears everything down; then the failure paths moto cannot produce,
 * driven through the injectable status sources (failed, stopped, throttled, expired credentials, cancelled,
 * evaluation failure, endpoint failure, declined upload).
 */
import * as assert from 'node:assert/strict';
import { promises as fs, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import {
  DescribeTrainingJobCommand,
  ListEndpointConfigsCommand,
  ListEndpointsCommand,
  ListModelsCommand,
  ListTagsCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { withScorer, type TrainRequest, type TrainStatus } from '../../src/core/backends/backend';
import { SageMakerBackend, JOB_RECORD_FILE, type SageMakerBackendDeps } from '../../src/core/backends/sagemaker/backend';
import { endpointInvoker } from '../../src/core/backends/sagemaker/invoke';
import { sageMakerSettings, type SageMakerSettings } from '../../src/core/backends/sagemaker/settings';
import type { PlannedUpload } from '../../src/core/backends/sagemaker/upload';
import { MOTO_ACCOUNT, MOTO_REGION } from '../helpers/moto';
import { useMotoSession } from '../helpers/moto-session';
import { expired, FakeClock, job, ScriptedEndpointSource, ScriptedTrainingSource, throttled } from '../unit/sagemaker/scripted';
import { computeMetrics, type MetricsReport } from '../../src/core/metrics/report';
import { readLabelledCsv } from '../../src/core/model/labelled-csv';
import { parseHyperparameters, toSageMakerHyperparameters } from '../../src/core/model/hyperparameters';
import { FEATURES, writeVariant } from './sagemaker-fixture';

const BUCKET = 'secml-test-data';
const ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/SageMakerExecution`;
const HP = { max_depth: '5', eta: '0.2', gamma: '4', min_child_weight: '6', subsample: '0.7', num_round: '50' };

describe('sagemaker backend against moto_server', function () {
  let root: string;
  const variants: Record<string, string> = {};
  const aws = useMotoSession(BUCKET);

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'secml-sm-'));
    variants.drop0 = await writeVariant(path.join(root, 'data'), 'drop0', 1);
    variants.last10 = await writeVariant(path.join(root, 'data'), 'last10', 7);
  });
  after(async () => {
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  const settings = (over: Partial<SageMakerSettings> = {}) => sageMakerSettings({ bucket: BUCKET, prefix: 'secml', roleArn: ROLE, ...over });
  const request = (variant: string, runId = `run-${variant}`): TrainRequest => ({
    experiment: 'harvest xgb',
    runId,
    variant,
    datasetDir: variants[variant],
    hyperparameters: HP,
    runDir: path.join(root, 'runs', runId),
  });
  const sm = () => aws.session.client(SageMakerClient);
  const seed = (bodies: string[]) =>
    aws.moto.control('/moto-api/static/sagemaker/endpoint-results', { account_id: MOTO_ACCOUNT, region: MOTO_REGION, results: bodies.map((Body) => ({ Body, ContentType: 'text/csv' })) });
  async function remaining(): Promise<{ endpoints: number; configs: number; models: number }> {
    const [e, c, m] = await Promise.all([sm().send(new ListEndpointsCommand({})), sm().send(new ListEndpointConfigsCommand({})), sm().send(new ListModelsCommand({}))]);
    return { endpoints: e.Endpoints?.length ?? 0, configs: c.EndpointConfigs?.length ?? 0, models: m.Models?.length ?? 0 };
  }

  it('runs a whole experiment: upload, one job per variant, deploy, invoke, metrics, teardown', async () => {
    const plans: PlannedUpload[][] = [];
    const payloads: string[] = [];
    const deps: SageMakerBackendDeps = {
      confirmUpload: async (plan) => (plans.push(plan), true),
      invoker: (name) => {
        const real = endpointInvoker(aws.session, name);
        return (body, signal) => (payloads.push(body), real(body, signal));
      },
    };
    const backend = new SageMakerBackend(aws.session, settings(), deps);
    const metrics: Record<string, MetricsReport> = {};

    for (const variant of ['drop0', 'last10']) {
      const statuses: TrainStatus[] = [];
      const result = await backend.train(request(variant), { onStatus: (s) => statuses.push(s) });

      // Consent was asked with the exact files, sizes and destinations; the objects hold the files' bytes.
      const plan = plans[plans.length - 1];
      assert.deepEqual(plan.map((u) => u.destination), [
        `s3://${BUCKET}/secml/harvest-xgb/${variant}/train/train.csv`,
        `s3://${BUCKET}/secml/harvest-xgb/${variant}/validation/validation.csv`,
      ]);
      for (const u of plan) {
        const obj = await aws.session.client(S3Client).send(new GetObjectCommand({ Bucket: BUCKET, Key: u.key }));
        assert.equal(await obj.Body!.transformToString(), await fs.readFile(u.file, 'utf8'), u.key);
        assert.equal(obj.ContentType, 'text/csv');
      }

      // The job is what we asked for (Describe echoes the request).
      const d = await sm().send(new DescribeTrainingJobCommand({ TrainingJobName: result.jobName }));
      assert.equal(d.AlgorithmSpecification?.TrainingImage, '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1');
      assert.deepEqual(d.HyperParameters, toSageMakerHyperparameters(parseHyperparameters(HP)));
      assert.equal(d.HyperParameters?.eta, '0.2');
      assert.deepEqual(d.InputDataConfig?.map((c) => [c.ChannelName, c.ContentType, c.DataSource?.S3DataSource?.S3Uri]), [
        ['train', 'text/csv', `s3://${BUCKET}/secml/harvest-xgb/${variant}/train/`],
        ['validation', 'text/csv', `s3://${BUCKET}/secml/harvest-xgb/${variant}/validation/`],
      ]);
      assert.equal(d.OutputDataConfig?.S3OutputPath, `s3://${BUCKET}/secml/harvest-xgb/${variant}/output/`);
      assert.equal(d.ResourceConfig?.InstanceType, 'ml.m5.xlarge');
      assert.equal(d.RoleArn, ROLE);
      const tags = (await sm().send(new ListTagsCommand({ ResourceArn: d.TrainingJobArn }))).Tags;
      assert.deepEqual(tags, [
        { Key: 'secml:experiment', Value: 'harvest xgb' },
        { Key: 'secml:variant', Value: variant },
        { Key: 'secml:run', Value: `run-${variant}` },
      ]);

      // The result and the live statuses carry what the tree shows.
      assert.match(result.jobName!, new RegExp(`^harvest-xgb-${variant}-\\d{8}-\\d{6}-[0-9a-f]{4}$`));
      assert.equal(result.modelArtifact, `s3://${BUCKET}/secml/harvest-xgb/${variant}/output/${result.jobName}/output/model.tar.gz`);
      assert.deepEqual(result.features, FEATURES);
      assert.ok(result.logsUrl?.includes('TrainingJobs'));
      assert.deepEqual(statuses.map((s) => s.state), ['uploading', 'starting', 'completed']);
      assert.equal(JSON.parse(await fs.readFile(path.join(request(variant).runDir, JOB_RECORD_FILE), 'utf8')).status, 'Completed');

      // Evaluate on a temporary endpoint: seeded answers are a perfect model (0.9 for attackers, 0.1 otherwise).
      const test = await readLabelledCsv(path.join(variants[variant], 'test.csv'));
      await seed([[...test.y].map((y) => (y ? '0.9' : '0.1')).join('\n') + '\n']);
      const scores = await withScorer(backend, result, {}, async (scorer) => {
        assert.match(scorer.description, /^endpoint harvest-xgb-/);
        assert.equal((await remaining()).endpoints, 1, 'endpoint is up while scoring');
        return scorer.predict(test.x, test.rows, test.cols);
      });
      // The payload is the test rows in model column order, without the label.
      const sent = payloads[payloads.length - 1].trimEnd().split('\n').map((l) => l.split(',').map((v) => Math.fround(Number(v))));
      const lines = (await fs.readFile(path.join(variants[variant], 'test.csv'), 'utf8')).trimEnd().split('\n');
      assert.deepEqual(sent, lines.map((l) => l.split(',').slice(1).map((v) => Math.fround(Number(v)))));
      assert.ok(sent.every((r) => r.length === FEATURES.length));
      metrics[variant] = computeMetrics(test.y, scores);
      assert.deepEqual(await remaining(), { endpoints: 0, configs: 0, models: 0 }, 'torn down after evaluation');
    }
    for (const m of Object.values(metrics)) {
      assert.equal(m.fp + m.fn, 0);
      assert.equal(m.rocAuc, 1);
      assert.equal(m.recallAtFpr5, 1);
      assert.ok(m.tp > 0 && m.tn > 0 && m.rows === 20);
    }
  });

  it('a failed job rejects with its FailureReason and records it', async () => {
    const source = new ScriptedTrainingSource([job('InProgress', { secondaryStatus: 'Training' }), job('Failed', { failureReason: 'ClientError: Label must be in [0,1]' })]);
    const statuses: string[] = [];
    const backend = new SageMakerBackend(aws.session, settings(), { trainingStatus: source, clock: new FakeClock() });
    await assert.rejects(backend.train(request('drop0', 'r-failed'), { onStatus: (s) => statuses.push(s.state) }), (e: any) => e.code === 'AWS' && /failed: ClientError: Label must be in \[0,1\]/.test(e.message));
    assert.deepEqual(statuses, ['uploading', 'starting', 'training', 'failed']);
    const record = JSON.parse(await fs.readFile(path.join(root, 'runs', 'r-failed', JOB_RECORD_FILE), 'utf8'));
    assert.equal(record.failureReason, 'ClientError: Label must be in [0,1]');
  });

  it('a job stopped on SageMaker ends the run as stopped (CANCELLED)', async () => {
    const source = new ScriptedTrainingSource([job('InProgress'), job('Stopping'), job('Stopped')]);
    const backend = new SageMakerBackend(aws.session, settings(), { trainingStatus: source, clock: new FakeClock() });
    await assert.rejects(backend.train(request('drop0')), (e: any) => e.code === 'CANCELLED' && /was stopped/.test(e.message));
  });

  it('throttled status calls are retried with backoff until the job completes', async () => {
    const clock = new FakeClock();
    const source = new ScriptedTrainingSource([throttled(), throttled(), job('InProgress'), job('Completed', { modelArtifact: 's3://b/m.tar.gz', finalMetrics: { 'validation:auc': 0.88 } })]);
    const backend = new SageMakerBackend(aws.session, settings(), { trainingStatus: source, clock });
    const r = await backend.train(request('drop0'));
    assert.deepEqual(r.finalMetrics, { 'validation:auc': 0.88 });
    assert.ok(clock.sleeps.every((ms) => ms >= 10_000));
  });

  it('expired credentials while polling fail the run with the Configure AWS hint', async () => {
    const backend = new SageMakerBackend(aws.session, settings(), { trainingStatus: new ScriptedTrainingSource([job('InProgress'), expired()]), clock: new FakeClock() });
    await assert.rejects(backend.train(request('drop0')), (e: any) => e.code === 'AWS_AUTH' && /Configure AWS/.test(e.message));
  });

  it('cancelling asks SageMaker to stop the job (StopTrainingJob) and rejects CANCELLED', async () => {
    const controller = new AbortController();
    const source = new ScriptedTrainingSource([
      job('InProgress'),
      async () => {
        controller.abort();
        return job('InProgress');
      },
    ]);
    const backend = new SageMakerBackend(aws.session, settings(), { trainingStatus: source, clock: new FakeClock() });
    const statuses: string[] = [];
    await assert.rejects(backend.train(request('drop0'), { signal: controller.signal, onStatus: (s) => statuses.push(s.state) }), (e: any) => e.code === 'CANCELLED' && /stop training job/.test(e.message));
    assert.equal(source.stopped.length, 1);
    assert.match(source.stopped[0], /^harvest-xgb-drop0-/);
    assert.equal(statuses[statuses.length - 1], 'stopping');
  });

  it('declining the upload sends nothing', async () => {
    const backend = new SageMakerBackend(aws.session, settings(), { confirmUpload: async () => false });
    await assert.rejects(backend.train(request('drop0')), (e: any) => e.code === 'CANCELLED' && /nothing was sent/.test(e.message));
    const listed = await aws.session.client(S3Client).send(new ListObjectsV2Command({ Bucket: BUCKET }));
    assert.equal(listed.KeyCount ?? 0, 0);
  });

  it('a second upload of unchanged data is skipped; a new sharding removes stale parts', async () => {
    const backend = new SageMakerBackend(aws.session, settings({ instanceCount: 2 }));
    await backend.train(request('drop0'));
    const keys = async () => ((await aws.session.client(S3Client).send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'secml/harvest-xgb/drop0/train/' }))).Contents ?? []).map((o) => o.Key);
    assert.deepEqual(await keys(), ['secml/harvest-xgb/drop0/train/train-part-0001.csv', 'secml/harvest-xgb/drop0/train/train-part-0002.csv']);
    const d = await sm().send(new DescribeTrainingJobCommand({ TrainingJobName: (await backend.train(request('drop0'))).jobName }));
    assert.equal(d.InputDataConfig?.[0].DataSource?.S3DataSource?.S3DataDistributionType, 'ShardedByS3Key');
    assert.equal(d.ResourceConfig?.InstanceCount, 2);
    const logs: string[] = [];
    await new SageMakerBackend(aws.session, settings()).train(request('drop0'), { logger: { debug() {}, info: (m) => logs.push(m), warn() {}, error() {} } });
    assert.deepEqual(await keys(), ['secml/harvest-xgb/drop0/train/train.csv']);
    assert.ok(logs.some((l) => /Unchanged, not uploaded again: .*validation\.csv/.test(l)));
  });

  it('evaluation that fails still deletes its endpoint, config and model', async () => {
    const backend = new SageMakerBackend(aws.session, settings());
    const result = await backend.train(request('drop0'));
    await assert.rejects(
      withScorer(backend, result, {}, async () => {
        assert.equal((await remaining()).endpoints, 1);
        throw new Error('metrics blew up');
      }),
      /metrics blew up/,
    );
    assert.deepEqual(await remaining(), { endpoints: 0, configs: 0, models: 0 });
  });

  it('an endpoint that fails to come up, or a cancelled deployment, leaves nothing behind', async () => {
    const failing = new SageMakerBackend(aws.session, settings(), { endpointStatus: new ScriptedEndpointSource([{ status: 'Creating' }, { status: 'Failed', failureReason: 'The primary container did not pass the ping health check' }]), clock: new FakeClock() });
    const result = await failing.train(request('drop0'));
    await assert.rejects(failing.createScorer(result), /ended Failed: The primary container did not pass the ping health check/);
    assert.deepEqual(await remaining(), { endpoints: 0, configs: 0, models: 0 });

    const controller = new AbortController();
    const cancelled = new SageMakerBackend(aws.session, settings(), {
      endpointStatus: new ScriptedEndpointSource([async () => (controller.abort(), { status: 'Creating' as const })]),
      clock: new FakeClock(),
    });
    await assert.rejects(cancelled.createScorer(result, { signal: controller.signal }), (e: any) => e.code === 'CANCELLED');
    assert.deepEqual(await remaining(), { endpoints: 0, configs: 0, models: 0 });
  });

  it('keep: the endpoint stays (tagged as a deployment) and the scorer checks column counts', async () => {
    const backend = new SageMakerBackend(aws.session, settings());
    const result = await backend.train(request('drop0'));
    const scorer = await backend.createScorer(result, { keep: true });
    await assert.rejects(scorer.predict(new Float32Array(3), 1, 3), /expects 4 columns/);
    await scorer.dispose();
    const eps = (await sm().send(new ListEndpointsCommand({}))).Endpoints ?? [];
    assert.equal(eps.length, 1);
    const tags = (await sm().send(new ListTagsCommand({ ResourceArn: eps[0].EndpointArn }))).Tags;
    assert.ok(tags?.some((t) => t.Key === 'secml:purpose' && t.Value === 'deployment'));
  });

  it('re-attaches to a job it started before (resumeJobName) without uploading again', async () => {
    const first = await new SageMakerBackend(aws.session, settings()).train(request('drop0'));
    let asked = false;
    const again = await new SageMakerBackend(aws.session, settings(), { confirmUpload: async () => (asked = true) }).train({ ...request('drop0'), resumeJobName: first.jobName });
    assert.equal(again.jobName, first.jobName);
    assert.equal(asked, false);
  });

  it('refuses bad settings before anything is uploaded', async () => {
    const backend = new SageMakerBackend(aws.session, settings({ roleArn: 'SageMakerRole' }));
    await assert.rejects(backend.train(request('drop0')), (e: any) => e.code === 'BAD_ARGUMENT' && /not an IAM role ARN/.test(e.message));
    assert.equal((await aws.session.client(S3Client).send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount ?? 0, 0);
  });
});
