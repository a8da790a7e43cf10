/** What both in-host runners share: the suite entry, a fresh workspace folder, the results file, the summary line. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SuiteResults } from '../suite/index';
import { REPO_ROOT } from '../ui/code-server';

export const SUITE_ENTRY = path.join(REPO_ROOT, 'dist-test', 'vscode', 'suite', 'index.js');

export interface InHostRun {
  /** The folder VS Code opens; tests may fill it (SECML_TEST_WORKSPACE). */
  workspace: string;
  resultsFile: string;
  /** Environment for the extension host. */
  env: Record<string, string>;
  dir: string;
}

export function prepareInHostRun(grep: string | undefined): InHostRun {
  if (!existsSync(SUITE_ENTRY)) throw new Error(`${path.relative(REPO_ROOT, SUITE_ENTRY)} is missing: run npm run build first`);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'secml-inhost-'));
  const workspace = path.join(dir, 'workspace');
  mkdirSync(workspace);
  const resultsFile = path.join(dir, 'results.json');
  const env: Record<string, string> = { SECML_TEST_RESULTS: resultsFile, SECML_TEST_WORKSPACE: workspace };
  if (grep) env.SECML_TEST_GREP = grep;
  return { workspace, resultsFile, env, dir };
}

/** Prints the failures and the summary line (same shape as mocha's: "N passing", "N failing", "N pending"); returns the exit code. */
export function reportInHostRun(run: InHostRun, runner: string, hostExitCode: number, elapsedMs: number): number {
  let results: SuiteResults | undefined;
  try {
    results = JSON.parse(readFileSync(run.resultsFile, 'utf8'));
  } catch {
    results = undefined;
  }
  rmSync(run.dir, { recursive: true, force: true });
  const secs = (elapsedMs / 1000).toFixed(1);
  if (!results) {
    console.log(`in-host (${runner}): the suite did not report (extension host exit code ${hostExitCode}) after ${secs} s`);
    return 1;
  }
  for (const f of results.failed) console.log(`  FAILED ${f.title}: ${f.error}`);
  console.log(`in-host (${runner}): ${results.passed.length} passing, ${results.failed.length} failing, ${results.pending.length} pending (${secs} s)`);
  return results.failed.length || hostExitCode ? 1 : 0;
}
