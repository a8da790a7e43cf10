/**
 * The flattened datasets in a workspace, for the Datasets view and the dataset pickers: the datasets in the home
 * folder (`.secml/datasets/*`, newest first), then those found elsewhere from their manifest files (e.g. written by
 * `secml flatten --out ds`). Only variants whose manifest validates (readDatasetManifest) are listed; each manifest is
 * read once per listing.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { findDatasetVariants, MANIFEST_FILE, readDatasetManifest, type DatasetManifest } from './manifest';

export interface DatasetVariantEntry {
  dir: string;
  manifest: DatasetManifest;
}

export interface DatasetEntry {
  /** The dataset folder (holds manifest.json itself when it has one variant). */
  dir: string;
  name: string;
  variants: DatasetVariantEntry[];
}

type ManifestOf = (dir: string) => Promise<DatasetManifest | undefined>;

/** Reads a folder's manifest at most once; undefined when it is missing or does not validate. */
function manifestReader(): ManifestOf {
  const read = new Map<string, Promise<DatasetManifest | undefined>>();
  return (dir) => {
    let m = read.get(dir);
    if (!m) read.set(dir, (m = readDatasetManifest(dir).catch(() => undefined)));
    return m;
  };
}

const hasManifest = (dir: string) => fs.stat(path.join(dir, MANIFEST_FILE)).then(
  () => true,
  () => false,
);

/** A dataset folder with its readable variants (variants whose manifest does not validate are left out). */
export async function readDatasetEntry(dir: string, manifestOf: ManifestOf = manifestReader()): Promise<DatasetEntry | undefined> {
  const variants: DatasetVariantEntry[] = [];
  for (const v of await findDatasetVariants(dir).catch(() => [] as string[])) {
    const manifest = await manifestOf(v);
    if (manifest) variants.push({ dir: v, manifest });
  }
  if (variants.length === 0) return undefined;
  const single = variants.length === 1 && variants[0].dir === dir;
  return { dir, name: single ? variants[0].manifest.name || path.basename(dir) : path.basename(dir), variants };
}

/**
 * Every dataset: the folders of `home` first (newest first), then the datasets of `manifestFiles` found elsewhere, in
 * path order. A manifest's dataset is its folder, or the parent folder when the manifest names it a variant of that
 * parent (same variant name as its folder, same dataset name as the parent, and no manifest in the parent).
 */
export async function listDatasets(home: string, manifestFiles: readonly string[]): Promise<DatasetEntry[]> {
  const manifestOf = manifestReader();
  const entries: DatasetEntry[] = [];
  const names = await fs.readdir(home, { withFileTypes: true }).catch(() => []);
  for (const d of names) {
    if (!d.isDirectory() || d.name.startsWith('.')) continue;
    const entry = await readDatasetEntry(path.join(home, d.name), manifestOf);
    if (entry) entries.push(entry);
  }
  const created = (e: DatasetEntry) => Date.parse(e.variants[0].manifest.createdAt) || 0;
  entries.sort((a, b) => created(b) - created(a));
  const seen = new Set(entries.map((e) => e.dir));

  const dirs = new Set<string>();
  for (const file of manifestFiles) {
    const dir = path.dirname(file);
    if (dir.startsWith(home + path.sep)) continue;
    const parent = path.dirname(dir);
    const m = await manifestOf(dir);
    const isVariant = Boolean(m && m.variant.name === path.basename(dir) && m.name === path.basename(parent)) && !(await hasManifest(parent));
    dirs.add(isVariant ? parent : dir);
  }
  for (const dir of [...dirs].sort()) {
    if (seen.has(dir)) continue;
    const entry = await readDatasetEntry(dir, manifestOf);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** The variants of `entries`, newest first (the order a dataset picker shows). */
export function newestVariants(entries: readonly DatasetEntry[]): DatasetVariantEntry[] {
  const created = (v: DatasetVariantEntry) => Date.parse(v.manifest.createdAt) || 0;
  return entries.flatMap((e) => e.variants).sort((a, b) => created(b) - created(a));
}
