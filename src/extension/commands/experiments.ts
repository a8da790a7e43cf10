/**
 * Experiment commands: launch a spec (palette, or the run button on a *.secml.json editor), open the comparison, and the
 * run actions of the Experiments view (stop, re-run, delete, reveal). Thin: the runner and the run store do the work.
 */
import * as vscode from 'vscode';
import * as path from 'node:path';
import { SecmlError } from '../../core/errors';
import { readJson } from '../../core/fs-atomic';
import type { Backend } from '../../core/backends/backend';
import { isFinished, type RunRecord } from '../../core/experiments/run-record';
import { loadExperimentSpec, parseExperimentSpec, type ExperimentSpec, type LoadedSpec } from '../../core/experiments/spec';
import type { Services } from '../services';
import type { SecmlViews } from '../views/views';
import { ExperimentNode, RunNode, experimentsSection } from '../views/experiments-section';
import { MetricsPanel } from '../panels/metrics-panel';
import { ExperimentLaunches } from './experiment-launches';
import type { SageMakerFeature } from '../sagemaker/register';
import { awsCore } from '../sagemaker/core';
import { uploadConsent } from '../sagemaker/upload-consent';
import { showInfo, showWarning } from '../notify';

/** What the launch command returns (used by tests and other commands). */
export interface LaunchedExperiment {
  experiment: string;
  launchId: string;
  runIds: string[];
}

/** A run argument: a tree node, or `{experiment, id}` / `{experiment, runId}` from another command or a test. */
type RunArg = RunNode | { experiment: string; id?: string; runId?: string };
type ExperimentArg = ExperimentNode | RunNode | { experiment: string } | string;

/**
 * Lets experiments train on SageMaker with the extension's AWS connection and settings (the spec's own "sagemaker" options
 * on top) and the upload consent of the SageMaker feature.
 */
export function useSageMakerForExperiments(services: Services, launches: ExperimentLaunches, feature: SageMakerFeature): void {
  const consent = uploadConsent(services);
  launches.sagemaker = (spec: ExperimentSpec): Backend => {
    const fromSpec = Object.fromEntries(Object.entries(spec.sagemaker ?? {}).filter(([, v]) => v !== undefined));
    return new (awsCore().SageMakerBackend)(feature.aws.session(), awsCore().sageMakerSettings({ ...feature.aws.sageMakerSettings(), ...fromSpec }), { confirmUpload: consent });
  };
}

function runRef(arg: RunArg | undefined): { experiment: string; runId: string } {
  if (arg instanceof RunNode) return { experiment: arg.run.experiment, runId: arg.run.id };
  const runId = arg?.id ?? arg?.runId;
  if (!arg || !runId) throw new SecmlError('BAD_ARGUMENT', 'Choose a run in the Experiments view.');
  return { experiment: arg.experiment, runId };
}

function experimentRef(arg: ExperimentArg | undefined): string | undefined {
  if (arg === undefined) return undefined;
  if (typeof arg === 'string') return arg;
  if (arg instanceof ExperimentNode) return arg.name;
  if (arg instanceof RunNode) return arg.run.experiment;
  return arg.experiment;
}

async function pickSpecFile(services: Services, uri?: vscode.Uri): Promise<string | undefined> {
  if (uri instanceof vscode.Uri && uri.fsPath.endsWith('.secml.json')) return uri.fsPath;
  const active = vscode.window.activeTextEditor?.document;
  if (active?.uri.scheme === 'file' && active.fileName.endsWith('.secml.json')) return active.fileName;
  if (!services.workspaceRoot()) throw new SecmlError('NOT_FOUND', 'Open a folder first: SecML Lab keeps experiment runs in the workspace (.secml/).');
  const files = await vscode.workspace.findFiles('**/*.secml.json', '**/{node_modules,.secml}/**', 200);
  if (files.length === 0) {
    const pick = await showInfo('No experiment spec (*.secml.json) in this workspace. The sample workspace has one.', 'Create Sample Workspace');
    if (pick) await vscode.commands.executeCommand('secml.createSampleWorkspace');
    return undefined;
  }
  if (files.length === 1) return files[0].fsPath;
  const items = files.map((f) => ({ label: path.basename(f.fsPath), description: vscode.workspace.asRelativePath(f), file: f.fsPath })).sort((a, b) => a.description.localeCompare(b.description));
  return (await vscode.window.showQuickPick(items, { title: 'Launch Experiment', placeHolder: 'Choose an experiment spec' }))?.file;
}

async function pickExperiment(launches: ExperimentLaunches): Promise<string | undefined> {
  const experiments = await launches.store().listExperiments();
  if (experiments.length === 0) {
    void showInfo('No experiments yet: launch one first (SecML: Launch Experiment).');
    return undefined;
  }
  if (experiments.length === 1) return experiments[0].name;
  const items = experiments.map((e) => ({ label: e.name, description: `${e.runs.length} run(s)`, detail: e.record?.description }));
  return (await vscode.window.showQuickPick(items, { title: 'Open Metrics', placeHolder: 'Choose an experiment' }))?.label;
}

function finishedMessage(experiment: string, runs: readonly RunRecord[]): { text: string; ok: boolean } {
  const count = (s: RunRecord['status']) => runs.filter((r) => r.status === s).length;
  const parts = [`${count('completed')} completed`];
  for (const s of ['failed', 'stopped'] as const) if (count(s)) parts.push(`${count(s)} ${s}`);
  return { text: `Experiment ${experiment} finished: ${parts.join(', ')}.`, ok: count('failed') === 0 };
}

