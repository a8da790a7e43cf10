/**
 * Tests that need an external tool (moto_server, real XGBoost, DuckDB's CLI, pandas, code-server, chromium) call
 * requireTool(): where the tool is missing the test is skipped with a printed reason, except under CI=true, where a
 * missing tool fails the test (CI must run every tier).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const printed = new Set<string>();

export function isCI(): boolean {
  return process.env.CI === 'true' || process.env.CI === '1';
}

/** Returns true when `check()` passes; otherwise skips the current test (or fails it under CI). */
export function requireTool(ctx: Mocha.Context, name: string, check: () => boolean, installHint: string): void {
  let ok = false;
  try {
    ok = check();
  } catch {
    ok = false;
  }
  if (ok) return;
  const reason = `${name} is not available (${installHint})`;
  if (isCI()) throw new Error(`CI=true but ${reason}`);
  if (!printed.has(name)) {
    printed.add(name);
    console.log(`      skipped: ${reason}`);
  }
  ctx.skip();
}

export function commandWorks(cmd: string, args: string[]): boolean {
  try {
    execFileSync(cmd, args, { stdio: 'ignore', timeout: 30000 });
    return true;
  } catch {
    return false;
  }
}

/** Debian's python3 with python3-xgboost (the pyenv python3 on PATH does not have it). */
export const SYSTEM_PYTHON = '/usr/bin/python3';

export function hasPythonModule(mod: string): boolean {
  return existsSync(SYSTEM_PYTHON) && commandWorks(SYSTEM_PYTHON, ['-c', `import ${mod}`]);
}

/**
 * The real public logs of ../shared/datasets beside the checkout (read in place, never copied into the project), or
 * the folder SECML_DATASETS names. `checkout` is the repository root (in-host tests pass the extension's folder).
 */
export function sharedDatasets(checkout = path.resolve(__dirname, '../..')): string {
  return process.env.SECML_DATASETS ? path.resolve(process.env.SECML_DATASETS) : path.resolve(checkout, '..', 'shared', 'datasets');
}

export const SHARED_DATASETS = sharedDatasets();

/** Skips the current test or hook's block when a dataset folder or file is missing (fails under CI=true). */
export function requireDataset(ctx: Mocha.Context, dir: string): void {
  requireTool(ctx, `the dataset ${path.relative(path.dirname(SHARED_DATASETS), dir) || dir}`, () => existsSync(dir), `expected at ${dir}: check the project out beside ../shared/datasets, or set SECML_DATASETS to that folder`);
}
