/**
 * In-host runner for this machine: runs the in-host suite (dist-test/vscode/suite/index.js) inside the extension host
 * of code-server, opened in headless Chromium with the URL payload extensionDevelopmentPath + extensionTestsPath.
 * The page reports console output through window.codeAutomationLog and the end through window.codeAutomationExit.
 *
 * usage: node --import tsx test/vscode/runners/code-server.ts [--grep PATTERN]
 * Without code-server or chromium: prints why and exits 0 (skipped); under CI=true that is a failure.
 */
import * as util from 'node:util';
import { isCI } from '../../helpers/tools';
import { devPayload, missingVsCodeTools, startCodeServer } from '../ui/code-server';
import { launchChromium } from '../ui/chromium';
import { prepareInHostRun, reportInHostRun, SUITE_ENTRY } from './in-host-run';

const RUN_TIMEOUT_MS = 10 * 60_000;
/** Workbench start-up chatter the page forwards with the tests' output; dropped to keep the log readable. */
const NOISE = /^(Resolving connection token|Creation of workbench contribution|Resolved connection token|Creating a socket|Updating additional builtin|\[Service Worker\]|ChatSessionStore|getaddrinfo ENOTFOUND open-vsx\.org|\s+at (async )?\S+ \(http:\/\/127\.0\.0\.1)/;

async function main(): Promise<number> {
  const gi = process.argv.indexOf('--grep');
  const grep = gi > 0 ? process.argv[gi + 1] : undefined;
  const missing = missingVsCodeTools();
  if (missing) {
    if (isCI()) {
      console.log(`in-host (code-server): FAILED: CI=true but ${missing}`);
      return 1;
    }
    console.log(`in-host (code-server): skipped: ${missing}`);
    return 0;
  }
  const t0 = Date.now();
  const run = prepareInHostRun(grep);
  const server = await startCodeServer({ env: run.env, label: 'secml-inhost-cs-' });
  let exitCode = 1;
  const browser = await launchChromium(server.home);
  try {
    const page = browser.pages()[0] ?? (await browser.newPage());
    const done = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationLog', (_type: string, args: unknown[]) => {
        const text = util.format(...(args ?? []))
          .split('\n')
          .filter((l) => !NOISE.test(l))
          .join('\n');
        if (text.trim()) console.log(text);
      });
      void page.exposeFunction('codeAutomationExit', (code: number) => resolve(code));
    });
    await page.goto(server.url(run.workspace, devPayload({ testsEntry: SUITE_ENTRY })));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<number>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the in-host suite did not finish within ${RUN_TIMEOUT_MS / 60_000} min`)), RUN_TIMEOUT_MS);
    });
    exitCode = await Promise.race([done, timeout]).finally(() => clearTimeout(timer));
    const activation = server.findExtensionLog(/SecML Lab activated in \d+ ms/);
    if (activation) console.log(`activation: ${activation.replace(/^.*\] /, '')}`);
  } catch (e) {
    console.log(`in-host (code-server): ${(e as Error).message}`);
    exitCode = 1;
  } finally {
    if (exitCode !== 0) console.log(server.logTail(40));
    await browser.close().catch(() => {});
    await server.stop();
  }
  return reportInHostRun(run, 'code-server', exitCode, Date.now() - t0);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`in-host (code-server): ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
