/**
 * The usual lifecycle of a test block against moto_server: one moto for the block, and before each test its state
 * reset, a fresh AwsSession and `bucket` created. Registers the hooks in the calling describe; read `live.moto` and
 * `live.session` inside hooks and tests.
 */
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { AwsSession } from '../../src/core/aws/connection';
import { startMoto, type Moto } from './moto';

export interface MotoSession {
  moto: Moto;
  session: AwsSession;
}

export function useMotoSession(bucket: string): MotoSession {
  const live = {} as MotoSession;
  before(async function () {
    live.moto = await startMoto(this);
  });
  after(async () => live.moto?.stop());
  beforeEach(async () => {
    await live.moto.reset();
    live.session = new AwsSession(live.moto.connection);
    await live.session.client(S3Client).send(new CreateBucketCommand({ Bucket: bucket }));
  });
  afterEach(() => live.session?.destroy());
  return live;
}
