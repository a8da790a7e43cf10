/** `secml jobs list|show|stop|delete`: SageMaker training jobs of the current AWS connection. */
import type { CommandSpec, ParsedArgs } from '../command';
import { flag, num, positional, positionals, str, usageError } from '../args';
import { AWS_OPTIONS, awsSessionFromArgs } from '../aws-options';
import { formatTable, shortTime } from '../table';
import { deleteTrainingJob, listTrainingJobs, parseTrainingJobState, stopTrainingJob } from '../../core/backends/sagemaker/training-jobs';
import { SageMakerTrainingStatusSource } from '../../core/backends/sagemaker/training-status';
import { trainingJobConsoleUrl, trainingJobLogsUrl } from '../../core/backends/sagemaker/console-links';

function statusOption(text: string | undefined) {
  try {
    return text ? parseTrainingJobState(text) : undefined;
  } catch (e) {
    throw usageError((e as Error).message);
  }
}

const listCommand: CommandSpec = {
  name: 'list',
  summary: 'List training jobs, newest first',
  options: [
    { name: 'name', type: 'string', valueName: 'TEXT', description: 'Only jobs whose name contains TEXT.' },
    { name: 'status', type: 'string', valueName: 'STATUS', description: 'Only jobs in this status: InProgress, Completed, Failed, Stopping, Stopped.' },
    { name: 'limit', type: 'number', valueName: 'N', description: 'At most N jobs.', default: 50 },
    ...AWS_OPTIONS,
  ],
  async run(args, io) {
    const status = statusOption(str(args, 'status'));
    const session = awsSessionFromArgs(args);
    try {
      const jobs = await listTrainingJobs(session, { filter: { nameContains: str(args, 'name'), status }, limit: num(args, 'limit'), signal: io.signal });
      if (flag(args, 'json')) io.out(JSON.stringify(jobs.map((j) => ({ ...j, creationTime: j.creationTime?.toISOString(), endTime: j.endTime?.toISOString() }))));
      else if (!jobs.length) io.out('No training jobs.');
      else io.out(formatTable(['NAME', 'STATUS', 'CREATED (UTC)', 'ENDED (UTC)'], jobs.map((j) => [j.name, j.status, shortTime(j.creationTime), shortTime(j.endTime)])));
      return 0;
    } finally {
      session.destroy();
    }
  },
};

const showCommand: CommandSpec = {
  name: 'show',
  summary: 'Show a training job: status, failure reason, final metrics, model artifact, console and log links',
  positionals: [{ name: 'NAME', description: 'Training job name.', required: true }],
  options: AWS_OPTIONS,
  async run(args, io) {
    const session = awsSessionFromArgs(args);
    try {
      const name = positional(args, 'NAME')!;
      const s = await new SageMakerTrainingStatusSource(session).describe(name, io.signal);
      const region = await session.region();
      const links = { consoleUrl: trainingJobConsoleUrl(region, name), logsUrl: trainingJobLogsUrl(region, name) };
      if (flag(args, 'json')) {
        io.out(JSON.stringify({ ...s, ...links, creationTime: s.creationTime?.toISOString(), startTime: s.startTime?.toISOString(), endTime: s.endTime?.toISOString() }));
        return 0;
      }
      const rows: [string, string | undefined][] = [
        ['Name', s.jobName],
        ['Status', s.secondaryStatus && s.secondaryStatus !== s.status ? `${s.status} (${s.secondaryStatus})` : s.status],
        ['Failure reason', s.failureReason],
        ['Message', s.statusMessage],
        ['Instances', s.instanceType ? `${s.instanceCount ?? 1} x ${s.instanceType}` : undefined],
        ['Created (UTC)', shortTime(s.creationTime)],
        ['Ended (UTC)', shortTime(s.endTime)],
        ['Billable seconds', s.billableSeconds?.toString()],
        ['Image', s.imageUri],
        ['Model artifact', s.modelArtifact],
        ...Object.entries(s.finalMetrics).map(([k, v]) => [`Metric ${k}`, String(v)] as [string, string]),
        ['Console', links.consoleUrl],
        ['Logs', links.logsUrl],
      ];
      io.out(formatTable(['FIELD', 'VALUE'], rows.filter((r): r is [string, string] => Boolean(r[1]))));
      return 0;
    } finally {
      session.destroy();
    }
  },
};

function eachName(verb: string, act: (session: ReturnType<typeof awsSessionFromArgs>, name: string) => Promise<void>): CommandSpec['run'] {
  return async (args: ParsedArgs, io) => {
    const names = positionals(args, 'NAME');
    if (!names.length) throw usageError(`name at least one training job to ${verb}`);
    const session = awsSessionFromArgs(args);
    try {
      const done: string[] = [];
      for (const name of names) {
        await act(session, name);
        done.push(name);
        if (!flag(args, 'json')) io.out(`${verb === 'stop' ? 'Stop requested' : 'Deleted'}: ${name}`);
      }
      if (flag(args, 'json')) io.out(JSON.stringify({ [verb === 'stop' ? 'stopRequested' : 'deleted']: done }));
      return 0;
    } finally {
      session.destroy();
    }
  };
}

export const jobsCommand: CommandSpec = {
  name: 'jobs',
  summary: 'List, show, stop or delete SageMaker training jobs',
  description: 'Uses AWS_PROFILE, AWS_REGION and AWS_ENDPOINT_URL (or --profile, --region, --endpoint-url).\nExample: secml jobs list --status InProgress',
  subcommands: [
    listCommand,
    showCommand,
    {
      name: 'stop',
      summary: 'Stop running training jobs (StopTrainingJob)',
      positionals: [{ name: 'NAME', description: 'Training job names.', required: true, variadic: true }],
      options: AWS_OPTIONS,
      run: eachName('stop', stopTrainingJob),
    },
    {
      name: 'delete',
      summary: 'Delete training jobs that ended (their records; model artifacts in S3 stay)',
      positionals: [{ name: 'NAME', description: 'Training job names.', required: true, variadic: true }],
      options: AWS_OPTIONS,
      run: eachName('delete', deleteTrainingJob),
    },
  ],
};
