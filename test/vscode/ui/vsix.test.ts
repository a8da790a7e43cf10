// UI: the packaged .vsix (what `npm run package` builds) installs into a clean VS Code and the extension loads from it,
// DuckDB's native module and the worker-thread bundles included.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readFileSync } from 'node:fs';
import { isCI } from '../../helpers/tools';
import * as os from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './code-server';
import { tempFolder, useWorkbench } from './workbench';

describe('UI: the packaged .vsix', function () {
  const dir = tempFolder('secml-ui-vsix-');
  const vsix = path.join(dir, 'secml-lab.vsix');
  const workspace = path.join(dir, 'workspace');
  before(function () {
    this.timeout(120_000);
    // `npm run package` itself, without its build (npm test has just built dist/).
    try {
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'package.mjs'), '--no-build', '--out', vsix], { cwd: REPO_ROOT, stdio: 'pipe' });
    } catch (e) {
      const out = String((e as { stdout?: Buffer }).stdout ?? '') + String((e as { stderr?: Buffer }).stderr ?? '');
      // A developer worktree whose node_modules is a symlink to another checkout: `npm list` (which vsce runs to find the
      // production dependencies) sees every package as a link and fails. A real install (CI's clone) has no such problem.
      if (!isCI() && lstatSync(path.join(REPO_ROOT, 'node_modules')).isSymbolicLink() && /npm list/.test(out)) {
        console.log('      skipped: vsce cannot list dependencies through a symlinked node_modules (a worktree); CI packages from a real install');
        this.skip();
      }
      throw new Error(`vsce package failed:\n${out.slice(-2000)}`);
    }
    mkdirSync(workspace);
  });
  const vs = useWorkbench({ workspace, vsix });

  it('installs with the DuckDB native module and the bundles, and activates from the installed copy', async function () {
    const version = JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version;
    const installed = path.join(vs().server.extensionsDir, `secml.secml-lab-${version}`);
    // Marked for this platform only (DuckDB's native library is): see scripts/package.mjs.
    const manifest = execFileSync('python3', ['-c', 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).read("extension.vsixmanifest").decode())', vsix], { encoding: 'utf8' });
    assert.match(manifest, new RegExp(`TargetPlatform="${process.platform}-${process.arch}"`));
    for (const f of ['dist/extension.js', 'dist/cli.js', 'dist/train.worker.js', 'dist/flatten.worker.js', 'node_modules/@duckdb/node-api/package.json', 'node_modules/@duckdb/node-bindings-linux-x64/duckdb.node']) {
      assert.ok(existsSync(path.join(installed, f)), `${f} is not in the installed extension`);
    }
    // The packaged DuckDB loads from the installed copy alone (no repository node_modules on its resolution path).
    const probe = `require(${JSON.stringify(path.join(installed, 'node_modules/@duckdb/node-api'))}).DuckDBInstance.create(':memory:')
      .then((db) => db.connect()).then((c) => c.runAndReadAll('select 40 + 2 as answer')).then((r) => console.log(r.getRows()[0][0]))`;
    assert.equal(execFileSync(process.execPath, ['-e', probe], { cwd: os.tmpdir(), encoding: 'utf8' }).trim(), '42');
    // The installed CLI finds its worker bundles: a flatten on two threads (forced on this small file).
    const ds = path.join(dir, 'threads-ds');
    const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'logs', 'seed-small.tsv');
    execFileSync(process.execPath, [path.join(installed, 'dist', 'cli.js'), 'flatten', fixture, '--out', ds, '-v', 'full', '-v', 'last:3', '--threads', '2'], { cwd: os.tmpdir(), stdio: 'pipe' });
    for (const v of ['full', 'last3']) assert.ok(existsSync(path.join(ds, v, 'train.csv')), `${v} was not written by the installed CLI`);
    assert.ok(!existsSync(path.join(installed, 'src')), 'sources were packaged');
    assert.ok(!existsSync(path.join(installed, 'dist-test')), 'tests were packaged');
    await vs().openSecmlSidebar();
    await vs().runCommand('SecML: Show Log');
    await vs().page.locator('.panel .monaco-editor .view-lines', { hasText: 'SecML Lab activated in' }).waitFor({ timeout: 60_000 });
    assert.doesNotMatch(await vs().page.title(), /Extension Development Host/);
    await vs().screenshot('secml-from-vsix');
  });
});
