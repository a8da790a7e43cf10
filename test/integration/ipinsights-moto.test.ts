/**
 * IP Insights end to end against moto_server: the CloudTrail tuples uploaded as entity,ip CSV, a training job on the
 * built-in ipinsights image with validated hyperparameters, an endpoint, scoring with seeded dot products (JSON and
 * JSON lines), and the teardown of endpoint, config and model. moto trains nothing and answers what it is given.
 */
import * as assert from 'node:assert/strict';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeTrainingJobCommand, ListEndpointsCommand, ListModelsCommand, ListTrainingJobsCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { readAddressEvents } from '../../src/core/analytics/cloudtrail-addresses';
import { findUnusualPairs } from '../../src/core/analytics/unusual-pairs';
import { runIpInsights, scoreIpInsights, ipInsightsInvoker } from '../../src/core/backends/sagemaker/ipinsights';
import { sageMakerSettings } from '../../src/core/backends/sagemaker/settings';
import { MOTO_ACCOUNT, MOTO_REGION } from '../helpers/moto';
import { useMotoSession } from '../helpers/moto-session';
import { FakeClock } from '../unit/sagemaker/scripted';
import { sampleTrail } from '../unit/analytics/trail-fixture';

const BUCKET = 'secml-ipinsights';
const ROLE = `arn:aws:iam::${MOTO_ACCOUNT}:role/SageMakerExecution`;

describe('IP Insights on SageMaker against moto_server', function () {
  const aws = useMotoSession(BUCKET);
  const seed = (bodies: { Body: string; ContentType: string }[]) => aws.moto.control('/moto-api/static/sagemaker/endpoint-results', { account_id: MOTO_ACCOUNT, region: MOTO_REGION, results: bodies });

  it("trains on the sample trail's day 1, scores day 2's pairs on an endpoint, and deletes it", async () => {
    const { awsLogs } = await sampleTrail();
    const ev = await readAddressEvents([awsLogs]);
    const day2 = Date.parse('2024-05-14T00:00:00Z');
    const train: { entity: string; ip: string }[] = [];
    for (let i = 0; i < ev.length; i++) if (ev.time[i] < day2) train.push({ entity: ev.principals[ev.principal[i]], ip: ev.addresses[ev.address[i]].ip! });
    const pairs = findUnusualPairs(ev, { from: day2 }).pairs.map((p) => ({ entity: p.principal, ip: p.address }));
    const seeded = pairs.map((p) => (p.ip === '203.0.113.66' ? -2.5 : 3));
    await seed([{ Body: JSON.stringify({ predictions: seeded.map((dot_product) => ({ dot_product })) }), ContentType: 'application/json' }]);
    const settings = sageMakerSettings({ bucket: BUCKET, roleArn: ROLE });
    const r = await runIpInsights(aws.session, settings, train, pairs, { name: 'sample', hyperparameters: { epochs: 3 } }, { clock: new FakeClock() });

    // Upload: entity,ip CSV, no header, one row per training event.
    const csv = await aws.session.client(S3Client).send(new GetObjectCommand({ Bucket: BUCKET, Key: 'secml/ipinsights/sample/train/train.csv' }));
    const lines = (await csv.Body!.transformToString()).trimEnd().split('\n');
    assert.equal(lines.length, train.length);
    assert.match(lines[0], /^arn:aws:[^,]+,\d+\.\d+\.\d+\.\d+$/);
    // The training job: the region's ipinsights image, the seed's hyperparameters over the given ones.
    const d = await aws.session.client(SageMakerClient).send(new DescribeTrainingJobCommand({ TrainingJobName: r.model.jobName }));
    assert.equal(d.AlgorithmSpecification?.TrainingImage, '382416733822.dkr.ecr.us-east-1.amazonaws.com/ipinsights:1');
    assert.equal(d.HyperParameters?.epochs, '3');
    assert.equal(d.HyperParameters?.vector_dim, '128');
    assert.equal(d.HyperParameters?.num_entity_vectors, String(2 * r.training.entities));
    assert.equal(d.InputDataConfig?.[0].DataSource?.S3DataSource?.S3Uri, `s3://${BUCKET}/secml/ipinsights/sample/train/`);
    // Scores in order; the intruder's pair the least usual.
    assert.deepEqual(Array.from(r.dotProducts), seeded);
    assert.equal(pairs[Array.from(r.dotProducts).indexOf(Math.min(...r.dotProducts))].ip, '203.0.113.66');
    // Torn down.
    assert.deepEqual(r.deleted.sort(), [`endpoint-config/${r.endpointName}`, `endpoint/${r.endpointName}`, `model/${r.endpointName}`].sort());
    const endpoints = await aws.session.client(SageMakerClient).send(new ListEndpointsCommand({}));
    assert.equal(endpoints.Endpoints?.length ?? 0, 0);
    const models = await aws.session.client(SageMakerClient).send(new ListModelsCommand({}));
    assert.equal(models.Models?.length ?? 0, 0);
  });

  it('JSON-lines answers, IPv6 left unscored, and bad hyperparameters stop before anything is sent', async () => {
    await seed([{ Body: '{"dot_product": 0.25}\n{"dot_product": -1}\n', ContentType: 'application/jsonlines' }]);
    const values = await scoreIpInsights(ipInsightsInvoker(aws.session, 'any-endpoint'), [
      { entity: 'a', ip: '192.0.2.1' },
      { entity: 'b', ip: '2001:db8::1' },
      { entity: 'c', ip: '198.51.100.2' },
    ]);
    assert.deepEqual(Array.from(values).map((v) => (Number.isNaN(v) ? 'NaN' : v)), [0.25, 'NaN', -1]);
    const settings = sageMakerSettings({ bucket: BUCKET, roleArn: ROLE });
    await assert.rejects(runIpInsights(aws.session, settings, [{ entity: 'a', ip: '192.0.2.1' }], [], { name: 'bad', hyperparameters: { vector_dim: 1 } }), /vector_dim must be a whole number 4 to 4,096/);
    const jobs = await aws.session.client(SageMakerClient).send(new ListTrainingJobsCommand({}));
    assert.equal(jobs.TrainingJobSummaries?.length ?? 0, 0);
  });
});
