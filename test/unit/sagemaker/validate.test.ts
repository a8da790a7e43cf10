import * as assert from 'node:assert/strict';
import {
  checkBucketName,
  checkEndpointInstanceType,
  checkHyperparameters,
  checkKeyPrefix,
  checkResourceName,
  checkRoleArn,
  checkTrainingInstanceType,
  parseS3Uri,
  tagValue,
} from '../../../src/core/backends/sagemaker/validate';
import { deploymentName, nameSlug, readSecmlTags, secmlTags, trainingJobName } from '../../../src/core/backends/sagemaker/names';
import { xgboostImageUri, xgboostRegions } from '../../../src/core/backends/sagemaker/images';
import { endpointCostSummary, estimateHourlyCost, formatHourlyCost } from '../../../src/core/backends/sagemaker/prices';
import { trainingJobConsoleUrl, trainingJobLogsUrl } from '../../../src/core/backends/sagemaker/console-links';

const bad = (code = 'BAD_ARGUMENT', re?: RegExp) => (e: any) => e.code === code && (!re || re.test(e.message));

describe('sagemaker/validate: inputs AWS would reject (moto accepts anything)', () => {
  it('names: <= 63 characters of letters, digits and inner hyphens', () => {
    assert.equal(checkResourceName('endpoint', 'a'), 'a');
    assert.equal(checkResourceName('endpoint', 'secml-drop0--x9'), 'secml-drop0--x9');
    assert.equal(checkResourceName('endpoint', 'x'.repeat(63)).length, 63);
    assert.throws(() => checkResourceName('endpoint', 'x'.repeat(64)), bad('BAD_ARGUMENT', /64 characters.*at most 63/));
    for (const n of ['', '-a', 'a-', 'a_b', 'a.b', 'a b', 'é']) assert.throws(() => checkResourceName('training job', n), bad(), n);
  });

  it('role ARNs', () => {
    assert.equal(checkRoleArn(' arn:aws:iam::123456789012:role/service-role/SageMaker-Exec '), 'arn:aws:iam::123456789012:role/service-role/SageMaker-Exec');
    assert.ok(checkRoleArn('arn:aws-cn:iam::123456789012:role/r1'));
    assert.throws(() => checkRoleArn(''), bad('BAD_ARGUMENT', /No SageMaker execution role/));
    for (const a of ['SageMakerRole', 'arn:aws:iam::12345:role/r', 'arn:aws:iam::123456789012:user/bob', 'arn:aws:s3:::bucket']) assert.throws(() => checkRoleArn(a), bad('BAD_ARGUMENT', /not an IAM role ARN/), a);
  });

  it('instance types come from the SDK lists (training vs endpoint)', () => {
    assert.equal(checkTrainingInstanceType('ml.m5.xlarge'), 'ml.m5.xlarge');
    assert.equal(checkEndpointInstanceType('ml.t2.medium'), 'ml.t2.medium');
    assert.throws(() => checkTrainingInstanceType('m5.xlarge'), bad('BAD_ARGUMENT', /start with "ml\."/));
    assert.throws(() => checkTrainingInstanceType('ml.m5.huge'), bad('BAD_ARGUMENT', /not a SageMaker training instance type/));
    assert.throws(() => checkTrainingInstanceType('ml.t2.medium'), bad(), 't2 cannot train');
  });

  it('buckets, prefixes and S3 URIs', () => {
    assert.equal(checkBucketName('my-bucket.logs'), 'my-bucket.logs');
    for (const b of ['', 'ab', 'My_Bucket', '-abc', 'a..b', '192.168.1.1', 'x'.repeat(64)]) assert.throws(() => checkBucketName(b), bad(), b);
    assert.equal(checkKeyPrefix('/secml/team/'), 'secml/team');
    assert.equal(checkKeyPrefix(''), '');
    assert.throws(() => checkKeyPrefix('a//b'), bad());
    assert.throws(() => checkKeyPrefix('a/../b'), bad());
    assert.deepEqual(parseS3Uri('s3://bkt/a/b.csv'), { bucket: 'bkt', key: 'a/b.csv' });
    assert.deepEqual(parseS3Uri('s3://bkt'), { bucket: 'bkt', key: '' });
    assert.throws(() => parseS3Uri('https://bkt/a'), bad('BAD_ARGUMENT', /not an S3 URI/));
    assert.throws(() => parseS3Uri(`s3://bkt/${'k'.repeat(1025)}`), bad('BAD_ARGUMENT', /1024 bytes/));
  });

  it('hyperparameters: strings, at most 100, bounded lengths', () => {
    assert.deepEqual(checkHyperparameters({ max_depth: '5' }), { max_depth: '5' });
    assert.throws(() => checkHyperparameters({ max_depth: 5 as unknown as string }), bad('BAD_ARGUMENT', /must be a string/));
    assert.throws(() => checkHyperparameters(Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, '1']))), bad('BAD_ARGUMENT', /at most 100/));
    assert.throws(() => checkHyperparameters({ x: 'v'.repeat(2501) }), bad());
    assert.throws(() => checkHyperparameters({ 'a b': '1' }), bad());
  });

  it('tag values keep allowed characters only', () => {
    assert.equal(tagValue('exp #1 (drop)'), 'exp _1 _drop_');
    assert.equal(tagValue('x'.repeat(300)).length, 256);
  });
});

