/**
 * "SecML: Flatten Logs" (secml.flattenLogs), from the palette or a right-click on files and folders in the Explorer:
 * a quick-pick flow (format, CSV columns, variants, an optional attacker-only file for training, the dataset name),
 * then flattenToDataset in a cancellable progress notification showing events/s. The dataset goes to
 * `.secml/datasets/<name>/` and appears in the Datasets view. Also registers the Datasets view (one line in extension.ts).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SecmlError } from '../../core/errors';
import { flattenToDataset, type FlattenOptions, type FlattenSummary } from '../../core/features/flatten-dataset';
import { findDatasetVariants } from '../../core/features/manifest';
import { parseVariant } from '../../core/features/variants';
import { sniffLogFile, type LogSniff } from '../../core/logs/detect-format';
import type { ColumnMapping, LogFormat, ReaderOptions } from '../../core/logs/log-event';
import type { ProgressEvent } from '../../core/progress';
import type { Services } from '../services';
import { datasetsFolder, registerDatasetsView } from '../views/datasets-view';
import type { SecmlViews } from '../views/views';
import { showInfo, showWarning } from '../notify';
import { explorerPaths } from './explorer-selection';

const TITLE = 'SecML: Flatten Logs';

/** Answers that skip the prompts (tests, links, other commands). Anything left out is asked. */
export interface FlattenCommandOptions {
  format?: LogFormat;
  columns?: ColumnMapping;
  variants?: string[];
  /** Dataset name: the folder under .secml/datasets/. */
  name?: string;
  /** An attacker-only log for training, or null for none. */
  augment?: string | null;
  /** Replace an existing dataset of the same name without asking. */
  overwrite?: boolean;
}

const FORMAT_LABELS: Record<LogFormat, string> = {
  seed: 'Session log (the seed\'s TSV: SessionNo, LogTime, Act, BadActor)',
  cloudtrail: 'CloudTrail (Records files, .json.gz, JSON lines)',
  csv: 'CSV / TSV with columns you choose (session, event, time, label)',
};

const VARIANT_HINTS: Record<string, string> = {
  full: 'every event of each session',
  'drop:0.2': 'drop a seeded 20% of each session\'s events',
  'first:5': 'the first 5 events (early detection)',
  'first:10': 'the first 10 events',
  'last:5': 'the last 5 events',
  'last:10': 'the last 10 events',
  'middle:5': '5 events from the middle',
  'first:5,min:5': 'the first 5 events of sessions with at least 5',
};

/** The files and folders the command acts on: the Explorer selection, else an open dialog. */
async function chooseInputs(clicked: unknown, selected: unknown): Promise<string[] | undefined> {
  const paths = clicked instanceof vscode.Uri ? explorerPaths(clicked, selected) : typeof clicked === 'string' ? [clicked] : [];
  if (paths.length) return paths;
  const picked = await vscode.window.showOpenDialog({ title: `${TITLE}: log files or folders`, canSelectFiles: true, canSelectFolders: true, canSelectMany: true, openLabel: 'Flatten' });
  return picked?.map((u) => u.fsPath);
}

async function chooseFormat(sniff: LogSniff): Promise<LogFormat | undefined> {
  const order: LogFormat[] = [sniff.format, ...(['seed', 'cloudtrail', 'csv'] as LogFormat[]).filter((f) => f !== sniff.format)];
  const items = order.map((f, i) => ({ label: FORMAT_LABELS[f], description: i === 0 ? '(detected)' : '', format: f }));
  const pick = await vscode.window.showQuickPick(items, { title: `${TITLE}: format`, placeHolder: `Format of ${path.basename(sniff.file)}` });
  return pick?.format;
}

async function chooseColumn(columns: string[], role: string, optional: boolean, guess?: RegExp): Promise<string | null | undefined> {
  const none = { label: '(none)', description: `the log has no ${role} column`, column: null as string | null };
  const items = columns.map((c, i) => ({ label: c || `column ${i + 1}`, description: `column ${i + 1}`, column: c || String(i + 1) as string | null }));
  const guessed = guess ? items.findIndex((it) => guess.test(it.label)) : -1;
  if (guessed > 0) items.unshift(...items.splice(guessed, 1));
  const pick = await vscode.window.showQuickPick(optional ? [...items, none] : items, { title: `${TITLE}: ${role} column`, placeHolder: `Which column holds the ${role}?` });
  return pick ? pick.column : undefined;
}

