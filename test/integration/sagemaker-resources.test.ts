/**
 * Listing and tearing down SageMaker resources against moto_server: endpoints with tags, instance type and cost;
 * "delete all endpoints of this experiment" (by tag, including leftovers); training jobs newest first with paging and
 * filters; batch-transform scoring; and the request shapes moto does not implement (StopTrainingJob, DeleteTrainingJob).
 */
import * as assert from 'node:assert/strict';
import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import {
  CreateEndpointCommand,
  CreateEndpointConfigCommand,
  CreateModelCommand,
  CreateTrainingJobCommand,
  DescribeTransformJobCommand,
  ListEndpointConfigsCommand,
  ListModelsCommand,
  SageMakerClient,
  StopTrainingJobCommand,
} from '@aws-sdk/client-sagemaker';
import { AwsSession } from '../../src/core/aws/connection';
import { SageMakerBackend } from '../../src/core/backends/sagemaker/backend';
import { deleteDeployment, deployModel } from '../../src/core/backends/sagemaker/endpoints';
import { deleteExperimentEndpoints, listEndpoints } from '../../src/core/backends/sagemaker/endpoint-list';
import { secmlTags } from '../../src/core/backends/sagemaker/names';
import { sageMakerSettings } from '../../src/core/backends/sagemaker/settings';
import { deleteTrainingJob, listTrainingJobs, listTrainingJobsPage, stopTrainingJob } from '../../src/core/backends/sagemaker/training-jobs';
import { SageMakerTrainingStatusSource } from '../../src/core/backends/sagemaker/training-status';
import type { TransformStatusSource } from '../../src/core/backends/sagemaker/batch-transform';
import type { TrainResult } from '../../src/core/backends/backend';
import { MOTO_ACCOUNT } from '../helpers/moto';
import { useMotoSession } from '../helpers/moto-session';
import { FakeClock } from '../unit/sagemaker/scripted';

const BUCKET = 'secml-res';
const ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/SageMakerExecution`;
const IMAGE = '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1';

const result = (experiment: string, variant: string, jobName: string): TrainResult => ({
  backend: 'sagemaker',
  jobName,
  modelArtifact: `s3://${BUCKET}/out/${jobName}/output/model.tar.gz`,
  imageUri: IMAGE,
  experiment,
  variant,
  runId: `r-${variant}`,
});

