/**
 * The Datasets view: every flattened dataset of the workspace (`.secml/datasets/*`, and any other folder holding a
 * SecML dataset manifest), each with its variants, each variant with its train / validation / test splits (sessions
 * and positive rate). Open Manifest, Reveal in Explorer and Delete (with confirmation) act on datasets and variants.
 * Refreshes on services.datasetsChanged and when a manifest appears or disappears on disk (e.g. from the CLI).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { SecmlError } from '../../core/errors';
import { listDatasets, type DatasetEntry } from '../../core/features/dataset-list';
import { findDatasetVariants, type DatasetManifest } from '../../core/features/manifest';
import { SPLIT_NAMES, type SplitName } from '../../core/features/split';
import type { Services } from '../services';
import { loadChildren, type TreeNode } from './tree';
import type { SecmlViews } from './views';
import { showWarning } from '../notify';

const number = (n: number) => n.toLocaleString('en-US');
const rate = (positives: number, sessions: number, labels?: DatasetManifest['labels']) =>
  labels === 'none' ? 'no labels' : sessions ? `${((100 * positives) / sessions).toFixed(positives && positives < sessions / 1000 ? 2 : 1)}% positive` : 'empty';

export class SplitNode implements TreeNode {
  readonly id: string;
  parent?: TreeNode;
  constructor(
    readonly variantDir: string,
    readonly split: SplitName,
    private readonly manifest: DatasetManifest,
  ) {
    this.id = `dataset-split:${variantDir}:${split}`;
  }
  treeItem(): vscode.TreeItem {
    const c = this.manifest.counts.splits[this.split];
    const item = new vscode.TreeItem(this.split, vscode.TreeItemCollapsibleState.None);
    item.id = this.id;
    // The positive rate first: a narrow sidebar cuts the end of the description.
    item.description = `${rate(c.positives, c.sessions, this.manifest.labels)} · ${number(c.sessions)} sessions`;
    item.iconPath = new vscode.ThemeIcon(this.split === 'train' ? 'mortar-board' : this.split === 'validation' ? 'checklist' : 'beaker');
    const file = path.join(this.variantDir, this.manifest.files[this.split]);
    item.tooltip = `${file}\n${number(c.sessions)} sessions, ${number(c.positives)} positive (label first, no header)`;
    item.resourceUri = vscode.Uri.file(file);
    item.command = { command: 'vscode.open', title: 'Open', arguments: [vscode.Uri.file(file)] };
    item.contextValue = 'datasetSplit';
    return item;
  }
}

export class VariantNode implements TreeNode {
  readonly id: string;
  parent?: TreeNode;
  constructor(
    readonly variantDir: string,
    readonly manifest: DatasetManifest,
  ) {
    this.id = `dataset-variant:${variantDir}`;
  }
  /** For commands (Train Model on Dataset reads `variantDir`). */
  get datasetDir(): string {
    return this.variantDir;
  }
  treeItem(): vscode.TreeItem {
    const m = this.manifest;
    const item = new vscode.TreeItem(m.variant.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    item.description = `${rate(m.counts.positives, m.counts.sessions, m.labels)} · ${number(m.counts.sessions)} sessions${m.variant.spec !== m.variant.name ? ` · ${m.variant.spec}` : ''}`;
    item.iconPath = new vscode.ThemeIcon('layers');
    item.tooltip = new vscode.MarkdownString(undefined, false);
    item.tooltip.appendText(`${m.name} / ${m.variant.name} (${m.variant.spec})\n`);
    item.tooltip.appendText(`${number(m.counts.sessions)} sessions, ${number(m.counts.positives)} positive; ${number(m.counts.keptEvents)} of ${number(m.counts.events)} events kept\n`);
    item.tooltip.appendText(`${m.features.length} features (${m.vocabulary.length} event types${m.timeFeatures ? ' + session-time features' : ''})\n`);
    if (m.counts.skippedRows) item.tooltip.appendText(`${number(m.counts.skippedRows)} malformed rows skipped\n`);
    item.tooltip.appendText(this.variantDir);
    item.contextValue = 'datasetVariant';
    return item;
  }
  async children(): Promise<TreeNode[]> {
    return SPLIT_NAMES.map((s) => new SplitNode(this.variantDir, s, this.manifest));
  }
}

