/**
 * The `sagemaker` backend: upload a variant's CSVs, run one training job on the built-in XGBoost image, follow it until
 * it ends, and score through a temporary endpoint (or a batch transform job) that is torn down afterwards.
 * Status sources, the clock and the endpoint invoker are injectable so tests can drive every path moto cannot.
 */
import * as path from 'node:path';
import { CreateTrainingJobCommand, SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { AwsSession } from '../../aws/connection';
import { cancelledError, isCancellation, SecmlError, userMessage } from '../../errors';
import { readJson, writeJsonAtomic } from '../../fs-atomic';
import type { WorkOptions } from '../../progress';
import type { Backend, Scorer, ScorerOptions, StopTarget, TrainRequest, TrainResult, TrainState, TrainStatus, TrainWork } from '../backend';
import { scoreWithBatchTransform, type TransformStatusSource } from './batch-transform';
import { trainingJobConsoleUrl, trainingJobLogsUrl } from './console-links';
import { createModel, deleteDeployment, deployModel, type Deployment, type EndpointStatusSource } from './endpoints';
import { xgboostImageUri } from './images';
import { endpointInvoker, predictInBatches, type InvokeFn } from './invoke';
import { deploymentName, secmlTags, trainingJobName } from './names';
import type { Clock } from './polling';
import { checkScoringSettings, checkTrainingSettings, type SageMakerSettings } from './settings';
import { buildTrainingJobRequest, sageMakerXgboostHyperparameters, volumeSizeFor } from './training-request';
import { SageMakerTrainingStatusSource, waitForTrainingJob, type TrainingJobStatus, type TrainingStatusSource } from './training-status';
import { channelS3Uri, plannedUploads, uploadPlanned, type PlannedUpload } from './upload';

export interface SageMakerBackendDeps {
  trainingStatus?: TrainingStatusSource;
  endpointStatus?: EndpointStatusSource;
  transformStatus?: TransformStatusSource;
  clock?: Clock;
  /** Shown what will leave the machine before each upload; resolving false cancels (nothing is sent). */
  confirmUpload?(plan: PlannedUpload[]): Promise<boolean>;
  /** Replaces InvokeEndpoint (tests capture payloads). */
  invoker?(endpointName: string): InvokeFn;
  /** Clock for resource names. */
  now?(): Date;
}

/** Written to `<runDir>/sagemaker-job.json` as soon as the job exists, so a restart can re-attach. */
export const JOB_RECORD_FILE = 'sagemaker-job.json';

export interface JobRecord {
  jobName: string;
  experiment: string;
  variant: string;
  runId: string;
  region: string;
  imageUri: string;
  createdAt: string;
  status?: string;
  modelArtifact?: string;
  finalMetrics?: Record<string, number>;
  failureReason?: string;
}

const STARTING = new Set(['Starting', 'LaunchingMLInstances', 'PreparingTrainingStack', 'Downloading', 'DownloadingTrainingImage', 'Pending']);

export function trainStateOf(s: TrainingJobStatus): TrainState {
  switch (s.status) {
    case 'Completed':
      return 'completed';
    case 'Failed':
      return 'failed';
    case 'Stopped':
      return 'stopped';
    case 'Stopping':
      return 'stopping';
    default:
      return s.secondaryStatus && STARTING.has(s.secondaryStatus) ? 'starting' : 'training';
  }
}

async function manifestFeatures(datasetDir: string): Promise<string[] | undefined> {
  try {
    const m = await readJson<{ features?: unknown[] }>(path.join(datasetDir, 'manifest.json'));
    const names = (m.features ?? []).map((f) => (typeof f === 'string' ? f : (f as { name?: unknown })?.name)).filter((f): f is string => typeof f === 'string');
    return names.length ? names : undefined;
  } catch {
    return undefined;
  }
}

export class SageMakerBackend implements Backend {
  readonly name = 'sagemaker' as const;
  private readonly active = new Map<string, string>();

  constructor(
    readonly session: AwsSession,
    readonly settings: SageMakerSettings,
    private readonly deps: SageMakerBackendDeps = {},
  ) {}

  private get trainingStatus(): TrainingStatusSource {
    return this.deps.trainingStatus ?? new SageMakerTrainingStatusSource(this.session);
  }

  /** The override (checked) or the region's built-in image; throws before anything is uploaded when neither exists. */
  async imageUri(): Promise<string> {
    return xgboostImageUri(await this.session.region(), this.settings.imageUri);
  }

  async train(req: TrainRequest, work: TrainWork = {}): Promise<TrainResult> {
    const s = this.settings;
    checkTrainingSettings(s);
    const region = await this.session.region();
    const imageUri = await this.imageUri();
    const hyperparameters = sageMakerXgboostHyperparameters(req.hyperparameters);
    const features = await manifestFeatures(req.datasetDir);
    const links = (jobName: string) => ({ jobName, consoleUrl: trainingJobConsoleUrl(region, jobName), logsUrl: trainingJobLogsUrl(region, jobName) });
    const emit = (st: TrainStatus) => work.onStatus?.(st);
    const recordFile = path.join(req.runDir, JOB_RECORD_FILE);

    let jobName = req.resumeJobName;
    if (!jobName) {
      emit({ state: 'uploading', message: 'Uploading train and validation CSVs' });
      const dest = { bucket: s.bucket, prefix: s.prefix, instanceCount: s.instanceCount };
      const plan = await plannedUploads([{ experiment: req.experiment, variant: req.variant, datasetDir: req.datasetDir }], dest);
      if (this.deps.confirmUpload && !(await this.deps.confirmUpload(plan))) throw new SecmlError('CANCELLED', 'Upload declined: nothing was sent to S3.');
      await uploadPlanned(this.session, plan, work);
      jobName = trainingJobName(req.experiment, req.variant, this.deps.now?.() ?? new Date());
      const request = buildTrainingJobRequest({
        jobName,
        imageUri,
        roleArn: s.roleArn,
        hyperparameters,
        trainS3Uri: channelS3Uri(dest, req.experiment, req.variant, 'train'),
        validationS3Uri: channelS3Uri(dest, req.experiment, req.variant, 'validation'),
        outputS3Uri: channelS3Uri(dest, req.experiment, req.variant, 'output'),
        instanceType: s.instanceType,
        instanceCount: s.instanceCount,
        volumeSizeGB: volumeSizeFor(plan.reduce((a, u) => a + u.bytes, 0), s.volumeSizeGB),
        maxRuntimeSeconds: s.maxRuntimeSeconds,
        tags: secmlTags({ experiment: req.experiment, variant: req.variant, runId: req.runId }),
      });
      await this.session.call(`Create training job ${jobName}`, () => this.session.client(SageMakerClient).send(new CreateTrainingJobCommand(request)));
      await writeJsonAtomic(recordFile, { jobName, experiment: req.experiment, variant: req.variant, runId: req.runId, region, imageUri, createdAt: new Date().toISOString() } satisfies JobRecord);
      work.logger?.info(`Started training job ${jobName} (${s.instanceCount} x ${s.instanceType})`);
    }
    emit({ state: 'starting', ...links(jobName) });

    this.active.set(req.runId, jobName);
    let final: TrainingJobStatus;
    try {
      final = await waitForTrainingJob(this.trainingStatus, jobName, {
        clock: this.deps.clock,
        signal: work.signal,
        logger: work.logger,
        timeoutMs: (s.maxRuntimeSeconds + 3600) * 1000,
        onStatus: (st) => emit({ state: trainStateOf(st), secondary: st.secondaryStatus, message: st.statusMessage, ...links(jobName!), jobArn: st.jobArn }),
      });
    } catch (e) {
      if (!isCancellation(e)) throw e;
      await this.requestStop(jobName, work);
      emit({ state: 'stopping', message: 'Stop requested', ...links(jobName) });
      throw new SecmlError('CANCELLED', `Cancelled: asked SageMaker to stop training job ${jobName}.`, { details: { jobName } });
    } finally {
      this.active.delete(req.runId);
    }
    await writeJsonAtomic(recordFile, {
      jobName,
      experiment: req.experiment,
      variant: req.variant,
      runId: req.runId,
      region,
      imageUri: final.imageUri ?? imageUri,
      createdAt: final.creationTime?.toISOString() ?? new Date().toISOString(),
      status: final.status,
      modelArtifact: final.modelArtifact,
      finalMetrics: final.finalMetrics,
      failureReason: final.failureReason,
    } satisfies JobRecord);
    if (final.status === 'Failed') {
      throw new SecmlError('AWS', `Training job ${jobName} failed: ${final.failureReason ?? 'no reason given'}`, { details: { jobName, failureReason: final.failureReason } });
    }
    if (final.status === 'Stopped') throw new SecmlError('CANCELLED', `Training job ${jobName} was stopped.`, { details: { jobName } });
    return {
      backend: 'sagemaker',
      jobArn: final.jobArn,
      modelArtifact: final.modelArtifact,
      imageUri: final.imageUri ?? imageUri,
      finalMetrics: final.finalMetrics,
      features,
      ...links(jobName),
      experiment: req.experiment,
      variant: req.variant,
      runId: req.runId,
    };
  }

  private async requestStop(jobName: string, work: WorkOptions): Promise<void> {
    try {
      await this.trainingStatus.stop(jobName);
      work.logger?.info(`Asked SageMaker to stop training job ${jobName}`);
    } catch (e) {
      work.logger?.error(`Could not stop training job ${jobName}: ${userMessage(e)}. Stop it from the Experiments view or with: secml jobs stop ${jobName}`);
    }
  }

  async stop(target: StopTarget, work: WorkOptions = {}): Promise<void> {
    const jobName = target.jobName ?? (target.runId ? this.active.get(target.runId) : undefined);
    if (!jobName) throw new SecmlError('NOT_FOUND', `No SageMaker training job is running for ${target.runId ? `run ${target.runId}` : 'this request'}.`);
    await this.trainingStatus.stop(jobName);
    work.logger?.info(`Asked SageMaker to stop training job ${jobName}`);
  }

  /** Model + endpoint config + endpoint for a completed run, InService when this resolves. Tagged as `deployment` unless for evaluation. */
  async deploy(result: TrainResult, work: ScorerOptions & { purpose?: 'evaluation' | 'deployment' } = {}): Promise<Deployment> {
    checkScoringSettings({ ...this.settings, scoring: 'endpoint' });
    const artifact = this.artifactOf(result);
    const name = deploymentName(result.jobName ?? 'secml-model');
    return deployModel(
      this.session,
      {
        name,
        imageUri: result.imageUri ?? (await this.imageUri()),
        modelArtifact: artifact,
        roleArn: this.settings.roleArn,
        instanceType: this.settings.endpointInstanceType,
        instanceCount: this.settings.endpointInstanceCount,
        tags: secmlTags({ experiment: result.experiment, variant: result.variant, runId: result.runId, purpose: work.purpose ?? 'deployment' }),
      },
      { statusSource: this.deps.endpointStatus, clock: this.deps.clock, signal: work.signal, logger: work.logger },
    );
  }

  private artifactOf(result: TrainResult): string {
    if (!result.modelArtifact) throw new SecmlError('BAD_ARGUMENT', `Run ${result.runId ?? result.jobName ?? ''} has no SageMaker model artifact (did its training job complete?).`);
    return result.modelArtifact;
  }

  private checkColumns(result: TrainResult, F: number): void {
    if (result.features && result.features.length !== F) {
      throw new SecmlError('BAD_ARGUMENT', `The model expects ${result.features.length} columns (${result.features.slice(0, 5).join(', ')}...), got ${F}.`);
    }
  }

  async createScorer(result: TrainResult, work: ScorerOptions = {}): Promise<Scorer> {
    checkScoringSettings(this.settings);
    this.artifactOf(result);
    if (this.settings.scoring === 'batch-transform') return this.createTransformScorer(result, work);
    const d = await this.deploy(result, { ...work, purpose: work.keep ? 'deployment' : 'evaluation' });
    const invoke = this.deps.invoker?.(d.endpointName) ?? endpointInvoker(this.session, d.endpointName);
    let disposed = false;
    return {
      description: `endpoint ${d.endpointName}`,
      predict: async (rows, n, F, signal) => {
        if (disposed) throw new SecmlError('INTERNAL', `Endpoint ${d.endpointName} was already deleted.`);
        this.checkColumns(result, F);
        return predictInBatches(invoke, rows, n, F, { concurrency: this.settings.invokeConcurrency, signal: signal ?? work.signal, onProgress: work.onProgress, what: `endpoint ${d.endpointName}` });
      },
      dispose: async () => {
        if (disposed) return;
        disposed = true;
        if (work.keep) {
          work.logger?.info(`Keeping endpoint ${d.endpointName} (it costs money while it runs; delete it from the Endpoints view).`);
          return;
        }
        await deleteDeployment(this.session, d, work.logger);
      },
    };
  }

  private async createTransformScorer(result: TrainResult, work: ScorerOptions): Promise<Scorer> {
    const name = deploymentName(result.jobName ?? 'secml-model');
    const tags = secmlTags({ experiment: result.experiment, variant: result.variant, runId: result.runId, purpose: 'evaluation' });
    const modelName = await createModel(this.session, { name, imageUri: result.imageUri ?? (await this.imageUri()), modelArtifact: this.artifactOf(result), roleArn: this.settings.roleArn, tags });
    const dest = { bucket: this.settings.bucket, prefix: this.settings.prefix };
    let disposed = false;
    let batch = 0;
    return {
      description: `batch transform with model ${modelName}`,
      predict: async (rows, n, F, signal) => {
        if (disposed) throw cancelledError();
        this.checkColumns(result, F);
        const jobName = deploymentName(modelName.slice(0, 50), `t${++batch}${Date.now().toString(36).slice(-4)}`);
        return scoreWithBatchTransform(
          this.session,
          { jobName, modelName, workPrefix: channelS3Uri(dest, result.experiment ?? 'secml', result.variant ?? 'model', 'scoring'), instanceType: this.settings.endpointInstanceType, instanceCount: this.settings.endpointInstanceCount, tags },
          rows,
          n,
          F,
          { statusSource: this.deps.transformStatus, clock: this.deps.clock, signal: signal ?? work.signal, logger: work.logger },
        );
      },
      dispose: async () => {
        if (disposed) return;
        disposed = true;
        if (!work.keep) await deleteDeployment(this.session, { modelName }, work.logger);
      },
    };
  }
}
