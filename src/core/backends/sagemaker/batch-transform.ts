/**
 * Scoring a large file without an endpoint: rows go to S3 as text/csv, a batch transform job (CreateTransformJob,
 * split by line, multi-record batches under 6 MB) scores them, and `<input>.out` holds one probability per line.
 * Cheaper than an endpoint for offline evaluation, as the seed notes. Inputs and outputs are removed afterwards.
 */
import { DeleteObjectsCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import {
  CreateTransformJobCommand,
  DescribeTransformJobCommand,
  SageMakerClient,
  StopTransformJobCommand,
  type CreateTransformJobRequest,
  type Tag,
  type TransformInstanceType,
} from '@aws-sdk/client-sagemaker';
import { Readable } from 'node:stream';
import type { AwsSession } from '../../aws/connection';
import { isCancellation, SecmlError, userMessage } from '../../errors';
import type { Logger } from '../../progress';
import { csvBatches, parsePredictions } from './invoke';
import { pollUntilFinal, type PollOptions } from './polling';
import { checkIntegerIn, checkResourceName, checkTransformInstanceType, parseS3Uri, s3Uri } from './validate';

export interface TransformSpec {
  jobName: string;
  modelName: string;
  /** The CSV object to score (s3://bucket/key). */
  inputS3Uri: string;
  /** Where `<input name>.out` is written (s3://bucket/prefix/). */
  outputS3Uri: string;
  instanceType: string;
  instanceCount: number;
  tags: Tag[];
}

export function buildTransformJobRequest(spec: TransformSpec): CreateTransformJobRequest {
  parseS3Uri(spec.inputS3Uri);
  parseS3Uri(spec.outputS3Uri);
  return {
    TransformJobName: checkResourceName('transform job', spec.jobName),
    ModelName: checkResourceName('model', spec.modelName),
    BatchStrategy: 'MultiRecord',
    MaxPayloadInMB: 6,
    TransformInput: { DataSource: { S3DataSource: { S3DataType: 'S3Prefix', S3Uri: spec.inputS3Uri } }, ContentType: 'text/csv', SplitType: 'Line', CompressionType: 'None' },
    TransformOutput: { S3OutputPath: spec.outputS3Uri, Accept: 'text/csv', AssembleWith: 'Line' },
    TransformResources: { InstanceType: checkTransformInstanceType(spec.instanceType) as TransformInstanceType, InstanceCount: checkIntegerIn('The transform instance count', spec.instanceCount, 1, 10) },
    Tags: spec.tags,
  };
}

export type TransformState = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

export interface TransformStatus {
  name: string;
  status: TransformState;
  failureReason?: string;
}

export interface TransformStatusSource {
  describe(jobName: string, signal?: AbortSignal): Promise<TransformStatus>;
}

export class SageMakerTransformStatusSource implements TransformStatusSource {
  constructor(private readonly session: AwsSession) {}
  async describe(jobName: string, signal?: AbortSignal): Promise<TransformStatus> {
    const d = await this.session.call(`Describe transform job ${jobName}`, () =>
      this.session.client(SageMakerClient).send(new DescribeTransformJobCommand({ TransformJobName: jobName }), { abortSignal: signal }),
    );
    return { name: jobName, status: (d.TransformJobStatus ?? 'InProgress') as TransformState, failureReason: d.FailureReason };
  }
}

export interface BatchTransformOptions extends PollOptions {
  statusSource?: TransformStatusSource;
  logger?: Logger;
}

async function readObject(session: AwsSession, uri: string): Promise<string> {
  const { bucket, key } = parseS3Uri(uri);
  const res = await session.call(`Read ${uri}`, () => session.client(S3Client).send(new GetObjectCommand({ Bucket: bucket, Key: key })));
  return res.Body ? await res.Body.transformToString('utf8') : '';
}

/**
 * Scores rows with a transform job of an existing model. `workPrefix` (s3://bucket/prefix/) receives `input/<job>.csv`
 * and `output/<job>.csv.out`, both deleted afterwards.
 */
export async function scoreWithBatchTransform(
  session: AwsSession,
  job: { jobName: string; modelName: string; workPrefix: string; instanceType: string; instanceCount: number; tags: Tag[] },
  rows: Float32Array,
  n: number,
  F: number,
  opts: BatchTransformOptions = {},
): Promise<Float32Array> {
  const base = job.workPrefix.endsWith('/') ? job.workPrefix : `${job.workPrefix}/`;
  const input = `${base}input/${job.jobName}.csv`;
  const output = `${base}output/`;
  const request = buildTransformJobRequest({ jobName: job.jobName, modelName: job.modelName, inputS3Uri: input, outputS3Uri: output, instanceType: job.instanceType, instanceCount: job.instanceCount, tags: job.tags });
  const inLoc = parseS3Uri(input);
  const outUri = `${output}${job.jobName}.csv.out`;
  const body = Readable.from((function* () {
    for (const b of csvBatches(rows, n, F)) yield b.body;
  })());
  try {
    await session.call(`Upload ${input}`, () => new Upload({ client: session.client(S3Client), params: { Bucket: inLoc.bucket, Key: inLoc.key, Body: body, ContentType: 'text/csv' } }).done());
    await session.call(`Create transform job ${job.jobName}`, () => session.client(SageMakerClient).send(new CreateTransformJobCommand(request)));
    let final: TransformStatus;
    try {
      final = await pollUntilFinal(
        { what: `Transform job ${job.jobName}`, fetch: (s) => (opts.statusSource ?? new SageMakerTransformStatusSource(session)).describe(job.jobName, s), isFinal: (s) => ['Completed', 'Failed', 'Stopped'].includes(s.status), label: (s) => s.status },
        opts,
      );
    } catch (e) {
      if (isCancellation(e)) {
        await session.call(`Stop transform job ${job.jobName}`, () => session.client(SageMakerClient).send(new StopTransformJobCommand({ TransformJobName: job.jobName }))).catch((s) => opts.logger?.warn(userMessage(s)));
      }
      throw e;
    }
    if (final.status !== 'Completed') throw new SecmlError('AWS', `Transform job ${job.jobName} ended ${final.status}${final.failureReason ? `: ${final.failureReason}` : ''}.`);
    return parsePredictions(await readObject(session, outUri), n, `transform job ${job.jobName}`);
  } finally {
    const keys = [inLoc, parseS3Uri(outUri)].filter((l) => l.bucket === inLoc.bucket).map((l) => ({ Key: l.key }));
    await session
      .call(`Delete transform files under ${s3Uri(inLoc.bucket, base.slice(`s3://${inLoc.bucket}/`.length))}`, () => session.client(S3Client).send(new DeleteObjectsCommand({ Bucket: inLoc.bucket, Delete: { Objects: keys } })))
      .catch((e) => opts.logger?.warn(userMessage(e)));
  }
}
