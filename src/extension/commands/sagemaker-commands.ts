/**
 * Context-menu and palette commands for SageMaker jobs and endpoints: stop a job, open its logs, load more jobs,
 * filter them, deploy a completed run, delete an endpoint (with its config and model), delete all endpoints of an
 * experiment. Thin: each calls core and refreshes the views.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrainResult } from '../../core/backends/backend';
import type { JobRecord } from '../../core/backends/sagemaker/backend';
import { trainingJobLogsUrl } from '../../core/backends/sagemaker/console-links';
import { estimateHourlyCost, formatHourlyCost } from '../../core/backends/sagemaker/prices';
import type { TrainingJobState } from '../../core/backends/sagemaker/training-status';
import { SecmlError } from '../../core/errors';
import { readJson } from '../../core/fs-atomic';
import type { AwsContext } from '../aws-context';
import { awsCore } from '../sagemaker/core';
import type { Services } from '../services';
import type { EndpointsModel } from '../sagemaker/endpoints-model';
import type { TrainingJobsSection } from '../views/training-jobs';
import { showInfo, showWarning } from '../notify';

/** Node arguments from the trees (ours or another section's): read what we need by property, never by class. */
type Arg = { jobName?: string; endpointName?: string; experiment?: string; name?: string; runDir?: string; result?: TrainResult } | string | undefined;

function prop(arg: Arg, key: 'jobName' | 'endpointName' | 'experiment' | 'runDir'): string | undefined {
  if (typeof arg === 'string') return arg;
  const v = arg?.[key];
  return typeof v === 'string' && v ? v : undefined;
}

async function askName(what: string): Promise<string | undefined> {
  return (await vscode.window.showInputBox({ title: `SecML: ${what} name`, prompt: `The ${what} name` }))?.trim() || undefined;
}

/** The run's SageMaker training result: given directly, or rebuilt from `<runDir>/sagemaker-job.json` or a job name. */
async function trainResultOf(aws: AwsContext, arg: Arg): Promise<TrainResult> {
  if (typeof arg === 'object' && arg?.result?.backend === 'sagemaker') return arg.result;
  const runDir = typeof arg === 'object' ? arg?.runDir : undefined;
  const record = runDir ? await readJson<JobRecord>(path.join(runDir, awsCore().JOB_RECORD_FILE)) : undefined;
  const jobName = record?.jobName ?? prop(arg, 'jobName');
  if (!jobName) throw new SecmlError('BAD_ARGUMENT', 'Only runs trained on SageMaker can be deployed to an endpoint.');
  return awsCore().completedJobResult(aws.session(), jobName, record ?? {});
}

/** `endpoint/x` -> `endpoint x`, `endpoint-config/x` -> `endpoint config x` (what deleteDeployment returns, as a user reads it). */
function resourceName(id: string): string {
  const m = /^([a-z-]+)\/(.*)$/.exec(id);
  return m ? `${m[1].replace(/-/g, ' ')} ${m[2]}` : id;
}

