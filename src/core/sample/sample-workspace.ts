/**
 * generateSampleWorkspace: writes the demo workspace (session logs in the seed's format, a CloudTrail folder,
 * an experiment spec, hunting queries, a README). Deterministic for a seed and scale: byte-identical files.
 * Everything is written into a hidden staging folder first and moved into place at the end, so a failure or a
 * cancel leaves the target folder as it was.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { SecmlError } from '../errors';
import { exists } from '../fs-atomic';
import { throttle, throwIfAborted, type WorkOptions } from '../progress';
import { ACCOUNT } from './cloudtrail/principals';
import { writeSampleTrail, type SampleTrailSummary } from './cloudtrail/sample-trail';
import { CustomerBase } from './customers';
import { Random } from './prng';
import { SESSION_FILE_PLANS, SessionNumbering, scaledCounts, writeSessionFile, type SessionFileSummary } from './session-files';
import { huntingQueries, sampleExperimentSpec, workspaceReadme } from './workspace-files';

export interface SampleOptions {
  /** Any safe integer; default 42. */
  seed?: number;
  /** Multiplies the number of sessions (0 < scale <= 1000); default 1 (about the seed's size: 256k rows in the training files). */
  scale?: number;
  /** Overwrite sample files already in the folder. */
  force?: boolean;
}

export interface SampleWorkspaceSummary {
  outDir: string;
  seed: number;
  scale: number;
  sessionLogs: SessionFileSummary[];
  totals: { rows: number; sessions: number; attackerSessions: number; attackerRows: number };
  cloudTrail: SampleTrailSummary;
  /** Every path written, relative to outDir (the CloudTrail folder as one entry). */
  files: string[];
}

export const SPEC_FILE = 'sample.secml.json';
export const README_FILE = 'README.md';
export const QUERIES_FILE = 'queries/hunting.sql';
export const CLOUDTRAIL_FOLDER = `AWSLogs/${ACCOUNT}/CloudTrail`;

/** What generateSampleWorkspace writes, relative to the target folder. */
export function sampleWorkspaceEntries(): string[] {
  return [...SESSION_FILE_PLANS.map((p) => p.file), CLOUDTRAIL_FOLDER, SPEC_FILE, QUERIES_FILE, README_FILE];
}

/** The entries that already exist in `outDir` (a non-empty answer means generating would overwrite them). */
export async function existingSampleEntries(outDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const e of sampleWorkspaceEntries()) if (await exists(path.join(outDir, e))) found.push(e);
  return found;
}

function checkOptions(o: SampleOptions): { seed: number; scale: number } {
  const seed = o.seed ?? 42;
  const scale = o.scale ?? 1;
  if (!Number.isSafeInteger(seed)) throw new SecmlError('BAD_ARGUMENT', `The seed must be a whole number, got ${seed}.`);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1000) throw new SecmlError('BAD_ARGUMENT', `The scale must be a number above 0 and at most 1000, got ${scale}.`);
  return { seed, scale };
}

export async function generateSampleWorkspace(outDir: string, options: SampleOptions = {}, work: WorkOptions = {}): Promise<SampleWorkspaceSummary> {
  const { seed, scale } = checkOptions(options);
  const { signal, logger } = work;
  const root = path.resolve(outDir);
  const clashes = await existingSampleEntries(root);
  if (clashes.length && !options.force) {
    throw new SecmlError('CONFLICT', `${root} already holds ${clashes.join(', ')}; choose an empty folder, or overwrite them (secml sample --force).`, { details: { existing: clashes } });
  }
  await mkdir(root, { recursive: true }).catch((e: Error) => {
    throw new SecmlError('IO', `Cannot create ${root}: ${e.message}`, { file: root, cause: e });
  });
  const staging = path.join(root, `.secml-sample-${randomBytes(6).toString('hex')}.tmp`);
  await mkdir(staging);
  try {
    const logs = await writeSessionLogs(staging, seed, scale, work);
    throwIfAborted(signal);
    work.onProgress?.({ message: 'CloudTrail files', fraction: 0.97 });
    const trail = await writeSampleTrail(staging, seed, signal);
    await writeFile(path.join(staging, SPEC_FILE), JSON.stringify(sampleExperimentSpec(), null, 2) + '\n');
    await mkdir(path.join(staging, 'queries'));
    await writeFile(path.join(staging, QUERIES_FILE), huntingQueries(trail));
    await writeFile(path.join(staging, README_FILE), workspaceReadme(seed, scale, logs, trail));
    throwIfAborted(signal);
    const files = sampleWorkspaceEntries();
    for (const entry of files) {
      const target = path.join(root, entry);
      await rm(target, { recursive: true, force: true });
      await mkdir(path.dirname(target), { recursive: true });
      await rename(path.join(staging, entry), target);
    }
    const totals = { rows: 0, sessions: 0, attackerSessions: 0, attackerRows: 0 };
    for (const f of logs) {
      totals.rows += f.rows;
      totals.sessions += f.sessions;
      totals.attackerSessions += f.attackerSessions;
      totals.attackerRows += f.attackerRows;
    }
    logger?.info(`Sample workspace in ${root}: ${totals.rows} session-log rows, ${totals.sessions} sessions, ${trail.events} CloudTrail events in ${trail.files} files.`);
    work.onProgress?.({ message: 'done', fraction: 1 });
    return { outDir: root, seed, scale, sessionLogs: logs, totals, cloudTrail: trail, files };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code && !(e instanceof SecmlError)) {
      throw new SecmlError('IO', `Writing the sample workspace in ${root} failed: ${(e as Error).message}`, { file: root, cause: e });
    }
    throw e;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function writeSessionLogs(dir: string, seed: number, scale: number, work: WorkOptions): Promise<SessionFileSummary[]> {
  const rng = new Random(seed, 'sessions');
  const customers = new CustomerBase(rng.fork('customers'), Math.max(300, Math.round(2500 * Math.sqrt(scale))), 30);
  const numbering = new SessionNumbering();
  const total = SESSION_FILE_PLANS.reduce((s, p) => s + scaledCounts(p, scale).sessions, 0);
  const report = throttle(work.onProgress, 250);
  const t0 = performance.now();
  let sessionsBefore = 0;
  let rowsBefore = 0;
  const out: SessionFileSummary[] = [];
  for (const plan of SESSION_FILE_PLANS) {
    const summary = await writeSessionFile(path.join(dir, plan.file), plan, {
      rng: rng.fork(plan.file),
      customers,
      numbering,
      scale,
      signal: work.signal,
      onSessions: (started, rows) => {
        const done = rowsBefore + rows;
        report({ message: `${plan.file}: ${done.toLocaleString('en-US')} rows`, fraction: (0.97 * (sessionsBefore + started)) / total, done, unit: 'rows', rate: done / ((performance.now() - t0) / 1000 || 1) });
      },
    });
    sessionsBefore += summary.sessions;
    rowsBefore += summary.rows;
    work.logger?.debug(`${plan.file}: ${summary.rows} rows, ${summary.sessions} sessions, ${summary.attackerSessions} attacker sessions`);
    out.push(summary);
  }
  return out;
}
