/**
 * Entry point of the in-host suite (extensionTestsPath): runs mocha INSIDE the extension host of a real VS Code, over
 * every `*.test.js` next to this file (bundled from test/vscode/suite/**\/*.test.ts by scripts/build.mjs).
 * Both runners (code-server here, @vscode/test-electron where VS Code can be downloaded) load this same file.
 *
 * Environment (set by the runners): SECML_TEST_GREP (mocha grep), SECML_TEST_RESULTS (JSON summary file),
 * SECML_TEST_WORKSPACE (the folder VS Code opened).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface SuiteResults {
  passed: string[];
  failed: { title: string; error: string }[];
  pending: string[];
  durationMs: number;
}

function testFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...testFiles(p));
    else if (e.name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

/** Modules loaded right after the extension activated, before any test ran (tests check activation stays cheap). */
export const MODULES_AFTER_ACTIVATION = 'secmlModulesAfterActivation';

export async function run(): Promise<void> {
  const vscode = require('vscode') as typeof import('vscode');
  await vscode.extensions.getExtension('secml.secml-lab')?.activate();
  (globalThis as Record<string, unknown>)[MODULES_AFTER_ACTIVATION] = Object.keys(require.cache);

  // mocha 12 is ESM-only: require() of it gives the module namespace.
  const m = require('mocha');
  const Mocha = m.default || m;
  // Output goes to a log, not a terminal (mocha would turn colours on under CI=true).
  // (Its symbols carry their own colour codes, chosen when mocha loads.)
  Mocha.reporters.Base.useColors = false;
  Object.assign(Mocha.reporters.Base.symbols, { ok: '✔', err: '✖' });
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  if (process.env.SECML_TEST_GREP) mocha.grep(process.env.SECML_TEST_GREP);
  for (const f of testFiles(__dirname)) mocha.addFile(f);
  const results: SuiteResults = { passed: [], failed: [], pending: [], durationMs: 0 };
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures: number) => {
      results.durationMs = Date.now() - t0;
      if (process.env.SECML_TEST_RESULTS) fs.writeFileSync(process.env.SECML_TEST_RESULTS, JSON.stringify(results, null, 1));
      if (failures) reject(new Error(`${failures} in-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t: Mocha.Test) => results.passed.push(t.fullTitle()));
    runner.on('pending', (t: Mocha.Test) => results.pending.push(t.fullTitle()));
    runner.on('fail', (t: Mocha.Test, err: Error) => results.failed.push({ title: t.fullTitle(), error: err?.message ?? String(err) }));
  });
}
