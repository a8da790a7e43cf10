/**
 * Unusual principal/IP pairs on SageMaker, as the seed's IP Insights notebook did it: the <principal, IPv4> tuples of
 * CloudTrail go to S3 as `entity,ip` CSV (through the same upload code as datasets: consent plan, SHA-256 skip,
 * multipart), a training job runs on the region's built-in `ipinsights` image (or the `ipInsightsImageUri` override),
 * the model is deployed to a temporary endpoint, the tuples to judge (a day's, or GuardDuty findings') are scored in
 * batches, and the endpoint, its config and model are deleted again, also when scoring fails or is cancelled (unless
 * asked to keep it).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import { InvokeEndpointCommand, SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import type { AwsSession } from '../../aws/connection';
import { SecmlError } from '../../errors';
import { throwIfAborted, type WorkOptions } from '../../progress';
import { deleteDeployment, deployModel, type Deployment, type EndpointStatusSource } from './endpoints';
import { ipInsightsImageUri } from './images';
import { ipInsightsCsvLine, ipInsightsHyperparameters, isIpv4, parseDotProducts } from './ipinsights-request';
import { MAX_PAYLOAD_BYTES } from './invoke';
import { deploymentName, secmlTags, trainingJobName } from './names';
import { mapLimit } from './parallel';
import type { Clock } from './polling';
import { checkScoringSettings, checkTrainingSettings, type SageMakerSettings } from './settings';
import { buildTrainingJobRequest, volumeSizeFor } from './training-request';
import { SageMakerTrainingStatusSource, waitForTrainingJob, type TrainingStatusSource } from './training-status';
import { channelS3Uri, uploadPlanned, variantKeyPrefix, type PlannedUpload } from './upload';
import { checkBucketName, s3Uri } from './validate';

export interface EntityIp {
  entity: string;
  ip: string;
}

export const IPINSIGHTS_EXPERIMENT = 'ipinsights';

export interface IpInsightsDeps {
  trainingStatus?: TrainingStatusSource;
  endpointStatus?: EndpointStatusSource;
  clock?: Clock;
  now?: () => Date;
  /** Shown the exact uploads before anything leaves the machine; false declines. */
  confirmUpload?: (plan: PlannedUpload[]) => Promise<boolean>;
}

/** Writes the training CSV (IPv4 tuples only) to a temporary file; returns it with the counts. */
export async function writeTrainingCsv(tuples: Iterable<EntityIp>, dir = os.tmpdir()): Promise<{ file: string; rows: number; entities: number; skippedIpv6: number; bytes: number }> {
  const parts: string[] = [];
  const entities = new Set<string>();
  let rows = 0;
  let skippedIpv6 = 0;
  for (const t of tuples) {
    if (!isIpv4(t.ip)) {
      skippedIpv6++;
      continue;
    }
    parts.push(ipInsightsCsvLine(t.entity, t.ip));
    entities.add(t.entity);
    rows++;
  }
  if (rows === 0) throw new SecmlError('NO_SESSIONS', 'No <principal, IPv4> tuples to train IP Insights on (IP Insights reads IPv4 addresses only).');
  const text = parts.join('');
  // The folder is made only once there is something to write, and removed again when the write fails (disk full).
  const folder = await fs.mkdtemp(path.join(dir, 'secml-ipinsights-'));
  const file = path.join(folder, 'train.csv');
  let written = false;
  try {
    await fs.writeFile(file, text);
    written = true;
  } finally {
    if (!written) await fs.rm(folder, { recursive: true, force: true });
  }
  return { file, rows, entities: entities.size, skippedIpv6, bytes: Buffer.byteLength(text) };
}

/** The upload of a training CSV to `s3://bucket/prefix/ipinsights/<name>/train/train.csv`. */
export function plannedTrainingUpload(settings: SageMakerSettings, name: string, file: string, bytes: number): PlannedUpload {
  const bucket = checkBucketName(settings.bucket);
  const key = `${variantKeyPrefix(settings, IPINSIGHTS_EXPERIMENT, name)}/train/train.csv`;
  return { experiment: IPINSIGHTS_EXPERIMENT, variant: name, channel: 'train', file, start: 0, end: bytes, bytes, bucket, key, destination: s3Uri(bucket, key) };
}

export interface TrainedIpInsights {
  jobName: string;
  modelArtifact: string;
  imageUri: string;
  hyperparameters: Record<string, string>;
}