describe('sagemaker/names, images, prices, links', () => {
  const t = new Date(Date.UTC(2025, 0, 2, 3, 4, 5));

  it('training job names fit 63 characters and stay valid for any experiment/variant text', () => {
    assert.equal(trainingJobName('Harvest XGB', 'drop10', t, 'ab12'), 'harvest-xgb-drop10-20250102-030405-ab12');
    const long = trainingJobName('a very long experiment name about attacker sessions '.repeat(3), 'truncated-last-10-events-variant', t, 'ab12');
    assert.ok(long.length <= 63, long);
    assert.match(long, /-20250102-030405-ab12$/);
    assert.match(long, /last-10/, 'keeps part of the variant');
    assert.equal(trainingJobName('___', '***', t, 'ab12'), 'secml-20250102-030405-ab12');
    assert.notEqual(trainingJobName('e', 'v', t), trainingJobName('e', 'v', t), 'unique suffix');
    const d = deploymentName(long, 'abc123');
    assert.ok(d.length <= 63 && d.endsWith('-abc123'));
    assert.equal(nameSlug('  Über Exp_1 '), 'ber-exp-1');
  });

  it('tags round-trip', () => {
    const tags = secmlTags({ experiment: 'exp 1', variant: 'drop0', runId: 'r1', purpose: 'evaluation' });
    assert.deepEqual(tags.map((x) => x.Key), ['secml:experiment', 'secml:variant', 'secml:run', 'secml:purpose']);
    assert.deepEqual(readSecmlTags(tags), { experiment: 'exp 1', variant: 'drop0', runId: 'r1', purpose: 'evaluation' });
  });

  it('XGBoost 1.7-1 image by region', () => {
    assert.equal(xgboostImageUri('us-east-1'), '683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    assert.equal(xgboostImageUri('eu-west-1'), '141502667606.dkr.ecr.eu-west-1.amazonaws.com/sagemaker-xgboost:1.7-1');
    assert.equal(xgboostImageUri('cn-north-1'), '450853457545.dkr.ecr.cn-north-1.amazonaws.com.cn/sagemaker-xgboost:1.7-1');
    for (const r of ['us-east-2', 'us-west-1', 'us-west-2', 'ap-southeast-2', 'eu-central-1', 'sa-east-1', 'ca-central-1', 'me-central-1', 'il-central-1']) assert.ok(xgboostRegions().includes(r), r);
    assert.throws(() => xgboostImageUri('mars-north-1'), bad('BAD_ARGUMENT', /not known for region "mars-north-1"/));
    assert.throws(() => xgboostImageUri(undefined), bad('BAD_ARGUMENT', /No AWS region/));
  });

  it('hourly cost estimates', () => {
    assert.equal(estimateHourlyCost('ml.m5.large', 2), 0.23);
    assert.equal(estimateHourlyCost('ml.unknown.large'), undefined);
    assert.equal(formatHourlyCost(0.115), '~$0.12/h');
    assert.equal(formatHourlyCost(undefined), 'price unknown');
    assert.equal(endpointCostSummary([{ name: 'a', status: 'Failed', hourlyCost: 1 }]), undefined);
    const s = endpointCostSummary([
      { name: 'a', status: 'InService', instanceType: 'ml.m5.large', hourlyCost: 0.115 },
      { name: 'b', status: 'Creating', instanceType: 'ml.m5.xlarge', hourlyCost: 0.23 },
      { name: 'c', status: 'InService', instanceType: 'ml.x9.large' },
    ])!;
    assert.equal(s.text, '$(cloud) 3 endpoints ~$0.35/h+');
    assert.match(s.tooltip, /c: InService, ml\.x9\.large, price unknown/);
    assert.match(s.tooltip, /estimate/);
  });

  it('console and CloudWatch links', () => {
    assert.equal(trainingJobConsoleUrl('us-east-1', 'j-1'), 'https://us-east-1.console.aws.amazon.com/sagemaker/home?region=us-east-1#/jobs/j-1');
    assert.equal(
      trainingJobLogsUrl('eu-west-1', 'j-1'),
      'https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#logsV2:log-groups/log-group/$252Faws$252Fsagemaker$252FTrainingJobs$253FlogStreamNameFilter$253Dj-1',
    );
  });
});
