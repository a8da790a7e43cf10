/**
 * Image-URI overrides against moto_server: the training job (DescribeTrainingJob's TrainingImage), the job record and the
 * model use the override; a malformed override, or a region without a built-in image and no override, is refused before
 * anything reaches S3; with an override such a region works. The same for IP Insights, and through the real CLI
 * (`--ip-insights-image`, SECML_IPINSIGHTS_IMAGE_URI, `experiment run --xgboost-image`).
 */
import * as assert from 'node:assert/strict';
import { promises as fs, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { DescribeModelCommand, DescribeTrainingJobCommand, ListTrainingJobsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { AwsSession } from '../../src/core/aws/connection';
import { readAddressEvents } from '../../src/core/analytics/cloudtrail-addresses';
import { findUnusualPairs } from '../../src/core/analytics/unusual-pairs';
import { JOB_RECORD_FILE, SageMakerBackend } from '../../src/core/backends/sagemaker/backend';
import { deleteDeployment } from '../../src/core/backends/sagemaker/endpoints';
import { xgboostRegions, ipInsightsRegions } from '../../src/core/backends/sagemaker/images';
import { runIpInsights, trainIpInsights, writeTrainingCsv } from '../../src/core/backends/sagemaker/ipinsights';
import { sageMakerSettings, type SageMakerSettings } from '../../src/core/backends/sagemaker/settings';
import type { TrainRequest } from '../../src/core/backends/backend';
import { runCli } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/command';
import { silentLogger } from '../../src/core/progress';
import { generateSampleWorkspace, SPEC_FILE } from '../../src/core/sample/sample-workspace';
import { MOTO_ACCOUNT, MOTO_REGION } from '../helpers/moto';
import { useMotoSession } from '../helpers/moto-session';
import { FakeClock } from '../unit/sagemaker/scripted';
import { sampleTrail } from '../unit/analytics/trail-fixture';
import { writeVariant } from './sagemaker-fixture';

const BUCKET = 'secml-image-uri';
const ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/SageMakerExecution`;
const HP = { max_depth: '3', eta: '0.3', num_round: '10' };
const XGB_MIRROR = '111122223333.dkr.ecr.us-east-1.amazonaws.com/mirror/sagemaker-xgboost:1.7-1';
const IPI_MIRROR = `111122223333.dkr.ecr.us-east-1.amazonaws.com/mirror/ipinsights@sha256:${'0'.repeat(64)}`;
/** A real region neither built-in table lists (moto serves it). */
const UNLISTED = 'mx-central-1';

function capture(): { io: CliIO; out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { out: (t) => out.push(t), err: (t) => err.push(t), logger: silentLogger, isTTY: false, signal: new AbortController().signal } };
}

describe('image-URI overrides against moto_server', function () {
  this.timeout(120_000);
  const aws = useMotoSession(BUCKET);
  let root: string;
  let variant: string;

  before(async () => {
    assert.ok(!xgboostRegions().includes(UNLISTED) && !ipInsightsRegions().includes(UNLISTED), `${UNLISTED} is now in a built-in table: pick another unlisted region`);
    root = mkdtempSync(path.join(os.tmpdir(), 'secml-image-uri-'));
    variant = await writeVariant(path.join(root, 'data'), 'drop0', 3);
  });
  after(async () => {
    if (root) await fs.rm(root, { recursive: true, force: true });
  });

  const settings = (over: Partial<SageMakerSettings> = {}) => sageMakerSettings({ bucket: BUCKET, roleArn: ROLE, ...over });
  const request = (runId: string): TrainRequest => ({ experiment: 'harvest', runId, variant: 'drop0', datasetDir: variant, hyperparameters: HP, runDir: path.join(root, 'runs', runId) });
  const sm = (session = aws.session) => session.client(SageMakerClient);
  const objects = async () => (await aws.session.client(S3Client).send(new ListObjectsV2Command({ Bucket: BUCKET }))).KeyCount ?? 0;
  const jobs = async (session = aws.session) => (await sm(session).send(new ListTrainingJobsCommand({}))).TrainingJobSummaries?.length ?? 0;
  /** A session in another region against the same moto (S3 buckets are global there too). */
  async function inRegion<T>(region: string, fn: (session: AwsSession) => Promise<T>): Promise<T> {
    const session = new AwsSession({ ...aws.moto.connection, region });
    try {
      return await fn(session);
    } finally {
      session.destroy();
    }
  }

  it('XGBoost: the training job, its record and the deployed model use the override', async () => {
    const backend = new SageMakerBackend(aws.session, settings({ imageUri: XGB_MIRROR }));
    const result = await backend.train(request('r-mirror'));
    const d = await sm().send(new DescribeTrainingJobCommand({ TrainingJobName: result.jobName }));
    assert.equal(d.AlgorithmSpecification?.TrainingImage, XGB_MIRROR);
    assert.equal(result.imageUri, XGB_MIRROR);
    assert.equal(JSON.parse(await fs.readFile(path.join(root, 'runs', 'r-mirror', JOB_RECORD_FILE), 'utf8')).imageUri, XGB_MIRROR);
    const deployment = await backend.deploy(result, { purpose: 'evaluation' });
    try {
      const model = await sm().send(new DescribeModelCommand({ ModelName: deployment.modelName }));
      assert.equal(model.PrimaryContainer?.Image, XGB_MIRROR);
    } finally {
      await deleteDeployment(aws.session, deployment);
    }
  });

  it('XGBoost: a malformed override is refused before any upload or job, naming the setting', async () => {
    const cases: [string, RegExp][] = [
      ['docker.io/library/xgboost:1.7', /is not in Amazon ECR/],
      ['111122223333.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1', /is in region eu-west-1, but SageMaker runs in us-east-1/],
      ['111122223333.dkr.ecr.us-east-1.amazonaws.com/Sagemaker-XGBoost:1.7-1', /as its repository/],
    ];
    for (const [uri, re] of cases) {
      let asked = false;
      const backend = new SageMakerBackend(aws.session, settings({ imageUri: uri }), { confirmUpload: async () => (asked = true) });
      await assert.rejects(backend.train(request('r-bad')), (e: any) => e.code === 'BAD_ARGUMENT' && re.test(e.message) && e.message.includes('secml.sagemaker.xgboostImageUri / --xgboost-image'), uri);
      assert.equal(asked, false, `${uri}: no upload was even proposed`);
    }
    assert.equal(await objects(), 0, 'the bucket stays empty');
    assert.equal(await jobs(), 0);
  });

  it('XGBoost: a region without a built-in image is refused with how to set an override; with one it trains there', async () => {
    await inRegion(UNLISTED, async (session) => {
      await assert.rejects(
        new SageMakerBackend(session, settings()).train(request('r-unlisted')),
        (e: any) => e.code === 'BAD_ARGUMENT' && /not known for region "mx-central-1"/.test(e.message) && /secml\.sagemaker\.xgboostImageUri \(CLI: --xgboost-image or SECML_XGBOOST_IMAGE_URI/.test(e.message),
      );
      assert.equal(await objects(), 0, 'nothing uploaded');
      const image = '111122223333.dkr.ecr.mx-central-1.amazonaws.com/sagemaker-xgboost:1.7-1';
      const result = await new SageMakerBackend(session, settings({ imageUri: image })).train(request('r-unlisted'));
      const d = await sm(session).send(new DescribeTrainingJobCommand({ TrainingJobName: result.jobName }));
      assert.equal(d.AlgorithmSpecification?.TrainingImage, image);
      assert.match(d.TrainingJobArn ?? '', /^arn:aws:sagemaker:mx-central-1:/);
      assert.match(result.consoleUrl ?? '', /mx-central-1/);
    });
  });

  it('IP Insights: trains on the override, deploys the model with it, and deletes the endpoint', async () => {
    const train = [
      { entity: 'arn:aws:iam::123456789012:user/alice', ip: '192.0.2.10' },
      { entity: 'arn:aws:iam::123456789012:user/bob', ip: '198.51.100.7' },
    ];
    const score = [{ entity: 'arn:aws:iam::123456789012:user/alice', ip: '203.0.113.66' }];
    await aws.moto.control('/moto-api/static/sagemaker/endpoint-results', { account_id: MOTO_ACCOUNT, region: MOTO_REGION, results: [{ Body: '{"predictions": [{"dot_product": -1.5}]}', ContentType: 'application/json' }] });
    const r = await runIpInsights(aws.session, settings({ ipInsightsImageUri: IPI_MIRROR }), train, score, { name: 'mirror', keepEndpoint: true }, { clock: new FakeClock() });
    try {
      assert.equal(r.model.imageUri, IPI_MIRROR);
      assert.equal((await sm().send(new DescribeTrainingJobCommand({ TrainingJobName: r.model.jobName }))).AlgorithmSpecification?.TrainingImage, IPI_MIRROR);
      assert.equal((await sm().send(new DescribeModelCommand({ ModelName: r.endpointName }))).PrimaryContainer?.Image, IPI_MIRROR);
      assert.deepEqual(Array.from(r.dotProducts), [-1.5]);
    } finally {
      await deleteDeployment(aws.session, { endpointName: r.endpointName });
    }
  });

  it('IP Insights: malformed or missing images are refused before any upload; an override works in an unlisted region', async () => {
    const pair = [{ entity: 'arn:aws:iam::123456789012:user/alice', ip: '192.0.2.10' }];
    await assert.rejects(runIpInsights(aws.session, settings({ ipInsightsImageUri: 'ipinsights:1' }), pair, pair, { name: 'bad' }), (e: any) => e.code === 'BAD_ARGUMENT' && /\(secml\.sagemaker\.ipInsightsImageUri \/ --ip-insights-image \/ SECML_IPINSIGHTS_IMAGE_URI\) has no registry host/.test(e.message));
    await inRegion(UNLISTED, async (session) => {
      await assert.rejects(runIpInsights(session, settings(), pair, pair, { name: 'unlisted' }), (e: any) => e.code === 'BAD_ARGUMENT' && /IP Insights image is not known for region "mx-central-1".*--ip-insights-image/.test(e.message));
      assert.equal(await objects(), 0, 'nothing uploaded');
      assert.equal(await jobs(session), 0);
      const image = '111122223333.dkr.ecr.mx-central-1.amazonaws.com/ipinsights:1';
      const csv = await writeTrainingCsv(pair);
      try {
        const model = await trainIpInsights(session, settings({ ipInsightsImageUri: image }), csv, { name: 'unlisted' }, { clock: new FakeClock() });
        assert.equal(model.imageUri, image);
        assert.equal((await sm(session).send(new DescribeTrainingJobCommand({ TrainingJobName: model.jobName }))).AlgorithmSpecification?.TrainingImage, image);
      } finally {
        await fs.rm(path.dirname(csv.file), { recursive: true, force: true });
      }
    });
  });

  describe('through the CLI (configured by environment, as a user would)', () => {
    const saved: Record<string, string | undefined> = {};
    const setEnv = (vars: Record<string, string | undefined>) => {
      for (const [k, v] of Object.entries(vars)) {
        if (!(k in saved)) saved[k] = process.env[k];
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    };
    beforeEach(() =>
      setEnv({
        AWS_ENDPOINT_URL: aws.moto.endpoint,
        AWS_REGION: MOTO_REGION,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_MAX_ATTEMPTS: '1',
        AWS_PROFILE: '',
        SECML_S3_BUCKET: BUCKET,
        SECML_SAGEMAKER_ROLE_ARN: ROLE,
        SECML_XGBOOST_IMAGE_URI: undefined,
        SECML_IPINSIGHTS_IMAGE_URI: undefined,
      }),
    );
    afterEach(() => {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
        delete saved[k];
      }
    });

    async function ipinsightsCli(extra: string[]): Promise<string> {
      const { awsLogs } = await sampleTrail();
      const from = '2024-05-14T00:00:00Z';
      const pairs = findUnusualPairs(await readAddressEvents([awsLogs]), { from: Date.parse(from) }).pairs;
      await aws.moto.control('/moto-api/static/sagemaker/endpoint-results', {
        account_id: MOTO_ACCOUNT,
        region: MOTO_REGION,
        results: [{ Body: JSON.stringify({ predictions: pairs.map(() => ({ dot_product: 1 })) }), ContentType: 'application/json' }],
      });
      const t = capture();
      assert.equal(await runCli(['cloudtrail', 'ipinsights', awsLogs, '--from', from, '--json', ...extra], t.io), 0, t.err.join('\n'));
      const job = JSON.parse(t.out.join('')).trainingJob as string;
      return (await sm().send(new DescribeTrainingJobCommand({ TrainingJobName: job }))).AlgorithmSpecification!.TrainingImage!;
    }

    it('cloudtrail ipinsights: SECML_IPINSIGHTS_IMAGE_URI, and --ip-insights-image over it', async () => {
      setEnv({ SECML_IPINSIGHTS_IMAGE_URI: IPI_MIRROR });
      assert.equal(await ipinsightsCli([]), IPI_MIRROR);
      const flag = '111122223333.dkr.ecr.us-east-1.amazonaws.com/other/ipinsights:1';
      assert.equal(await ipinsightsCli(['--ip-insights-image', flag]), flag);
    });

    it('experiment run: a malformed --xgboost-image, SECML_XGBOOST_IMAGE_URI or spec imageUri stops before anything is uploaded', async () => {
      const dir = path.join(root, 'workspace');
      await generateSampleWorkspace(dir, { scale: 0.05 });
      const run = async (extra: string[]) => {
        const t = capture();
        const code = await runCli(['experiment', 'run', path.join(dir, SPEC_FILE), '--backend', 'sagemaker', '--variant', 'full', '--json', ...extra], t.io);
        return { code, runs: JSON.parse(t.out.join('')).runs as { status: string; error?: { message: string } }[] };
      };
      const flagged = await run(['--xgboost-image', 'docker.io/library/xgboost:1.7']);
      assert.equal(flagged.code, 1);
      assert.deepEqual(flagged.runs.map((r) => r.status), ['failed']);
      assert.match(flagged.runs[0].error!.message, /The image URI "docker\.io\/library\/xgboost:1\.7" \(secml\.sagemaker\.xgboostImageUri \/ --xgboost-image.*\) is not in Amazon ECR/);
      setEnv({ SECML_XGBOOST_IMAGE_URI: '111122223333.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1' });
      const fromEnv = await run([]);
      assert.equal(fromEnv.code, 1);
      assert.match(fromEnv.runs[0].error!.message, /is in region eu-west-1, but SageMaker runs in us-east-1/);
      // A spec's malformed image stops the launch at load time, with the spec's file and line.
      const sample = JSON.parse(await fs.readFile(path.join(dir, SPEC_FILE), 'utf8'));
      const badSpec = path.join(dir, 'bad-image.secml.json');
      await fs.writeFile(badSpec, JSON.stringify({ ...sample, sagemaker: { imageUri: 'xgboost:1.7-1' } }, null, 2));
      const t = capture();
      assert.equal(await runCli(['experiment', 'run', badSpec, '--backend', 'sagemaker'], t.io), 1);
      assert.match(t.err.join('\n'), /bad-image\.secml\.json:\d+: sagemaker\.imageUri: "xgboost:1\.7-1" has no registry host; expected/);
      assert.equal(await objects(), 0, 'the bucket stays empty');
      assert.equal(await jobs(), 0);
    });
  });
});