export function registerSageMakerCommands(services: Services, aws: AwsContext, jobs: TrainingJobsSection, endpoints: EndpointsModel): void {
  services.registerCommand('secml.jobs.loadMore', () => jobs.loadMore());

  services.registerCommand('secml.jobs.filter', async () => {
    const current = jobs.currentFilter;
    const text = await vscode.window.showInputBox({ title: 'Filter training jobs (1/2): name contains', value: current.nameContains ?? '', prompt: 'Part of the job name (empty: any name)' });
    if (text === undefined) return;
    const pick = await vscode.window.showQuickPick(
      [{ label: 'Any status', value: undefined as TrainingJobState | undefined }, ...awsCore().TRAINING_JOB_STATES.map((s) => ({ label: s, value: s as TrainingJobState | undefined, picked: s === current.status }))],
      { title: 'Filter training jobs (2/2): status' },
    );
    if (!pick) return;
    jobs.setFilter({ nameContains: text, status: pick.value });
  });

  services.registerCommand('secml.job.stop', async (arg: Arg) => {
    const name = prop(arg, 'jobName') ?? (await askName('training job'));
    if (!name) return;
    const ok = await showWarning(`Stop training job ${name}?`, { modal: true, detail: 'SageMaker stops the job; the run ends as Stopped. This cannot be undone.' }, 'Stop Job');
    if (ok !== 'Stop Job') return;
    await awsCore().stopTrainingJob(aws.session(), name);
    services.logger.info(`Asked SageMaker to stop training job ${name}`);
    void showInfo(`Stop requested for ${name}.`);
    jobs.reset();
  });

  services.registerCommand('secml.job.openLogs', async (arg: Arg) => {
    const name = prop(arg, 'jobName') ?? (await askName('training job'));
    if (!name) return;
    await vscode.env.openExternal(vscode.Uri.parse(trainingJobLogsUrl(await aws.session().region(), name)));
  });

  services.registerCommand('secml.endpoint.delete', async (arg: Arg) => {
    const name = prop(arg, 'endpointName') ?? (await askName('endpoint'));
    if (!name) return;
    const ok = await showWarning(`Delete endpoint ${name}?`, { modal: true, detail: 'Its endpoint config and model are deleted too. Training jobs and model artifacts in S3 stay.' }, 'Delete');
    if (ok !== 'Delete') return;
    const deleted = await services.withProgress(`Deleting endpoint ${name}`, () => awsCore().deleteDeployment(aws.session(), { endpointName: name }, services.logger));
    void showInfo(deleted?.length ? `Deleted ${deleted.map(resourceName).join(', ')}.` : `Endpoint ${name} was already gone.`);
    await endpoints.reload();
  });

  services.registerCommand('secml.experiment.deleteEndpoints', async (arg: Arg) => {
    let experiment = prop(arg, 'experiment') ?? (typeof arg === 'object' && typeof arg?.name === 'string' ? arg.name : undefined);
    const all = await endpoints.endpoints();
    if (!experiment) {
      const names = [...new Set(all.map((e) => e.tags.experiment).filter((x): x is string => Boolean(x)))];
      if (!names.length) return void showInfo('No SecML endpoints are running.');
      experiment = (await vscode.window.showQuickPick(names, { title: 'Delete all endpoints of which experiment?' })) ?? undefined;
      if (!experiment) return;
    }
    const mine = all.filter((e) => e.tags.experiment === experiment);
    const cost = mine.reduce((a, e) => a + (e.hourlyCost ?? 0), 0);
    const ok = await showWarning(
      `Delete all endpoints of experiment ${experiment}?`,
      { modal: true, detail: `${mine.length} endpoint(s) (${formatHourlyCost(cost)}, estimate) with their configs and models, plus any leftovers tagged with this experiment.` },
      'Delete All',
    );
    if (ok !== 'Delete All') return;
    const deleted = await services.withProgress(`Deleting endpoints of ${experiment}`, (signal) => awsCore().deleteExperimentEndpoints(aws.session(), experiment!, { signal, logger: services.logger }));
    void showInfo(deleted?.length ? `Deleted ${deleted.length} resource(s) of ${experiment}.` : `Nothing of ${experiment} was running.`);
    await endpoints.reload();
  });

  services.registerCommand('secml.run.deploy', async (arg: Arg) => {
    const result = await trainResultOf(aws, arg);
    const s = aws.sageMakerSettings();
    const ok = await showInfo(
      `Deploy ${result.jobName} to a SageMaker endpoint?`,
      { modal: true, detail: `${s.endpointInstanceCount} x ${s.endpointInstanceType}, ${formatHourlyCost(estimateHourlyCost(s.endpointInstanceType, s.endpointInstanceCount))} (estimate). It costs money until you delete it from the Endpoints view.` },
      'Deploy',
    );
    if (ok !== 'Deploy') return;
    const backend = new (awsCore().SageMakerBackend)(aws.session(), s);
    const d = await services.withProgress(`Deploying ${result.jobName} (takes 5-10 minutes)`, (signal) => backend.deploy(result, { signal, logger: services.logger, purpose: 'deployment' }));
    if (d) void showInfo(`Endpoint ${d.endpointName} is InService.`);
    await endpoints.reload();
  });
}