async function chooseColumns(sniff: LogSniff): Promise<ColumnMapping | undefined> {
  const columns = sniff.columns ?? [];
  if (columns.length < 2) throw new SecmlError('BAD_ARGUMENT', `${sniff.file}: the first line does not look like a CSV/TSV header (found ${columns.length} column).`, { file: sniff.file, line: 1 });
  const session = await chooseColumn(columns, 'session', false, /session|block|user|principal|arn|id$/i);
  if (!session) return undefined;
  const event = await chooseColumn(columns, 'event type', false, /event|act|action|name|type/i);
  if (!event) return undefined;
  const time = await chooseColumn(columns, 'time', true, /time|date|stamp/i);
  if (time === undefined) return undefined;
  const label = await chooseColumn(columns, 'label', true, /label|bad|anomal|attack|malicious/i);
  if (label === undefined) return undefined;
  return { session, event, ...(time ? { time } : {}), ...(label ? { label } : {}) };
}

async function chooseVariants(): Promise<string[] | undefined> {
  const items: (vscode.QuickPickItem & { spec?: string })[] = Object.entries(VARIANT_HINTS).map(([spec, detail]) => ({ label: spec, description: detail, spec, picked: spec === 'full' }));
  items.push({ label: '$(edit) Other variants...', description: 'type specs: full, first:N, last:N, middle:N, drop:P, min:N' });
  const picks = await vscode.window.showQuickPick(items, { title: `${TITLE}: variants`, placeHolder: 'One model is trained per variant. The six seed variants: full, drop:0.2, first:5, first:10, last:5, last:10', canPickMany: true });
  if (!picks || picks.length === 0) return undefined;
  const specs = picks.filter((p) => p.spec).map((p) => p.spec!);
  if (picks.some((p) => !p.spec)) {
    const typed = await vscode.window.showInputBox({
      title: `${TITLE}: other variants`,
      prompt: 'Variant specs separated by spaces or semicolons, e.g. first:20 last:3,min:3 drop:0.5',
      validateInput: (v) => {
        try {
          for (const s of splitSpecs(v)) parseVariant(s);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    });
    if (typed === undefined) return undefined;
    specs.push(...splitSpecs(typed));
  }
  return [...new Set(specs.map((s) => parseVariant(s).spec))];
}

function splitSpecs(text: string): string[] {
  return text.split(/[\s;]+/).filter(Boolean);
}

/** Offers an attacker-only file beside the inputs (like the seed's known-attacker.txt) for training only. */
async function chooseAugment(inputs: string[]): Promise<string | null | undefined> {
  const folders = [...new Set(inputs.map((p) => path.dirname(p)))];
  const candidates: string[] = [];
  for (const dir of folders) {
    for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
      const p = path.join(dir, name);
      if (/attacker/i.test(name) && !inputs.includes(p)) candidates.push(p);
    }
  }
  if (candidates.length === 0) return null;
  const items = [{ label: 'No augmentation', description: 'train on the selected logs only', file: null as string | null }, ...candidates.map((c) => ({ label: `Add ${path.basename(c)} to training`, description: 'attacker-only sessions, training split only (as the seed did)', file: c as string | null }))];
  const pick = await vscode.window.showQuickPick(items, { title: `${TITLE}: augmentation`, placeHolder: 'Add an attacker-only log to the training split?' });
  return pick ? pick.file : undefined;
}

function defaultName(inputs: string[]): string {
  const base = inputs.length === 1 ? path.basename(inputs[0]).replace(/(\.json)?(\.gz)?$|\.[^.]+$/i, '') : `${path.basename(path.dirname(inputs[0]))}-${inputs.length}-files`;
  return base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '') || 'dataset';
}

/** A folder name under .secml/datasets: no separators, no leading dot, nothing that climbs out. */
const DATASET_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const DATASET_NAME_RULE = 'Use letters, digits, ".", "_" and "-" (up to 100), starting with a letter or digit';

async function chooseName(services: Services, inputs: string[]): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `${TITLE}: dataset name`,
    prompt: `The dataset goes to ${path.join('.secml', 'datasets', '<name>')} in the workspace`,
    value: defaultName(inputs),
    validateInput: (v) => (DATASET_NAME.test(v) ? undefined : DATASET_NAME_RULE),
  });
}

/** Asks before replacing an existing dataset; false when the user backs out. */
async function confirmOverwrite(outDir: string): Promise<boolean> {
  const exists = await fs.stat(outDir).then(
    () => true,
    () => false,
  );
  if (!exists) return true;
  if ((await findDatasetVariants(outDir).catch(() => [])).length === 0) {
    throw new SecmlError('CONFLICT', `${outDir} exists and is not a SecML dataset; choose another name.`);
  }
  const answer = await showWarning(`A dataset named "${path.basename(outDir)}" already exists. Replace it?`, { modal: true }, 'Replace');
  return answer === 'Replace';
}

