/**
 * "SecML: Train Model on Dataset" (secml.trainDataset): from the Datasets view's context menu (a dataset variant) or the
 * palette (pick one). Trains locally in a worker thread (core's trainModel) with per-round progress in a notification
 * and a working Cancel; the model goes to .secml/models/<variant>-<time>/ (modelsFolder; listWorkspaceModels in core/scoring lists them).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { isSecmlError, SecmlError } from '../../core/errors';
import { defaultParameterText, parseHyperparameterPairs, type Hyperparameters } from '../../core/model/hyperparameters';
import { trainModel, type TrainModelResult } from '../../core/model/train';
import { modelsFolder } from '../../core/scoring/workspace-models';
import { utcStamp } from '../../core/time-stamp';
import { newestVariants } from '../../core/features/dataset-list';
import type { Services } from '../services';
import { listWorkspaceDatasets } from '../views/datasets-view';
import { showInfo } from '../notify';

/** The seed's parameters, shown (editable) before training. */
const SHOWN_PARAMETERS = defaultParameterText();

/** A dataset variant folder from a command argument: a Uri, a path, or a tree node carrying one. */
export function datasetDirOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (arg && typeof arg === 'object') {
    const o = arg as Record<string, unknown>;
    for (const key of ['datasetDir', 'variantDir', 'dir', 'fsPath', 'path']) if (typeof o[key] === 'string') return o[key] as string;
    for (const key of ['resourceUri', 'uri']) if (o[key] instanceof vscode.Uri) return (o[key] as vscode.Uri).fsPath;
  }
  return undefined;
}

interface VariantPick extends vscode.QuickPickItem {
  dir: string;
}

/** Every dataset variant in the workspace, experiments' included (datasets whose manifest validates), newest first. */
async function findVariants(root: string | undefined): Promise<VariantPick[]> {
  const entries = root ? await listWorkspaceDatasets(root, { experiments: true }) : [];
  return newestVariants(entries).map(({ dir, manifest: m }) => {
    const train = m.counts.splits?.train;
    return {
      dir,
      label: `${m.name ?? path.basename(path.dirname(dir))} / ${m.variant.name ?? path.basename(dir)}`,
      description: vscode.workspace.asRelativePath(dir),
      detail: [`variant ${m.variant.spec}`, train && `train ${train.sessions} sessions (${train.positives} attackers)`, `${m.features.length} features`].filter(Boolean).join(' · '),
    };
  });
}

async function pickVariant(root: string | undefined): Promise<string | undefined> {
  const variants = await findVariants(root);
  if (variants.length === 0) {
    const flatten = 'Flatten Logs';
    const pick = await showInfo('No flattened datasets in this workspace yet: flatten a log file first.', flatten);
    if (pick === flatten) await vscode.commands.executeCommand('secml.flattenLogs');
    return undefined;
  }
  return (await vscode.window.showQuickPick(variants, { title: 'Train Model on Dataset', placeHolder: 'Dataset variant to train on', matchOnDescription: true }))?.dir;
}

function parseParameterText(text: string): Hyperparameters {
  return parseHyperparameterPairs(text.split(/[\s,]+/).filter(Boolean));
}

async function askHyperparameters(): Promise<Hyperparameters | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Train Model on Dataset: hyperparameters',
    prompt: 'XGBoost hyperparameters as name=value (e.g. add early_stopping_rounds=10 scale_pos_weight=20). Enter keeps the seed\'s.',
    value: SHOWN_PARAMETERS,
    validateInput: (v) => {
      try {
        parseParameterText(v);
        return undefined;
      } catch (e) {
        return isSecmlError(e) ? e.message : String(e);
      }
    },
  });
  return text === undefined ? undefined : parseParameterText(text);
}

function summary(r: TrainModelResult): string {
  const m = r.manifest, test = m.metrics.test ?? m.metrics.validation;
  const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
  const where = m.metrics.test ? 'test' : 'validation';
  const figures = test ? `; ${where}: ROC AUC ${test.rocAuc === null ? 'n/a' : test.rocAuc.toFixed(3)}, recall ${pct(test.recallAtFpr5)} at FPR <= 5%` : '';
  return `Trained ${m.numTrees} trees in ${m.trainingSeconds.toFixed(1)} s${figures}.`;
}

/** The command. Returns the result (for tests), or undefined when the user cancelled at any step. */
export async function trainDataset(services: Services, arg?: unknown, params?: Hyperparameters): Promise<TrainModelResult | undefined> {
  const datasetDir = datasetDirOf(arg) ?? (await pickVariant(services.workspaceRoot()));
  if (!datasetDir) return undefined;
  const hyper = params ?? (await askHyperparameters());
  if (!hyper) return undefined;
  const name = path.basename(datasetDir);
  const workspace = path.dirname(services.secmlDir()); // secmlDir: a clear message when no folder is open
  const outDir = path.join(modelsFolder(workspace), `${name}-${utcStamp()}`);
  services.logger.info(`Training on ${datasetDir} -> ${outDir}`);
  const result = await services.withProgress(`SecML: training on ${name}`, (signal, onProgress) =>
    trainModel(datasetDir, outDir, hyper, { signal, onProgress, logger: services.logger }),
  );
  if (!result) return undefined;
  services.logger.info(`${summary(result)} Model: ${outDir}`);
  services.modelsChanged.fire();
  void showInfo(`${name}: ${summary(result)}`, 'Open Manifest').then(async (pick) => {
    if (pick) await vscode.window.showTextDocument(vscode.Uri.file(result.manifestFile));
  });
  return result;
}

export function registerTrainCommands(services: Services): void {
  services.registerCommand('secml.trainDataset', (arg?: unknown) => {
    if (arg !== undefined && datasetDirOf(arg) === undefined) throw new SecmlError('BAD_ARGUMENT', 'Train Model on Dataset: choose a dataset variant in the Datasets view or from the palette.');
    return trainDataset(services, arg);
  });
}
