import * as assert from 'node:assert/strict';
import { CreateBucketCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { AwsSession } from '../../src/core/aws/connection';
import { startMoto, type Moto } from '../helpers/moto';

describe('aws/AwsSession against moto_server', function () {
  let moto: Moto;
  before(async function () {
    moto = await startMoto(this);
  });
  after(async () => moto?.stop());

  it('builds clients that reach the endpoint override (S3 path style, STS identity)', async () => {
    const session = new AwsSession(moto.connection);
    await session.call('Create bucket', () => session.client(S3Client).send(new CreateBucketCommand({ Bucket: 'secml-test' })));
    const list = await session.client(S3Client).send(new ListBucketsCommand({}));
    assert.ok(list.Buckets?.some((b) => b.Name === 'secml-test'));
    const who = await session.client(STSClient).send(new GetCallerIdentityCommand({}));
    assert.equal(who.Account, '123456789012');
    assert.equal(session.client(S3Client), session.client(S3Client), 'clients are cached');
  });

  it('turns a missing bucket into a NOT_FOUND SecmlError naming the action', async () => {
    const session = new AwsSession(moto.connection);
    const { HeadObjectCommand } = await import('@aws-sdk/client-s3');
    await assert.rejects(
      session.call('Read s3://nope/x', () => session.client(S3Client).send(new HeadObjectCommand({ Bucket: 'nope', Key: 'x' }))),
      (e: any) => e.code === 'NOT_FOUND' && /Read s3:\/\/nope\/x/.test(e.message),
    );
  });
});