/** Uploads the CSV, runs the training job and waits for it. Cancelling asks SageMaker to stop the job. */
export async function trainIpInsights(
  session: AwsSession,
  settings: SageMakerSettings,
  csv: { file: string; bytes: number; entities: number },
  options: { name: string; hyperparameters?: Record<string, string | number> } & WorkOptions,
  deps: IpInsightsDeps = {},
): Promise<TrainedIpInsights> {
  checkTrainingSettings(settings);
  const imageUri = ipInsightsImageUri(await session.region(), settings.ipInsightsImageUri);
  const hyperparameters = ipInsightsHyperparameters(options.hyperparameters ?? {}, csv.entities);
  const upload = plannedTrainingUpload(settings, options.name, csv.file, csv.bytes);
  if (deps.confirmUpload && !(await deps.confirmUpload([upload]))) throw new SecmlError('CANCELLED', 'Upload declined: nothing was sent to S3.');
  await uploadPlanned(session, [upload], options);
  const jobName = trainingJobName(IPINSIGHTS_EXPERIMENT, options.name, deps.now?.() ?? new Date());
  const request = buildTrainingJobRequest({
    jobName,
    imageUri,
    roleArn: settings.roleArn,
    hyperparameters,
    trainS3Uri: channelS3Uri(settings, IPINSIGHTS_EXPERIMENT, options.name, 'train'),
    outputS3Uri: channelS3Uri(settings, IPINSIGHTS_EXPERIMENT, options.name, 'output'),
    instanceType: settings.instanceType,
    instanceCount: 1,
    volumeSizeGB: volumeSizeFor(csv.bytes, settings.volumeSizeGB),
    maxRuntimeSeconds: settings.maxRuntimeSeconds,
    tags: secmlTags({ experiment: IPINSIGHTS_EXPERIMENT, variant: options.name }),
  });
  await session.call(`Create training job ${jobName}`, () => session.client(SageMakerClient).send(new CreateTrainingJobCommand(request)));
  options.logger?.info(`Started IP Insights training job ${jobName}`);
  const status = deps.trainingStatus ?? new SageMakerTrainingStatusSource(session);
  let final;
  try {
    final = await waitForTrainingJob(status, jobName, { clock: deps.clock, signal: options.signal, logger: options.logger, timeoutMs: (settings.maxRuntimeSeconds + 3600) * 1000, onStatus: (s) => options.onProgress?.({ message: `Training job ${jobName}: ${s.status}` }) });
  } catch (e) {
    if ((e as SecmlError).code === 'CANCELLED') await status.stop(jobName).catch(() => options.logger?.error(`Could not stop training job ${jobName}: stop it with secml jobs stop ${jobName}`));
    throw e;
  }
  if (final.status !== 'Completed') throw new SecmlError('AWS', `IP Insights training job ${jobName} ended ${final.status}${final.failureReason ? `: ${final.failureReason}` : ''}.`, { details: { jobName } });
  if (!final.modelArtifact) throw new SecmlError('AWS', `Training job ${jobName} completed without a model artifact.`);
  return { jobName, modelArtifact: final.modelArtifact, imageUri, hyperparameters };
}

/** Model + endpoint config + endpoint for a trained IP Insights model, InService when this resolves. */
export function deployIpInsights(session: AwsSession, settings: SageMakerSettings, model: Pick<TrainedIpInsights, 'jobName' | 'modelArtifact' | 'imageUri'>, work: WorkOptions = {}, deps: IpInsightsDeps = {}): Promise<Deployment> {
  checkScoringSettings({ ...settings, scoring: 'endpoint' });
  return deployModel(
    session,
    { name: deploymentName(model.jobName), imageUri: model.imageUri, modelArtifact: model.modelArtifact, roleArn: settings.roleArn, instanceType: settings.endpointInstanceType, instanceCount: 1, tags: secmlTags({ experiment: IPINSIGHTS_EXPERIMENT, purpose: 'evaluation' }) },
    { statusSource: deps.endpointStatus, clock: deps.clock, signal: work.signal, logger: work.logger, onStatus: (s) => work.onProgress?.({ message: `Endpoint ${s.name}: ${s.status}` }) },
  );
}

/** Sends `entity,ip` CSV, asks for JSON; resolves with the answer's text. */
export type IpInsightsInvoke = (body: string, signal?: AbortSignal) => Promise<string>;

