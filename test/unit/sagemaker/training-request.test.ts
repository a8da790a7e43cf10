import * as assert from 'node:assert/strict';
import { promises as fs, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildTrainingJobRequest, sageMakerXgboostHyperparameters, volumeSizeFor, type TrainingJobSpec } from '../../../src/core/backends/sagemaker/training-request';
import { channelS3Uri, describePlannedUploads, keySegment, plannedUploads } from '../../../src/core/backends/sagemaker/upload';
import { buildTransformJobRequest } from '../../../src/core/backends/sagemaker/batch-transform';
import { checkTrainingSettings, sageMakerSettings } from '../../../src/core/backends/sagemaker/settings';

const spec = (over: Partial<TrainingJobSpec> = {}): TrainingJobSpec => ({
  jobName: 'exp-drop0-20250101-000000-ab12',
  imageUri: '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1',
  roleArn: 'arn:aws:iam::123456789012:role/SageMakerRole',
  hyperparameters: { max_depth: '5', num_round: '50' },
  trainS3Uri: 's3://bkt/secml/exp/drop0/train/',
  validationS3Uri: 's3://bkt/secml/exp/drop0/validation/',
  outputS3Uri: 's3://bkt/secml/exp/drop0/output/',
  instanceType: 'ml.m5.xlarge',
  instanceCount: 1,
  volumeSizeGB: 10,
  maxRuntimeSeconds: 3600,
  tags: [{ Key: 'secml:experiment', Value: 'exp' }],
  ...over,
});

