/** Listing (newest first, paged, filtered), stopping and deleting SageMaker training jobs: the tree and `secml jobs`. */
import {
  DeleteTrainingJobCommand,
  ListTagsCommand,
  ListTrainingJobsCommand,
  SageMakerClient,
  StopTrainingJobCommand,
  type TrainingJobStatus as SdkTrainingJobStatus,
} from '@aws-sdk/client-sagemaker';
import type { AwsSession } from '../../aws/connection';
import { SecmlError } from '../../errors';
import type { TrainResult } from '../backend';
import { readSecmlTags } from './names';
import { checkResourceName } from './validate';
import { SageMakerTrainingStatusSource, type TrainingJobState } from './training-status';

export const TRAINING_JOB_STATES: readonly TrainingJobState[] = ['InProgress', 'Completed', 'Failed', 'Stopping', 'Stopped'];

export interface TrainingJobSummary {
  name: string;
  arn?: string;
  status: TrainingJobState;
  secondaryStatus?: string;
  creationTime?: Date;
  endTime?: Date;
}

export interface TrainingJobFilter {
  /** Case-insensitive part of the job name. */
  nameContains?: string;
  status?: TrainingJobState;
}

export interface TrainingJobPage {
  jobs: TrainingJobSummary[];
  /** Pass back for the next page; undefined on the last page. Pages may be shorter than asked. */
  nextToken?: string;
}

export function parseTrainingJobState(text: string): TrainingJobState {
  const found = TRAINING_JOB_STATES.find((s) => s.toLowerCase() === text.trim().toLowerCase());
  if (!found) throw new SecmlError('BAD_ARGUMENT', `"${text}" is not a training job status (expected one of ${TRAINING_JOB_STATES.join(', ')}).`);
  return found;
}

export async function listTrainingJobsPage(session: AwsSession, opts: { filter?: TrainingJobFilter; nextToken?: string; pageSize?: number; signal?: AbortSignal } = {}): Promise<TrainingJobPage> {
  const f = opts.filter ?? {};
  const out = await session.call('List training jobs', () =>
    session.client(SageMakerClient).send(
      new ListTrainingJobsCommand({
        SortBy: 'CreationTime',
        SortOrder: 'Descending',
        MaxResults: Math.min(100, Math.max(1, opts.pageSize ?? 50)),
        NextToken: opts.nextToken,
        NameContains: f.nameContains?.trim() || undefined,
        StatusEquals: f.status as SdkTrainingJobStatus | undefined,
      }),
      { abortSignal: opts.signal },
    ),
  );
  const jobs = (out.TrainingJobSummaries ?? []).map((j) => ({
    name: j.TrainingJobName ?? '',
    arn: j.TrainingJobArn,
    status: (j.TrainingJobStatus ?? 'InProgress') as TrainingJobState,
    secondaryStatus: j.SecondaryStatus,
    creationTime: j.CreationTime,
    endTime: j.TrainingEndTime,
  }));
  // AWS sorts as asked; emulators may not. Within a page, newest first regardless.
  jobs.sort((a, b) => (b.creationTime?.getTime() ?? 0) - (a.creationTime?.getTime() ?? 0));
  return { jobs, nextToken: out.NextToken || undefined };
}

/** Up to `limit` jobs across pages (the CLI's list). */
export async function listTrainingJobs(session: AwsSession, opts: { filter?: TrainingJobFilter; limit?: number; signal?: AbortSignal } = {}): Promise<TrainingJobSummary[]> {
  const limit = opts.limit ?? 100;
  const jobs: TrainingJobSummary[] = [];
  let token: string | undefined;
  do {
    const page = await listTrainingJobsPage(session, { filter: opts.filter, nextToken: token, pageSize: Math.min(100, limit - jobs.length), signal: opts.signal });
    jobs.push(...page.jobs);
    token = page.nextToken;
  } while (token && jobs.length < limit);
  return jobs.slice(0, limit);
}

/** StopTrainingJob. A job that already ended is reported as such, not as a failure to stop. */
export async function stopTrainingJob(session: AwsSession, jobName: string): Promise<void> {
  checkResourceName('training job', jobName);
  try {
    await session.call(`Stop training job ${jobName}`, () => session.client(SageMakerClient).send(new StopTrainingJobCommand({ TrainingJobName: jobName })));
  } catch (e) {
    const msg = (e as Error).message ?? '';
    if (/status (Completed|Failed|Stopped|Stopping)/i.test(msg)) throw new SecmlError('CONFLICT', `Training job ${jobName} is not running (${/status (\w+)/i.exec(msg)?.[1]}); nothing to stop.`, { cause: e });
    throw e;
  }
}

/** DeleteTrainingJob: only jobs that ended (Completed, Failed, Stopped) can be deleted. */
export async function deleteTrainingJob(session: AwsSession, jobName: string): Promise<void> {
  checkResourceName('training job', jobName);
  await session.call(`Delete training job ${jobName}`, () => session.client(SageMakerClient).send(new DeleteTrainingJobCommand({ TrainingJobName: jobName })));
}

/**
 * A completed job as a TrainResult (to deploy it): artifact, image and the secml:* tags, with `fallback` for what the
 * tags do not say (a run's own record). Refuses jobs that did not complete.
 */
export async function completedJobResult(session: AwsSession, jobName: string, fallback: { experiment?: string; variant?: string; runId?: string } = {}): Promise<TrainResult> {
  const status = await new SageMakerTrainingStatusSource(session).describe(jobName);
  if (status.status !== 'Completed') throw new SecmlError('BAD_ARGUMENT', `Training job ${jobName} is ${status.status}; only completed jobs can be deployed.`);
  const tags = status.jobArn ? (await session.call(`List tags of training job ${jobName}`, () => session.client(SageMakerClient).send(new ListTagsCommand({ ResourceArn: status.jobArn })))).Tags : [];
  const t = readSecmlTags(tags);
  return {
    backend: 'sagemaker',
    jobName,
    jobArn: status.jobArn,
    modelArtifact: status.modelArtifact,
    imageUri: status.imageUri,
    finalMetrics: status.finalMetrics,
    experiment: t.experiment ?? fallback.experiment,
    variant: t.variant ?? fallback.variant,
    runId: t.runId ?? fallback.runId,
  };
}
