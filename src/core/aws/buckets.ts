/** The S3 buckets the credentials can list (for "Configure AWS"); empty when ListBuckets is not allowed. */
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsSession } from './connection';

export async function listBucketNames(session: AwsSession): Promise<string[]> {
  try {
    const r = await session.call('List S3 buckets', () => session.client(S3Client).send(new ListBucketsCommand({})));
    return (r.Buckets ?? []).map((b) => b.Name ?? '').filter(Boolean).sort();
  } catch {
    return [];
  }
}