export class DatasetNode implements TreeNode {
  readonly id: string;
  parent?: TreeNode;
  constructor(
    readonly entry: DatasetEntry,
    private readonly root: string | undefined,
  ) {
    this.id = `dataset:${entry.dir}`;
  }
  get datasetDir(): string {
    return this.entry.dir;
  }
  treeItem(): vscode.TreeItem {
    const { entry } = this;
    const first = entry.variants[0].manifest;
    const item = new vscode.TreeItem(entry.name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = this.id;
    const kinds = `${entry.variants.length} variant${entry.variants.length === 1 ? '' : 's'}`;
    const sessions = Math.max(...entry.variants.map((v) => v.manifest.counts.sessions));
    item.description = `${kinds} · ${number(sessions)} sessions · ${first.reader.format}`;
    item.iconPath = new vscode.ThemeIcon('database');
    const where = this.root && entry.dir.startsWith(this.root + path.sep) ? path.relative(this.root, entry.dir) : entry.dir;
    item.tooltip = `${where}\nfrom ${first.sources.map((s) => path.basename(s.path)).slice(0, 5).join(', ')}${first.sources.length > 5 ? ', ...' : ''}\ncreated ${first.createdAt.slice(0, 16).replace('T', ' ')}`;
    item.contextValue = 'dataset';
    return item;
  }
  async children(): Promise<TreeNode[]> {
    return this.entry.variants.map((v) => new VariantNode(v.dir, v.manifest));
  }
}

/** `<workspace>/.secml/datasets`, where the Flatten Logs command writes. */
export function datasetsFolder(root: string): string {
  return path.join(root, '.secml', 'datasets');
}

/** Manifests not searched for: node_modules, the home folder (listed directly), experiments' own datasets unless asked for (the train picker). */
const NOT_DATASETS = '{**/node_modules/**,**/.secml/datasets/**,**/.secml/experiments/**}';
const NOT_DATASETS_BUT_EXPERIMENTS = '{**/node_modules/**,**/.secml/datasets/**}';

/** Every dataset of the workspace: `.secml/datasets/*` first (newest first), then datasets found elsewhere (core's listDatasets). */
export async function listWorkspaceDatasets(root: string, options: { experiments?: boolean } = {}): Promise<DatasetEntry[]> {
  const manifests = await vscode.workspace.findFiles('**/manifest.json', options.experiments ? NOT_DATASETS_BUT_EXPERIMENTS : NOT_DATASETS, 500);
  return listDatasets(datasetsFolder(root), manifests.map((u) => u.fsPath));
}

/** The folder a command argument points at: a dataset, variant or split node, a Uri or a path. */
function folderOf(arg: unknown): string | undefined {
  if (arg instanceof DatasetNode) return arg.entry.dir;
  if (arg instanceof VariantNode || arg instanceof SplitNode) return arg.variantDir;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'string') return arg;
  return undefined;
}

async function openManifest(arg: unknown): Promise<void> {
  const dir = folderOf(arg);
  if (!dir) throw new SecmlError('BAD_ARGUMENT', 'Choose a dataset or a variant in the Datasets view.');
  const variants = await findDatasetVariants(dir);
  if (variants.length === 0) throw new SecmlError('NOT_FOUND', `${dir} holds no dataset manifest.`);
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(variants[0], 'manifest.json')));
  await vscode.window.showTextDocument(doc, { preview: true });
}

async function reveal(services: Services, arg: unknown): Promise<void> {
  const dir = folderOf(arg);
  if (!dir) throw new SecmlError('BAD_ARGUMENT', 'Choose a dataset or a variant in the Datasets view.');
  const root = services.workspaceRoot();
  if (root && dir.startsWith(root + path.sep)) await vscode.commands.executeCommand('revealInExplorer', vscode.Uri.file(dir));
  else await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(dir));
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const e of await fs.readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? await folderBytes(p) : (await fs.stat(p)).size;
  }
  return total;
}

/** Deletes a dataset (or one variant of it) after a modal confirmation; never a folder that is not a dataset. */
async function deleteDataset(services: Services, arg: unknown): Promise<boolean> {
  const dir = folderOf(arg);
  if (!dir || arg instanceof SplitNode) throw new SecmlError('BAD_ARGUMENT', 'Choose a dataset or a variant in the Datasets view.');
  const variants = await findDatasetVariants(dir).catch(() => [] as string[]);
  if (variants.length === 0) throw new SecmlError('NOT_FOUND', `${dir} is not a SecML dataset; nothing was deleted.`);
  const isVariant = arg instanceof VariantNode && arg.parent instanceof DatasetNode && arg.parent.entry.dir !== dir;
  const what = isVariant ? `variant "${path.basename(dir)}" of dataset "${path.basename(path.dirname(dir))}"` : `dataset "${path.basename(dir)}" (${variants.length} variant${variants.length === 1 ? '' : 's'})`;
  const size = await folderBytes(dir).catch(() => 0);
  const answer = await showWarning(`Delete ${what}? This removes ${dir} (${(size / 1e6).toFixed(1)} MB). The source logs are not touched.`, { modal: true }, 'Delete');
  if (answer !== 'Delete') return false;
  await fs.rm(dir, { recursive: true, force: true });
  if (isVariant) {
    const parent = path.dirname(dir);
    // The dataset's folder goes too once its last variant is gone, but only when nothing else is left in it.
    if ((await findDatasetVariants(parent).catch(() => [])).length === 0) await fs.rmdir(parent).catch(() => {});
  }
  services.logger.info(`Deleted ${dir}`);
  services.datasetsChanged.fire();
  return true;
}

export function registerDatasetsView(services: Services, views: SecmlViews): void {
  views.datasets.addSection(async () => {
    const root = services.workspaceRoot();
    if (!root) return [];
    return loadChildren(services, 'datasets', async () => (await listWorkspaceDatasets(root)).map((e) => new DatasetNode(e, root)));
  });
  services.registerCommand('secml.dataset.openManifest', (arg: unknown) => openManifest(arg));
  services.registerCommand('secml.dataset.reveal', (arg: unknown) => reveal(services, arg));
  services.registerCommand('secml.dataset.delete', (arg: unknown) => deleteDataset(services, arg));
  // Datasets written by the CLI (or deleted outside VS Code) show up without a manual refresh.
  const watcher = vscode.workspace.createFileSystemWatcher('**/manifest.json');
  let timer: NodeJS.Timeout | undefined;
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => services.datasetsChanged.fire(), 300);
  };
  services.track(watcher.onDidCreate(changed));
  services.track(watcher.onDidDelete(changed));
  services.track(watcher);
  services.track({ dispose: () => clearTimeout(timer) });
}