export function ipInsightsInvoker(session: AwsSession, endpointName: string): IpInsightsInvoke {
  return async (body, signal) => {
    const res = await session.call(`Invoke endpoint ${endpointName}`, () =>
      session.client(SageMakerRuntimeClient).send(new InvokeEndpointCommand({ EndpointName: endpointName, ContentType: 'text/csv', Accept: 'application/json', Body: Buffer.from(body) }), { abortSignal: signal }),
    );
    return res.Body ? Buffer.from(res.Body).toString('utf8') : '';
  };
}

/** Dot products for the tuples, in order (NaN for non-IPv4 addresses, which IP Insights cannot score). */
export async function scoreIpInsights(invoke: IpInsightsInvoke, tuples: readonly EntityIp[], work: WorkOptions & { maxBatchBytes?: number; concurrency?: number } = {}): Promise<Float64Array> {
  const out = new Float64Array(tuples.length).fill(NaN);
  const limit = Math.min(work.maxBatchBytes ?? 5 * 1024 * 1024, MAX_PAYLOAD_BYTES);
  const batches: { rows: number[]; body: string }[] = [];
  let rows: number[] = [];
  let body = '';
  for (let i = 0; i < tuples.length; i++) {
    if (!isIpv4(tuples[i].ip)) continue;
    const line = ipInsightsCsvLine(tuples[i].entity, tuples[i].ip);
    if (rows.length && (Buffer.byteLength(body) + Buffer.byteLength(line) > limit || rows.length >= 10_000)) {
      batches.push({ rows, body });
      rows = [];
      body = '';
    }
    rows.push(i);
    body += line;
  }
  if (rows.length) batches.push({ rows, body });
  let done = 0;
  await mapLimit(
    batches,
    work.concurrency ?? 4,
    async (b, k) => {
      throwIfAborted(work.signal);
      const values = parseDotProducts(await invoke(b.body, work.signal), b.rows.length, `IP Insights batch ${k + 1} of ${batches.length}`);
      b.rows.forEach((row, j) => (out[row] = values[j]));
      done += b.rows.length;
      work.onProgress?.({ message: `Scored ${done} of ${tuples.length} pairs`, done, total: tuples.length, unit: 'pairs', fraction: tuples.length ? done / tuples.length : 1 });
    },
    work.signal,
  );
  return out;
}

export interface IpInsightsRun {
  training: { rows: number; entities: number; skippedIpv6: number };
  model: TrainedIpInsights;
  endpointName: string;
  /** True when the endpoint was left running (keepEndpoint). */
  kept: boolean;
  deleted: string[];
  dotProducts: Float64Array;
}

/** Train on `train`, deploy, score `score`, tear down (unless keepEndpoint): the notebook end to end. */
export async function runIpInsights(
  session: AwsSession,
  settings: SageMakerSettings,
  train: Iterable<EntityIp>,
  score: readonly EntityIp[],
  options: { name: string; hyperparameters?: Record<string, string | number>; keepEndpoint?: boolean } & WorkOptions,
  deps: IpInsightsDeps & { invoker?: (endpointName: string) => IpInsightsInvoke } = {},
): Promise<IpInsightsRun> {
  checkTrainingSettings(settings);
  checkScoringSettings({ ...settings, scoring: 'endpoint' });
  ipInsightsImageUri(await session.region(), settings.ipInsightsImageUri);
  const csv = await writeTrainingCsv(train);
  let model: TrainedIpInsights;
  try {
    model = await trainIpInsights(session, settings, csv, options, deps);
  } finally {
    await fs.rm(path.dirname(csv.file), { recursive: true, force: true });
  }
  const deployment = await deployIpInsights(session, settings, model, options, deps);
  let dotProducts: Float64Array;
  let deleted: string[] = [];
  try {
    const invoke = deps.invoker?.(deployment.endpointName) ?? ipInsightsInvoker(session, deployment.endpointName);
    dotProducts = await scoreIpInsights(invoke, score, { ...options, concurrency: settings.invokeConcurrency });
  } finally {
    if (!options.keepEndpoint) {
      deleted = await deleteDeployment(session, deployment, options.logger).catch((e) => {
        options.logger?.error(`Could not delete endpoint ${deployment.endpointName}: ${(e as Error).message}. Delete it with: secml endpoints delete ${deployment.endpointName}`);
        return [];
      });
    }
  }
  return { training: { rows: csv.rows, entities: csv.entities, skippedIpv6: csv.skippedIpv6 }, model, endpointName: deployment.endpointName, kept: Boolean(options.keepEndpoint), deleted, dotProducts };
}
