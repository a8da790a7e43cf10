/**
 * "SecML: Score This Log File" (secml.scoreLogFile), from the Explorer's context menu (files and folders), the editor
 * title of an open log and the palette: pick a model (local run or SageMaker endpoint), choose where the scores CSV goes
 * (never over an existing file without asking), score with progress and Cancel, and show the ranked sessions in the
 * results panel. Returns a summary (automation, tests).
 */
import * as vscode from 'vscode';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SecmlError } from '../../core/errors';
import { RunStore } from '../../core/experiments/run-store';
import { loadLocalScoringModel } from '../../core/scoring/local-model';
import { endpointRun } from '../../core/scoring/model-choices';
import { scoreLogs } from '../../core/scoring/score-logs';
import { scoreSummary, unseenMessage, type ScoreSummary } from '../../core/scoring/score-summary';
import { defaultScoresPath, writeScoresCsv } from '../../core/scoring/scores-csv';
import type { ScoringModel } from '../../core/scoring/scoring-model';
import type { SageMakerFeature } from '../sagemaker/register';
import { awsCore } from '../sagemaker/core';
import type { Services } from '../services';
import { ScorePanel } from '../panels/score-panel';
import type { ScoreJob } from '../panels/score-view-data';
import { explorerPaths } from './explorer-selection';
import { LAST_MODEL_KEY, pickModel, type ModelRef } from './score-model-picker';
import { showWarning } from '../notify';

/** Automation (tests, other commands): skip the questions. */
export interface ScoreCommandOptions {
  /** Input files or folders (instead of the clicked resource). */
  inputs?: string[];
  model?: ModelRef;
  /** Where the scores CSV goes (default: `<input>.scores.csv`); `false` writes none. */
  out?: string | false;
  /** Replace an existing scores CSV without asking. */
  overwrite?: boolean;
  threshold?: number;
}

export interface ScoreCommandResult extends ScoreSummary {
  panelTitle: string;
}

function isOptions(v: unknown): v is ScoreCommandOptions {
  return typeof v === 'object' && v !== null && !(v instanceof vscode.Uri) && !Array.isArray(v);
}

/** The resources to score: the clicked one (or the Explorer selection), the active editor's file, or a file dialog. */
async function inputsOf(arg: unknown, second: unknown): Promise<string[] | undefined> {
  if (arg instanceof vscode.Uri) return explorerPaths(arg, second);
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file' && !doc.isUntitled) return [doc.uri.fsPath];
  const picked = await vscode.window.showOpenDialog({ canSelectMany: true, canSelectFiles: true, canSelectFolders: false, openLabel: 'Score', title: 'Score which log files?' });
  return picked?.map((u) => u.fsPath);
}

const exists = (p: string) => fs.stat(p).then(() => true, () => false);

/** Where the scores CSV goes; asks before replacing a file; undefined means "write none". */
async function scoresTarget(inputs: string[], o: ScoreCommandOptions): Promise<string | undefined> {
  if (o.out === false) return undefined;
  let target = o.out ?? defaultScoresPath(inputs[0]);
  for (;;) {
    if (o.overwrite || !(await exists(target))) return target;
    if (o.out !== undefined) throw new SecmlError('CONFLICT', 'already exists: choose another file, or allow overwriting it.', { file: target });
    const choice = await showWarning(
      `${path.basename(target)} already exists in ${path.dirname(target)}.`,
      { modal: true, detail: 'Replace it with the new scores, write them to another folder, or score without writing a CSV (Export CSV in the results panel writes one later).' },
      'Overwrite',
      'Choose Folder…',
      "Don't Write",
    );
    if (choice === 'Overwrite') return target;
    if (choice !== 'Choose Folder…') return undefined;
    const folder = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, openLabel: 'Write Scores Here', defaultUri: vscode.Uri.file(path.dirname(target)) });
    if (!folder?.[0]) return undefined;
    target = defaultScoresPath(inputs[0], folder[0].fsPath);
  }
}

export function registerScore(services: Services, sagemaker: SageMakerFeature): void {
  async function modelOf(ref: ModelRef, signal: AbortSignal): Promise<ScoringModel> {
    if (ref.startsWith('local:')) return loadLocalScoringModel(ref.slice('local:'.length));
    const name = ref.replace(/^endpoint:/, '');
    if (!sagemaker.aws.isConfigured()) throw new SecmlError('AWS_AUTH', `Scoring with endpoint ${name} needs AWS: run "SecML: Configure AWS" first.`);
    const root = services.workspaceRoot();
    if (!root) throw new SecmlError('NOT_FOUND', `Open the workspace whose run deployed endpoint ${name}: its run store holds the vocabulary the endpoint expects.`);
    const api = awsCore();
    const session = sagemaker.aws.session();
    const ep = await api.describeScoringEndpoint(session, name, signal);
    const r = await endpointRun(RunStore.forWorkspace(root), name, ep.tags);
    return api.endpointScoringModel(session, { endpointName: name, info: r.described.info, threshold: r.threshold, label: `${name} (${r.run.experiment} / ${r.run.variant})` });
  }

  async function score(inputs: string[], ref: ModelRef, o: ScoreCommandOptions): Promise<ScoreCommandResult | undefined> {
    const csv = await scoresTarget(inputs, o);
    const names = inputs.map((i) => path.basename(i)).join(', ');
    const outcome = await services.withProgress(`Scoring ${names}`, async (signal, onProgress) => {
      onProgress({ message: 'Loading the model' });
      const model = await modelOf(ref, signal);
      onProgress({ message: `with ${model.label}` });
      const result = await scoreLogs(inputs, model, { threshold: o.threshold }, { signal, onProgress, logger: services.logger });
      if (csv) await writeScoresCsv(result, csv, { overwrite: true });
      return result;
    });
    if (!outcome) return undefined;
    await services.context.workspaceState.update(LAST_MODEL_KEY, ref);
    const summary = scoreSummary(outcome, 20);
    services.logger.info(`Scored ${summary.sessions} sessions of ${names} with ${outcome.model.label}: ${summary.flagged} flagged at ${summary.threshold}${csv ? `; scores in ${csv}` : ''}`);
    const unseen = unseenMessage(outcome.table.unseen);
    if (unseen) {
      services.logger.warn(`${names}: ${unseen}`);
      void showWarning(`${names}: ${unseen}`);
    }
    const job: ScoreJob = { inputs: inputs.map((i) => path.resolve(i)), model: ref };
    const panel = ScorePanel.show(services, job, (j) => score(j.inputs, j.model, {}));
    panel.setResult(outcome, csv);
    return { ...summary, ...(csv ? { scoresCsv: csv } : {}), panelTitle: panel.panel.title };
  }

  ScorePanel.register(services, (job) => score(job.inputs, job.model, {}));

  services.registerCommand('secml.scoreLogFile', async (arg?: unknown, second?: unknown): Promise<ScoreCommandResult | undefined> => {
    const o: ScoreCommandOptions = isOptions(second) ? second : isOptions(arg) ? arg : {};
    const inputs = o.inputs ?? (await inputsOf(isOptions(arg) ? undefined : arg, second));
    if (!inputs?.length) return undefined;
    const names = inputs.map((i) => path.basename(i)).join(', ');
    const ref = o.model ?? (await pickModel({ services, title: `Score ${names} with which model?`, endpoints: sagemaker.aws.isConfigured() ? () => sagemaker.endpoints.endpoints() : undefined }));
    if (!ref) return undefined;
    return score(inputs, ref, o);
  });
}
