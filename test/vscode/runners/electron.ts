/**
 * In-host runner for machines that can download VS Code (a developer laptop, a public CI): the same in-host suite,
 * run by @vscode/test-electron in a downloaded VS Code (cached in .vscode-test/). On Linux without a display, run it
 * under xvfb-run. Select it with `npm test -- --runner electron` or SECML_VSCODE_RUNNER=electron.
 *
 * usage: node --import tsx test/vscode/runners/electron.ts [--grep PATTERN]   (SECML_VSCODE_VERSION: default stable)
 */
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT } from '../ui/code-server';
import { prepareInHostRun, reportInHostRun, SUITE_ENTRY } from './in-host-run';

async function main(): Promise<number> {
  const gi = process.argv.indexOf('--grep');
  const run = prepareInHostRun(gi > 0 ? process.argv[gi + 1] : undefined);
  const t0 = Date.now();
  let exitCode = 1;
  try {
    exitCode = await runTests({
      version: process.env.SECML_VSCODE_VERSION || 'stable',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: SUITE_ENTRY,
      extensionTestsEnv: run.env,
      launchArgs: [run.workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes', '--disable-gpu'],
    });
  } catch (e) {
    const msg = (e as Error).message || String(e);
    console.log(`in-host (electron): ${msg}`);
    if (/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|download/i.test(msg)) {
      console.log('  @vscode/test-electron downloads VS Code; where that is impossible, use the code-server runner (the default).');
    }
    exitCode = 1;
  }
  return reportInHostRun(run, 'electron', exitCode, Date.now() - t0);
}

main().then((code) => process.exit(code));
