/**
 * The status of a training job, behind an interface: production reads DescribeTrainingJob (and stops with
 * StopTrainingJob); tests script InProgress -> Completed / Failed / Stopped, throttling and timeouts, which moto cannot
 * (its jobs are Completed from the first call and StopTrainingJob is not implemented).
 */
import { DescribeTrainingJobCommand, SageMakerClient, type DescribeTrainingJobResponse } from '@aws-sdk/client-sagemaker';
import type { AwsSession } from '../../aws/connection';
import { pollUntilFinal, type PollOptions } from './polling';
import { stopTrainingJob } from './training-jobs';

export type TrainingJobState = 'InProgress' | 'Completed' | 'Failed' | 'Stopping' | 'Stopped';

export interface TrainingJobStatus {
  jobName: string;
  jobArn?: string;
  status: TrainingJobState;
  /** Starting, Downloading, Training, Uploading, MaxRuntimeExceeded, ... */
  secondaryStatus?: string;
  /** The latest secondary-status message ("Downloading input data", ...). */
  statusMessage?: string;
  failureReason?: string;
  modelArtifact?: string;
  /** FinalMetricDataList as name -> value (`validation:auc`). */
  finalMetrics: Record<string, number>;
  imageUri?: string;
  hyperparameters?: Record<string, string>;
  instanceType?: string;
  instanceCount?: number;
  creationTime?: Date;
  startTime?: Date;
  endTime?: Date;
  billableSeconds?: number;
}

export interface TrainingStatusSource {
  describe(jobName: string, signal?: AbortSignal): Promise<TrainingJobStatus>;
  /** Asks SageMaker to stop the job (StopTrainingJob); resolves when the request was accepted. */
  stop(jobName: string): Promise<void>;
}

export const FINAL_TRAINING_STATES: ReadonlySet<TrainingJobState> = new Set(['Completed', 'Failed', 'Stopped']);

export function toTrainingJobStatus(d: DescribeTrainingJobResponse): TrainingJobStatus {
  const finalMetrics: Record<string, number> = {};
  for (const m of d.FinalMetricDataList ?? []) if (m.MetricName && typeof m.Value === 'number') finalMetrics[m.MetricName] = m.Value;
  const transitions = d.SecondaryStatusTransitions ?? [];
  return {
    jobName: d.TrainingJobName ?? '',
    jobArn: d.TrainingJobArn,
    status: (d.TrainingJobStatus ?? 'InProgress') as TrainingJobState,
    secondaryStatus: d.SecondaryStatus,
    statusMessage: transitions[transitions.length - 1]?.StatusMessage,
    failureReason: d.FailureReason,
    modelArtifact: d.ModelArtifacts?.S3ModelArtifacts,
    finalMetrics,
    imageUri: d.AlgorithmSpecification?.TrainingImage,
    hyperparameters: d.HyperParameters,
    instanceType: d.ResourceConfig?.InstanceType,
    instanceCount: d.ResourceConfig?.InstanceCount,
    creationTime: d.CreationTime,
    startTime: d.TrainingStartTime,
    endTime: d.TrainingEndTime,
    billableSeconds: d.BillableTimeInSeconds,
  };
}

/** DescribeTrainingJob / StopTrainingJob through an AwsSession (typed errors, one retry after expired credentials). */
export class SageMakerTrainingStatusSource implements TrainingStatusSource {
  constructor(private readonly session: AwsSession) {}

  async describe(jobName: string, signal?: AbortSignal): Promise<TrainingJobStatus> {
    const d = await this.session.call(`Describe training job ${jobName}`, () =>
      this.session.client(SageMakerClient).send(new DescribeTrainingJobCommand({ TrainingJobName: jobName }), { abortSignal: signal }),
    );
    return toTrainingJobStatus(d);
  }

  stop(jobName: string): Promise<void> {
    return stopTrainingJob(this.session, jobName);
  }
}

export function trainingStatusLabel(s: TrainingJobStatus): string {
  return s.secondaryStatus && s.secondaryStatus !== s.status ? `${s.status} (${s.secondaryStatus})` : s.status;
}

/** Polls until the job is Completed, Failed or Stopped and returns that final status. */
export function waitForTrainingJob(
  source: TrainingStatusSource,
  jobName: string,
  opts: PollOptions & { onStatus?(s: TrainingJobStatus): void } = {},
): Promise<TrainingJobStatus> {
  return pollUntilFinal(
    {
      what: `Training job ${jobName}`,
      fetch: (signal) => source.describe(jobName, signal),
      isFinal: (s) => FINAL_TRAINING_STATES.has(s.status),
      label: trainingStatusLabel,
      onStatus: opts.onStatus,
    },
    opts,
  );
}