describe('sagemaker resources against moto_server', function () {
  const aws = useMotoSession(BUCKET);
  const sm = () => aws.session.client(SageMakerClient);

  async function createJob(name: string, experiment = 'exp-a') {
    await sm().send(
      new CreateTrainingJobCommand({
        TrainingJobName: name,
        AlgorithmSpecification: { TrainingImage: IMAGE, TrainingInputMode: 'File' },
        RoleArn: ROLE,
        OutputDataConfig: { S3OutputPath: `s3://${BUCKET}/out/` },
        ResourceConfig: { InstanceCount: 1, InstanceType: 'ml.m5.xlarge', VolumeSizeInGB: 5 },
        StoppingCondition: { MaxRuntimeInSeconds: 600 },
        HyperParameters: { num_round: '5' },
        InputDataConfig: [{ ChannelName: 'train', DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: `s3://${BUCKET}/train/` } } }],
        Tags: secmlTags({ experiment }),
      }),
    );
  }

  it('lists endpoints with status, instance type, count, tags and an estimated cost', async () => {
    const backend = new SageMakerBackend(aws.session, sageMakerSettings({ roleArn: ROLE, endpointInstanceType: 'ml.m5.large' }));
    const d = await backend.deploy(result('exp-a', 'drop0', 'exp-a-drop0-20250101-000000-aaaa'));
    const all = await listEndpoints(aws.session);
    assert.equal(all.length, 1);
    const e = all[0];
    assert.equal(e.name, d.endpointName);
    assert.equal(e.status, 'InService');
    assert.equal(e.instanceType, 'ml.m5.large');
    assert.equal(e.instanceCount, 1);
    assert.deepEqual(e.modelNames, [d.modelName]);
    assert.deepEqual(e.tags, { experiment: 'exp-a', variant: 'drop0', runId: 'r-drop0', purpose: 'deployment' });
    assert.equal(e.secml, true);
    assert.equal(e.hourlyCost, 0.115);
    assert.ok(e.creationTime instanceof Date);
  });

  it('deletes all endpoints of one experiment (by tag) and its leftovers, leaving other experiments and untagged resources alone', async () => {
    const backend = new SageMakerBackend(aws.session, sageMakerSettings({ roleArn: ROLE }));
    await backend.deploy(result('exp-a', 'drop0', 'exp-a-drop0-20250101-000000-aaaa'));
    await backend.deploy(result('exp-a', 'last5', 'exp-a-last5-20250101-000000-bbbb'));
    const other = await backend.deploy(result('exp-b', 'drop0', 'exp-b-drop0-20250101-000000-cccc'));
    // A deployment of exp-a interrupted after its model and config (no endpoint), and someone else's model.
    const tags = secmlTags({ experiment: 'exp-a', purpose: 'evaluation' });
    await sm().send(new CreateModelCommand({ ModelName: 'exp-a-orphan', ExecutionRoleArn: ROLE, PrimaryContainer: { Image: IMAGE }, Tags: tags }));
    await sm().send(new CreateEndpointConfigCommand({ EndpointConfigName: 'exp-a-orphan', ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'exp-a-orphan', InstanceType: 'ml.m5.large', InitialInstanceCount: 1 }], Tags: tags }));
    await sm().send(new CreateModelCommand({ ModelName: 'exp-a-not-ours', ExecutionRoleArn: ROLE, PrimaryContainer: { Image: IMAGE } }));

    const deleted = await deleteExperimentEndpoints(aws.session, 'exp-a');
    assert.equal(deleted.filter((d) => d.startsWith('endpoint/')).length, 2);
    assert.ok(deleted.includes('endpoint-config/exp-a-orphan') && deleted.includes('model/exp-a-orphan'));
    assert.deepEqual((await listEndpoints(aws.session)).map((e) => e.name), [other.endpointName]);
    assert.deepEqual(((await sm().send(new ListModelsCommand({}))).Models ?? []).map((m) => m.ModelName).sort(), [other.modelName, 'exp-a-not-ours'].sort());
    assert.deepEqual(((await sm().send(new ListEndpointConfigsCommand({}))).EndpointConfigs ?? []).map((c) => c.EndpointConfigName), [other.configName]);
    assert.deepEqual(await listEndpoints(aws.session, { experiment: 'exp-a' }), []);
  });

  it('deleting one endpoint finds and deletes its config and model; deleting again is a no-op', async () => {
    const backend = new SageMakerBackend(aws.session, sageMakerSettings({ roleArn: ROLE }));
    const d = await backend.deploy(result('exp-a', 'drop0', 'exp-a-drop0-20250101-000000-aaaa'));
    assert.deepEqual(await deleteDeployment(aws.session, { endpointName: d.endpointName }), [`endpoint/${d.endpointName}`, `endpoint-config/${d.configName}`, `model/${d.modelName}`]);
    assert.deepEqual(await deleteDeployment(aws.session, { endpointName: d.endpointName }), []);
  });

  it('an endpoint AWS accepted before CreateEndpoint timed out is deleted by name (else it keeps billing)', async () => {
    const client = sm();
    const send = client.send.bind(client) as (cmd: unknown, opts?: unknown) => Promise<unknown>;
    // The request reaches moto (the endpoint exists), then the answer is lost: a timeout as the SDK reports it.
    (client as unknown as { send: typeof send }).send = async (cmd, opts) => {
      const out = await send(cmd, opts);
      if (cmd instanceof CreateEndpointCommand) throw Object.assign(new Error('Connection timed out after 120000 ms'), { name: 'TimeoutError' });
      return out;
    };
    const name = 'exp-a-full-20250101-000000-tout';
    try {
      await assert.rejects(deployModel(aws.session, { name, imageUri: IMAGE, modelArtifact: `s3://${BUCKET}/out/${name}/output/model.tar.gz`, roleArn: ROLE, instanceType: 'ml.m5.large', instanceCount: 1, tags: secmlTags({ experiment: 'exp-a' }) }));
    } finally {
      (client as unknown as { send: typeof send }).send = send;
    }
    assert.deepEqual(await listEndpoints(aws.session), [], "no endpoint left");
    assert.deepEqual((await sm().send(new ListEndpointConfigsCommand({}))).EndpointConfigs ?? [], []);
    assert.deepEqual((await sm().send(new ListModelsCommand({}))).Models ?? [], []);
  });

  it('lists training jobs newest first across short pages, filtered by name and status', async () => {
    for (const n of ['exp-a-drop0-1', 'exp-a-last5-2', 'exp-b-drop0-3']) {
      await createJob(n);
      await new Promise((r) => setTimeout(r, 20));
    }
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await listTrainingJobsPage(aws.session, { nextToken: token, pageSize: 2 });
      names.push(...page.jobs.map((j) => j.name));
      token = page.nextToken;
      pages++;
    } while (token && pages < 10);
    assert.deepEqual([...names].sort(), ['exp-a-drop0-1', 'exp-a-last5-2', 'exp-b-drop0-3'], 'every job once across pages');
    assert.deepEqual((await listTrainingJobsPage(aws.session, { pageSize: 100 })).jobs.map((j) => j.name), ['exp-b-drop0-3', 'exp-a-last5-2', 'exp-a-drop0-1'], 'newest first');
    assert.deepEqual((await listTrainingJobs(aws.session, { filter: { nameContains: 'drop0' } })).map((j) => j.name), ['exp-b-drop0-3', 'exp-a-drop0-1']);
    assert.deepEqual((await listTrainingJobs(aws.session, { filter: { status: 'Completed' }, limit: 2 })).length, 2);
    assert.deepEqual(await listTrainingJobs(aws.session, { filter: { status: 'Failed' } }), []);
  });

  it('StopTrainingJob and DeleteTrainingJob: clear errors where the endpoint does not implement them, and the right request', async () => {
    await createJob('exp-a-drop0-1');
    await assert.rejects(stopTrainingJob(aws.session, 'exp-a-drop0-1'), (e: any) => e.code === 'AWS' && /did not answer like AWS.*may not implement/.test(e.message));
    await assert.rejects(deleteTrainingJob(aws.session, 'exp-a-drop0-1'), /did not answer like AWS/);
    await assert.rejects(stopTrainingJob(aws.session, 'bad_name'), (e: any) => e.code === 'BAD_ARGUMENT');

    // The request shape, through a client that records what it is sent.
    const sent: { command: string; input: unknown }[] = [];
    class RecordingSession extends AwsSession {
      override client<C>(ctor: new (config: any) => C): C {
        if (ctor !== (SageMakerClient as unknown)) return super.client(ctor);
        return { send: async (cmd: { constructor: { name: string }; input: unknown }) => (sent.push({ command: cmd.constructor.name, input: cmd.input }), {}) } as unknown as C;
      }
    }
    await new SageMakerTrainingStatusSource(new RecordingSession(aws.moto.connection)).stop('exp-a-drop0-1');
    assert.deepEqual(sent, [{ command: StopTrainingJobCommand.name, input: { TrainingJobName: 'exp-a-drop0-1' } }]);
  });

  it('a job that already ended is reported as not running', async () => {
    class EndedSession extends AwsSession {
      override client<C>(ctor: new (config: any) => C): C {
        if (ctor !== (SageMakerClient as unknown)) return super.client(ctor);
        const err = Object.assign(new Error('The request was rejected because the training job is in status Completed.'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } });
        return { send: async () => Promise.reject(err) } as unknown as C;
      }
    }
    await assert.rejects(stopTrainingJob(new EndedSession(aws.moto.connection), 'j1'), (e: any) => e.code === 'CONFLICT' && /not running \(Completed\)/.test(e.message));
  });

  it('re-resolves expired credentials once while following a job, then carries on', async () => {
    await createJob('exp-a-drop0-1');
    let calls = 0;
    let clientsMade = 0;
    class ExpiringSession extends AwsSession {
      override client<C>(ctor: new (config: any) => C): C {
        const real = super.client(ctor) as unknown as { send: (...a: unknown[]) => Promise<unknown> };
        if (ctor !== (SageMakerClient as unknown)) return real as unknown as C;
        clientsMade++;
        return {
          send: async (...a: unknown[]) => {
            if (calls++ === 0) throw Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredTokenException', $metadata: { httpStatusCode: 400 } });
            return real.send(...a);
          },
        } as unknown as C;
      }
    }
    // A provider function (like the profile chain) can be re-resolved; static keys cannot.
    const creds = async () => ({ accessKeyId: 'testing', secretAccessKey: 'testing' });
    const s = new ExpiringSession({ ...aws.moto.connection, credentials: creds });
    const status = await new SageMakerTrainingStatusSource(s).describe('exp-a-drop0-1');
    assert.equal(status.status, 'Completed');
    assert.equal(calls, 2);
    assert.equal(clientsMade, 2, 'a fresh client after the credentials were reset');
  });

  it('scores with a batch transform job (input uploaded, .out read back, files removed) and deletes its model', async () => {
    // moto runs nothing: this status source plays SageMaker, scoring the uploaded input into <input>.out.
    const transformStatus: TransformStatusSource = {
      describe: async (jobName) => {
        const d = await sm().send(new DescribeTransformJobCommand({ TransformJobName: jobName }));
        const input = d.TransformInput!.DataSource!.S3DataSource!.S3Uri!;
        const [, bucket, key] = /^s3:\/\/([^/]+)\/(.*)$/.exec(input)!;
        const text = await (await aws.session.client(S3Client).send(new GetObjectCommand({ Bucket: bucket, Key: key }))).Body!.transformToString();
        const out = text.trimEnd().split('\n').map((l) => (Number(l.split(',')[0]) > 2 ? '0.8' : '0.2')).join('\n') + '\n';
        const outKey = `${d.TransformOutput!.S3OutputPath!.replace(`s3://${bucket}/`, '')}${key.split('/').pop()}.out`;
        await aws.session.client(S3Client).send(new PutObjectCommand({ Bucket: bucket, Key: outKey, Body: out }));
        assert.equal(d.TransformInput?.SplitType, 'Line');
        assert.match(d.ModelName!, /^exp-a-drop0-/);
        return { name: jobName, status: 'Completed' };
      },
    };
    const backend = new SageMakerBackend(aws.session, sageMakerSettings({ bucket: BUCKET, roleArn: ROLE, scoring: 'batch-transform' }), { transformStatus, clock: new FakeClock() });
    const scorer = await backend.createScorer(result('exp-a', 'drop0', 'exp-a-drop0-20250101-000000-aaaa'));
    assert.match(scorer.description, /^batch transform with model exp-a-drop0/);
    const rows = new Float32Array([1, 0, 5, 0, 3, 1]);
    assert.deepEqual([...(await scorer.predict(rows, 3, 2))].map((v) => Math.round(v * 10) / 10), [0.2, 0.8, 0.8]);
    const left = await aws.session.client(S3Client).send(new (await import('@aws-sdk/client-s3')).ListObjectsV2Command({ Bucket: BUCKET }));
    assert.equal(left.KeyCount ?? 0, 0, 'transform input and output removed');
    await scorer.dispose();
    assert.deepEqual((await sm().send(new ListModelsCommand({}))).Models ?? [], []);
  });
});