export function registerExperiments(services: Services, views: SecmlViews): ExperimentLaunches {
  const launches = new ExperimentLaunches(services);
  services.track(launches);
  views.experiments.addSection(experimentsSection(services, launches));
  MetricsPanel.register(services, launches);

  /** Starts a launch under a cancellable progress notification; resolves once the runs are recorded (not when they finish). */
  async function start(loaded: LoadedSpec, options: { variants?: string[]; backend?: ExperimentSpec['backend']; resumeJobs?: Record<string, string> } = {}): Promise<LaunchedExperiment | undefined> {
    const maxConcurrentRuns = loaded.spec.maxConcurrentRuns ?? services.settings().experiments.maxConcurrentJobs;
    return new Promise<LaunchedExperiment | undefined>((resolve, reject) => {
      let launched = false;
      services
        .withProgress(`Experiment ${loaded.spec.name}`, async (signal, onProgress) => {
          const launch = await launches.launch(loaded, { ...options, maxConcurrentRuns, signal, onProgress });
          launched = true;
          resolve({ experiment: launch.experiment, launchId: launch.launchId, runIds: launch.runs.map((r) => r.id) });
          void vscode.commands.executeCommand('secml.experiments.focus');
          const runs = await launch.done;
          const { text, ok } = finishedMessage(launch.experiment, runs);
          const actions = ok ? ['Open Comparison'] : ['Open Comparison', 'Show Log'];
          void (ok ? showInfo(text, ...actions) : showWarning(text, ...actions)).then((pick) => {
            if (pick === 'Open Comparison') MetricsPanel.show(services, launches, launch.experiment);
            else if (pick === 'Show Log') services.output.show(true);
          });
        })
        .then(
          () => !launched && resolve(undefined),
          (e) => (launched ? services.showError(e) : reject(e)),
        );
    });
  }

  services.registerCommand('secml.launchExperiment', async (uri?: vscode.Uri) => {
    const file = await pickSpecFile(services, uri);
    if (!file) return undefined;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    if (doc?.isDirty) await doc.save();
    return start(await loadExperimentSpec(file));
  });

  const openMetrics = async (arg?: ExperimentArg) => {
    const experiment = experimentRef(arg) ?? (await pickExperiment(launches));
    if (!experiment) return;
    MetricsPanel.show(services, launches, experiment, arg instanceof RunNode ? arg.run.id : undefined);
  };
  services.registerCommand('secml.openMetrics', openMetrics);
  services.registerCommand('secml.run.openMetrics', openMetrics);

  services.registerCommand('secml.run.stop', async (arg?: RunArg) => {
    const { experiment, runId } = runRef(arg);
    if (launches.stop(runId)) return;
    // Another process runs it (the CLI, another window): leave it a stop request, which it polls for every second.
    const store = launches.store();
    const run = await store.readRun(experiment, runId);
    if (isFinished(run.status)) return;
    await store.requestStop(experiment, runId);
    void showInfo(`Asked process ${run.owner.pid} to stop run ${run.variant}: it stops within a few seconds.`);
  });

  services.registerCommand('secml.run.rerun', async (arg?: RunArg) => {
    const { experiment, runId } = runRef(arg);
    const store = launches.store();
    const run = await store.readRun(experiment, runId);
    const record = await store.readExperiment(experiment);
    const specFile = path.join(store.runDir(experiment, runId), 'spec.json');
    const spec = parseExperimentSpec(await readJson(specFile), specFile);
    // An interrupted SageMaker run's training job may still be going (or done) on AWS: re-attach instead of paying twice.
    let resumeJobs: Record<string, string> | undefined;
    if (run.backend === 'sagemaker' && run.status === 'interrupted' && run.job?.name) {
      const reattach = `Re-attach to ${run.job.name}`;
      const pick = await showInfo(`Run ${run.variant} was interrupted while its SageMaker training job ran.`, { modal: true, detail: 'Re-attaching follows that job (no new training); training again starts a new job.' }, reattach, 'Train Again');
      if (!pick) return undefined;
      if (pick === reattach) resumeJobs = { [run.variant]: run.job.name };
    }
    return start({ spec, file: record?.specFile ?? specFile, text: '' }, { variants: [run.variantSpec], backend: run.backend, resumeJobs });
  });

  services.registerCommand('secml.run.delete', async (arg?: RunArg & { confirmed?: boolean }) => {
    const { experiment, runId } = runRef(arg);
    const store = launches.store();
    const run = await store.readRun(experiment, runId);
    if (!(arg as { confirmed?: boolean })?.confirmed) {
      const ok = await showWarning(`Delete run ${run.variant} (${run.id}) of ${experiment}? Its model, metrics and log are removed.`, { modal: true }, 'Delete');
      if (ok !== 'Delete') return;
    }
    await store.deleteRun(experiment, runId);
    launches.changed({ models: true });
  });

  services.registerCommand('secml.experiment.delete', async (arg?: ExperimentArg & { confirmed?: boolean }) => {
    const experiment = experimentRef(arg);
    if (!experiment) throw new SecmlError('BAD_ARGUMENT', 'Choose an experiment in the Experiments view.');
    const store = launches.store();
    const runs = await store.listRuns(experiment);
    if (!(arg as { confirmed?: boolean })?.confirmed) {
      const ok = await showWarning(`Delete experiment ${experiment} with its ${runs.length} run(s), models and datasets? The spec file is kept.`, { modal: true }, 'Delete');
      if (ok !== 'Delete') return;
    }
    await store.deleteExperiment(experiment);
    launches.changed({ models: true });
  });

  services.registerCommand('secml.run.reveal', async (arg?: ExperimentArg) => {
    const store = launches.store();
    const dir = arg instanceof RunNode ? store.runDir(arg.run.experiment, arg.run.id) : store.experimentDir(experimentRef(arg) ?? '');
    await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(dir));
  });

  return launches;
}