describe('sagemaker/training-request: the CreateTrainingJob request', () => {
  it('has the image, string hyperparameters, train/validation text/csv channels, output, resources, limit and tags', () => {
    const r = buildTrainingJobRequest(spec());
    assert.equal(r.AlgorithmSpecification?.TrainingImage, spec().imageUri);
    assert.equal(r.AlgorithmSpecification?.TrainingInputMode, 'File');
    assert.deepEqual(r.HyperParameters, { max_depth: '5', num_round: '50' });
    assert.deepEqual(r.InputDataConfig?.map((c) => [c.ChannelName, c.ContentType, c.DataSource?.S3DataSource?.S3Uri, c.DataSource?.S3DataSource?.S3DataDistributionType]), [
      ['train', 'text/csv', 's3://bkt/secml/exp/drop0/train/', 'FullyReplicated'],
      ['validation', 'text/csv', 's3://bkt/secml/exp/drop0/validation/', 'FullyReplicated'],
    ]);
    assert.equal(r.OutputDataConfig?.S3OutputPath, 's3://bkt/secml/exp/drop0/output/');
    assert.deepEqual(r.ResourceConfig, { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 10 });
    assert.deepEqual(r.StoppingCondition, { MaxRuntimeInSeconds: 3600 });
    assert.deepEqual(r.Tags, [{ Key: 'secml:experiment', Value: 'exp' }]);
  });

  it('shards the train channel by S3 key with several instances (validation stays replicated)', () => {
    const r = buildTrainingJobRequest(spec({ instanceCount: 4 }));
    assert.equal(r.InputDataConfig?.[0].DataSource?.S3DataSource?.S3DataDistributionType, 'ShardedByS3Key');
    assert.equal(r.InputDataConfig?.[1].DataSource?.S3DataSource?.S3DataDistributionType, 'FullyReplicated');
  });

  it('rejects what AWS would reject', () => {
    const bad = (over: Partial<TrainingJobSpec>, re: RegExp) => assert.throws(() => buildTrainingJobRequest(spec(over)), (e: any) => e.code === 'BAD_ARGUMENT' && re.test(e.message));
    bad({ jobName: 'x'.repeat(64) }, /at most 63/);
    bad({ jobName: 'bad_name' }, /letters, digits and hyphens/);
    bad({ roleArn: 'MyRole' }, /not an IAM role ARN/);
    bad({ instanceType: 'ml.m5.gigantic' }, /not a SageMaker training instance type/);
    bad({ instanceCount: 0 }, /instance count/);
    bad({ instanceCount: 1.5 }, /whole number/);
    bad({ volumeSizeGB: 0 }, /volume size/);
    bad({ maxRuntimeSeconds: 40 * 24 * 3600 }, /maximum training runtime/);
    bad({ trainS3Uri: 'bkt/train/' }, /not an S3 URI/);
    bad({ outputS3Uri: 's3://Bad_Bucket/out/' }, /not a valid S3 bucket name/);
    bad({ hyperparameters: { eta: 0.2 as unknown as string } }, /must be a string/);
    bad({ tags: Array.from({ length: 51 }, (_, i) => ({ Key: `k${i}`, Value: 'v' })) }, /50 tags/);
  });

  it('hyperparameters: validated like the local trainer, seed defaults filled in, all strings, AUC as eval metric', () => {
    const hp = sageMakerXgboostHyperparameters({ num_round: '80', eta: '0.3' });
    assert.equal(hp.num_round, '80');
    assert.equal(hp.eta, '0.3');
    assert.equal(hp.max_depth, '5', 'seed default');
    assert.equal(hp.objective, 'binary:logistic');
    assert.equal(hp.eval_metric, 'auc');
    assert.ok(Object.values(hp).every((v) => typeof v === 'string'));
    assert.equal(sageMakerXgboostHyperparameters({ eval_metric: 'logloss' }).eval_metric, 'logloss');
    assert.throws(() => sageMakerXgboostHyperparameters({ eta: '7' }), (e: any) => e.code === 'BAD_ARGUMENT' && /eta/.test(e.message));
    assert.throws(() => sageMakerXgboostHyperparameters({ objective: 'reg:squarederror' }), /binary:logistic/);
    assert.throws(() => sageMakerXgboostHyperparameters({ made_up: '1' }), /unknown parameter/);
  });

  it('sizes the volume for the data', () => {
    assert.equal(volumeSizeFor(1000, 10), 10);
    assert.equal(volumeSizeFor(20 * 1024 ** 3, 10), 41);
  });

  it('settings: defaults, then validation names the setting to fix', () => {
    const s = sageMakerSettings({ bucket: 'bkt', roleArn: '', instanceType: '' });
    assert.equal(s.instanceType, 'ml.m5.xlarge');
    assert.throws(() => checkTrainingSettings(s), /secml\.sagemaker\.roleArn/);
    assert.throws(() => checkTrainingSettings(sageMakerSettings({ roleArn: 'arn:aws:iam::123456789012:role/r' })), /No S3 bucket is set \(secml\.aws\.bucket/);
  });

  it('batch transform request: csv split by line, multi-record under 6 MB', () => {
    const r = buildTransformJobRequest({ jobName: 't1', modelName: 'm1', inputS3Uri: 's3://bkt/in/x.csv', outputS3Uri: 's3://bkt/out/', instanceType: 'ml.m5.large', instanceCount: 1, tags: [] });
    assert.equal(r.TransformInput?.SplitType, 'Line');
    assert.equal(r.TransformInput?.ContentType, 'text/csv');
    assert.equal(r.BatchStrategy, 'MultiRecord');
    assert.equal(r.MaxPayloadInMB, 6);
    assert.equal(r.TransformOutput?.AssembleWith, 'Line');
    assert.throws(() => buildTransformJobRequest({ jobName: 't1', modelName: 'm1', inputS3Uri: 's3://bkt/in/x.csv', outputS3Uri: 's3://bkt/out/', instanceType: 'ml.nope', instanceCount: 1, tags: [] }), /batch transform instance type/);
  });
});

describe('sagemaker/upload: what leaves the machine', () => {
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'secml-upload-'));
    const lines = Array.from({ length: 101 }, (_, i) => `${i % 2},${i},${i * 2}`).join('\n') + '\n';
    await fs.writeFile(path.join(dir, 'train.csv'), lines);
    await fs.writeFile(path.join(dir, 'validation.csv'), '1,2,3\n0,4,5\n');
  });
  after(async () => fs.rm(dir, { recursive: true, force: true }));

  it('plans files, sizes and destinations under <prefix>/<experiment>/<variant>/<channel>/', async () => {
    const plan = await plannedUploads([{ experiment: 'My Exp', variant: 'drop0', datasetDir: dir }], { bucket: 'bkt', prefix: 'secml' });
    assert.deepEqual(plan.map((u) => [path.basename(u.file), u.destination, u.bytes]), [
      ['train.csv', 's3://bkt/secml/My-Exp/drop0/train/train.csv', (await fs.stat(path.join(dir, 'train.csv'))).size],
      ['validation.csv', 's3://bkt/secml/My-Exp/drop0/validation/validation.csv', 12],
    ]);
    assert.equal(channelS3Uri({ bucket: 'bkt', prefix: 'secml' }, 'My Exp', 'drop0', 'train'), 's3://bkt/secml/My-Exp/drop0/train/');
    assert.equal(keySegment('../etc'), 'etc');
  });

  it('splits the train CSV at line boundaries into one part per instance', async () => {
    const plan = await plannedUploads([{ experiment: 'e', variant: 'v', datasetDir: dir }], { bucket: 'bkt', prefix: '', instanceCount: 3 });
    const parts = plan.filter((u) => u.channel === 'train');
    assert.deepEqual(parts.map((u) => u.key), ['e/v/train/train-part-0001.csv', 'e/v/train/train-part-0002.csv', 'e/v/train/train-part-0003.csv']);
    const text = await fs.readFile(path.join(dir, 'train.csv'));
    let joined = '';
    for (const u of parts) {
      const piece = text.subarray(u.start, u.end).toString();
      assert.ok(piece.endsWith('\n'), 'whole lines');
      assert.ok(u.bytes > text.length / 5);
      joined += piece;
    }
    assert.equal(joined, text.toString());
    const described = describePlannedUploads(plan);
    assert.match(described.lines[0], /train\.csv \[bytes 0-\d+\] \(1 KB\) -> s3:\/\/bkt\/e\/v\/train\/train-part-0001\.csv$/);
    assert.match(described.lines[3], /validation\.csv \(1 KB\) -> s3:\/\/bkt\/e\/v\/validation\/validation\.csv$/);
    assert.match(described.total, /^4 file\(s\), \d+ KB$/);
  });

  it('refuses a header row, an empty file, missing files, and more parts than lines', async () => {
    const d2 = mkdtempSync(path.join(os.tmpdir(), 'secml-upload-'));
    try {
      await fs.writeFile(path.join(d2, 'train.csv'), 'label,a,b\n1,2,3\n');
      await fs.writeFile(path.join(d2, 'validation.csv'), '');
      await assert.rejects(plannedUploads([{ experiment: 'e', variant: 'v', datasetDir: d2 }], { bucket: 'bkt', prefix: 'p' }), (e: any) => e.line === 1 && /train\.csv/.test(e.file) && /label first and no header/.test(e.message));
      await fs.writeFile(path.join(d2, 'train.csv'), '1,2,3\n');
      await assert.rejects(plannedUploads([{ experiment: 'e', variant: 'v', datasetDir: d2 }], { bucket: 'bkt', prefix: 'p' }), /validation\.csv is empty/);
      await assert.rejects(plannedUploads([{ experiment: 'e', variant: 'v', datasetDir: d2 }], { bucket: 'bkt', prefix: 'p', instanceCount: 2 }), /too few lines for 2 training instances/);
      await fs.rm(path.join(d2, 'validation.csv'));
      await assert.rejects(plannedUploads([{ experiment: 'e', variant: 'v', datasetDir: d2 }], { bucket: 'bkt', prefix: 'p' }), (e: any) => e.code === 'NOT_FOUND');
    } finally {
      await fs.rm(d2, { recursive: true, force: true });
    }
  });
});
