/**
 * All-or-nothing output folders: a dataset is written into a hidden staging folder beside its destination and moved
 * into place only when complete, so a failure or a cancel never leaves half a dataset. An existing destination is
 * replaced only when asked and only when it is a dataset, or when it is truly empty: never an arbitrary folder, and never
 * one whose only entries are hidden (`.git`, `.env` count as content).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { SecmlError } from '../errors';
import { findDatasetVariants } from './manifest';

export async function checkOutputFolder(outDir: string, overwrite: boolean): Promise<void> {
  const st = await fs.stat(outDir).catch(() => undefined);
  if (!st) return;
  if (!st.isDirectory()) throw new SecmlError('CONFLICT', `${outDir} exists and is not a folder`);
  if ((await fs.readdir(outDir)).length === 0) return;
  const isDataset = (await findDatasetVariants(outDir).catch(() => [])).length > 0;
  if (!isDataset) throw new SecmlError('CONFLICT', `${outDir} exists and is not a SecML dataset; choose another output folder`);
  if (!overwrite) throw new SecmlError('CONFLICT', `${outDir} already holds a dataset; pass --force (or choose Overwrite) to replace it`);
}

export async function makeStagingFolder(outDir: string): Promise<string> {
  const parent = path.dirname(path.resolve(outDir));
  await fs.mkdir(parent, { recursive: true });
  const stage = path.join(parent, `.${path.basename(outDir)}.partial-${randomBytes(4).toString('hex')}`);
  await fs.mkdir(stage);
  return stage;
}

/** Moves a complete staging folder into place, replacing what was there. */
export async function publishStagingFolder(stage: string, outDir: string): Promise<void> {
  const old = `${stage.replace(/\.partial-/, '.old-')}`;
  const had = await fs.stat(outDir).then(
    () => true,
    () => false,
  );
  if (had) await fs.rename(outDir, old);
  try {
    await fs.rename(stage, outDir);
  } catch (e) {
    if (had) await fs.rename(old, outDir).catch(() => {});
    throw new SecmlError('IO', `Could not move the new dataset into ${outDir}: ${(e as Error).message}`, { cause: e });
  }
  if (had) await fs.rm(old, { recursive: true, force: true });
}

export async function discardStagingFolder(stage: string): Promise<void> {
  await fs.rm(stage, { recursive: true, force: true }).catch(() => {});
}