function progressText(p: ProgressEvent): ProgressEvent {
  const rate = p.rate ? ` · ${p.rate >= 1e6 ? `${(p.rate / 1e6).toFixed(1)}M` : `${Math.round(p.rate / 1000)}k`} events/s` : '';
  return { ...p, message: `${p.message ?? ''}${rate}` };
}

function summaryText(s: FlattenSummary): string {
  const n = (x: number) => x.toLocaleString('en-US');
  const variants = s.variants.map((v) => v.name).join(', ');
  return `Flattened ${n(s.events)} events into ${n(s.sessions)} sessions (${n(s.positives)} positive) in ${(s.elapsedMs / 1000).toFixed(1)} s: ${s.variants.length} variant${s.variants.length === 1 ? '' : 's'} (${variants}).`;
}

async function flattenLogs(services: Services, clicked?: unknown, selected?: unknown, answers: FlattenCommandOptions = {}): Promise<FlattenSummary | undefined> {
  const root = services.workspaceRoot();
  if (!root) throw new SecmlError('BAD_ARGUMENT', 'Open a folder first: datasets are written to .secml/datasets in the workspace.');
  const inputs = await chooseInputs(clicked, selected);
  if (!inputs?.length) return undefined;
  const sniff = await sniffLogFile(inputs[0]);
  const format = answers.format ?? (await chooseFormat(sniff));
  if (!format) return undefined;
  let columns = answers.columns;
  if (format === 'csv' && !columns) {
    const csvSniff = sniff.format === 'csv' || sniff.format === 'seed' ? sniff : { ...sniff, columns: [] };
    columns = await chooseColumns(csvSniff);
    if (!columns) return undefined;
  }
  const variants = answers.variants ?? (await chooseVariants());
  if (!variants) return undefined;
  const augment = answers.augment !== undefined ? answers.augment : format === 'cloudtrail' ? null : await chooseAugment(inputs);
  if (augment === undefined) return undefined;
  const name = answers.name ?? (await chooseName(services, inputs));
  if (!name) return undefined;
  if (!DATASET_NAME.test(name)) throw new SecmlError('BAD_ARGUMENT', `"${name}" is not a dataset name. ${DATASET_NAME_RULE}.`);
  const outDir = path.join(datasetsFolder(root), name);
  if (!answers.overwrite && !(await confirmOverwrite(outDir))) return undefined;

  const settings = services.settings().flatten;
  const reader: Partial<ReaderOptions> = { format, strict: settings.strict };
  if (format === 'csv') reader.columns = columns;
  if (format === 'cloudtrail') reader.sessionGapMinutes = settings.sessionGapMinutes;
  const options: FlattenOptions = { reader, variants, augment: augment ?? undefined, name, overwrite: true, threads: settings.threads };
  services.logger.info(`Flattening ${inputs.join(', ')} (${format}; variants ${variants.join(' ')}) into ${outDir}`);
  const summary = await services.withProgress(TITLE, (signal, onProgress) =>
    flattenToDataset(inputs, outDir, options, { signal, onProgress: (p) => onProgress(progressText(p)), logger: services.logger }),
  );
  if (!summary) return undefined;
  services.datasetsChanged.fire();
  services.logger.info(summaryText(summary));
  for (const r of summary.skipped.first) services.logger.warn(`skipped ${r.file}:${r.line}: ${r.reason}`);
  void announce(services, summary);
  return summary;
}

/** The result notification (not awaited: the command completes while it waits for the user). */
async function announce(services: Services, s: FlattenSummary): Promise<void> {
  const show = 'Show in Datasets';
  const manifest = 'Open Manifest';
  const log = 'Show Log';
  const extra: string[] = [];
  if (s.skipped.count) extra.push(`${s.skipped.count.toLocaleString('en-US')} malformed row(s) skipped (first: ${path.basename(s.skipped.first[0].file)}:${s.skipped.first[0].line}: ${s.skipped.first[0].reason}).`);
  if (s.augment?.droppedOverlapping) extra.push(`${s.augment.droppedOverlapping} augmentation session(s) also in the logs were left out of training.`);
  const text = [summaryText(s), ...extra].join(' ');
  const pick = await (s.skipped.count ? showWarning(text, show, manifest, log) : showInfo(text, show, manifest));
  if (pick === show) await vscode.commands.executeCommand('secml.datasets.focus');
  else if (pick === manifest) await vscode.commands.executeCommand('secml.dataset.openManifest', s.variants[0].dir);
  else if (pick === log) services.output.show(true);
}

export function registerFlatten(services: Services, views: SecmlViews): void {
  registerDatasetsView(services, views);
  services.registerCommand('secml.flattenLogs', (clicked?: unknown, selected?: unknown, answers?: FlattenCommandOptions) => flattenLogs(services, clicked, selected, answers));
}
