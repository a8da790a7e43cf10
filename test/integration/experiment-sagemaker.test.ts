/**
 * The same runner on the SageMaker backend, against moto_server: every variant's CSVs uploaded to S3, one training job per
 * run (recorded in run.json with name, ARN, console and log links, and the spec's image override), an endpoint per
 * evaluation that is gone afterwards.
 * moto trains nothing and its endpoints answer one fixed value, so the invoker is scripted: it scores each CSV row by its
 * event counts (deterministic), which is enough to check that every row of the test split and of single.txt is scored.
 */
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeTrainingJobCommand, ListEndpointConfigsCommand, ListEndpointsCommand, ListModelsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { AwsSession } from '../../src/core/aws/connection';
import { SageMakerBackend } from '../../src/core/backends/sagemaker/backend';
import { sageMakerSettings } from '../../src/core/backends/sagemaker/settings';
import { createRunnerDeps } from '../../src/core/experiments/engine';
import { launchExperiment } from '../../src/core/experiments/runner';
import { RunStore } from '../../src/core/experiments/run-store';
import { loadExperimentSpec } from '../../src/core/experiments/spec';
import { generateSampleWorkspace, SPEC_FILE } from '../../src/core/sample/sample-workspace';
import { MOTO_ACCOUNT, startMoto, type Moto } from '../helpers/moto';

const BUCKET = 'secml-experiments';
const MIRROR = '111122223333.dkr.ecr.us-east-1.amazonaws.com/mirror/sagemaker-xgboost:1.7-1';

describe('experiments on the SageMaker backend (moto_server)', function () {
  this.timeout(300_000);
  let moto: Moto | undefined;
  let session: AwsSession;
  let dir = '';

  before(async function () {
    moto = await startMoto(this);
    session = new AwsSession(moto.connection);
    await session.client(S3Client).send(new CreateBucketCommand({ Bucket: BUCKET }));
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'secml-exp-sagemaker-'));
    await generateSampleWorkspace(dir, { scale: 0.1 });
  });
  after(async () => {
    session?.destroy();
    await moto?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('trains each run as a training job, scores through endpoints it tears down, and records the jobs', async () => {
    const scored: number[] = [];
    // The spec names a mirrored XGBoost image; the backend is built from the spec's "sagemaker" options as the CLI and
    // the extension build it.
    const specFile = path.join(dir, 'mirror.secml.json');
    await fs.writeFile(specFile, JSON.stringify({ ...JSON.parse(await fs.readFile(path.join(dir, SPEC_FILE), 'utf8')), sagemaker: { imageUri: MIRROR } }, null, 2));
    const loaded = await loadExperimentSpec(specFile);
    const fromSpec = Object.fromEntries(Object.entries(loaded.spec.sagemaker ?? {}).filter(([, v]) => v !== undefined));
    const backend = new SageMakerBackend(session, sageMakerSettings({ bucket: BUCKET, roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/SageMakerExecution`, ...fromSpec }), {
      confirmUpload: async () => true,
      invoker: () => async (body) => {
        const rows = body.trim().split('\n');
        scored.push(rows.length);
        // Sessions with many events score higher: a deterministic stand-in for the model.
        return rows.map((r) => (1 - 1 / (1 + r.split(',').reduce((s, v) => s + (Number(v) || 0), 0) / 50)).toFixed(6)).join(',');
      },
    });
    const store = RunStore.forWorkspace(dir);
    const launch = await launchExperiment(loaded, createRunnerDeps({ store, sagemaker: async () => backend }), { backend: 'sagemaker', variants: ['full', 'last:5'] });
    const runs = await launch.done;
    assert.deepEqual(runs.map((r) => [r.variant, r.backend, r.status, r.error?.message]), [['full', 'sagemaker', 'completed', undefined], ['last5', 'sagemaker', 'completed', undefined]]);
    for (const r of runs) {
      assert.match(r.job?.name ?? '', /^harvest-bag-of-events-/);
      assert.match(r.job?.arn ?? '', /^arn:aws:sagemaker:us-east-1:123456789012:training-job\//);
      assert.match(r.job?.consoleUrl ?? '', /console\.aws\.amazon\.com\/sagemaker/);
      assert.equal(r.job?.imageUri, MIRROR, 'the run records the image it trained with');
      const d = await session.client(SageMakerClient).send(new DescribeTrainingJobCommand({ TrainingJobName: r.job!.name }));
      assert.equal(d.AlgorithmSpecification?.TrainingImage, MIRROR);
      const m = (await store.readMetrics(r.experiment, r.id))!;
      assert.ok(m.test.rows > 0 && m.evaluation && m.evaluation.rows > 0);
      assert.equal(m.trainingCurve, undefined, 'SageMaker reports no per-round curve');
    }
    const total = runs.reduce((s, r) => s + r.summary!.test!.positives + r.summary!.test!.negatives + r.summary!.evaluation!.positives + r.summary!.evaluation!.negatives, 0);
    assert.ok(scored.reduce((a, b) => a + b, 0) >= total, 'every scored row went through the endpoint');
    const sm = session.client(SageMakerClient);
    const [e, c, mo] = await Promise.all([sm.send(new ListEndpointsCommand({})), sm.send(new ListEndpointConfigsCommand({})), sm.send(new ListModelsCommand({}))]);
    assert.deepEqual([e.Endpoints?.length, c.EndpointConfigs?.length, mo.Models?.length], [0, 0, 0], 'no endpoint, config or model left');
  });
});
