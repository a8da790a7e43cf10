import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/command';
import { silentLogger } from '../../../src/core/progress';
import { hashTree, sharedWorkspace, tempDir } from './fixture';

function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), logger: silentLogger, isTTY: false, signal: new AbortController().signal };
}

describe('cli/sample', function () {
  this.timeout(120_000);

  it('--help documents every option', async () => {
    const io = captureIO();
    assert.equal(await runCli(['sample', '--help'], io), 0);
    const help = io.stdout.join('\n');
    for (const opt of ['--out DIR', '--seed N', '--scale S', '--force', '--json', '--help']) assert.ok(help.includes(opt), `help lacks ${opt}`);
    assert.match(help, /default: 42/);
    assert.match(help, /identical/);
  });

  it('needs --out (usage error, exit 2)', async () => {
    const io = captureIO();
    assert.equal(await runCli(['sample'], io), 2);
    assert.match(io.stderr.join('\n'), /missing --out/);
  });

  it('rejects a bad scale as a usage error', async () => {
    const io = captureIO();
    assert.equal(await runCli(['sample', '--out', tempDir('cli-bad'), '--scale', '-1'], io), 2);
    assert.match(io.stderr.join('\n'), /--scale/);
  });

  it('done-when: `secml sample --out DIR --seed 7` gives the same files every time', async () => {
    const dir = tempDir('cli-seed7');
    const io = captureIO();
    assert.equal(await runCli(['sample', '--out', dir, '--seed', '7'], io), 0);
    assert.match(io.stdout.join('\n'), /single\.txt/);
    assert.ok(io.stderr.length > 0, 'progress goes to stderr');
    const reference = await sharedWorkspace(); // generated separately, in-process, with seed 7 and scale 1
    assert.deepEqual([...hashTree(dir).entries()], [...hashTree(reference.outDir).entries()]);
  });

  it('refuses to overwrite without --force (exit 1, clear message), overwrites with it', async () => {
    const dir = tempDir('cli-conflict');
    writeFileSync(path.join(dir, 'single.txt'), 'mine\n');
    const io = captureIO();
    assert.equal(await runCli(['sample', '--out', dir, '--scale', '0.05'], io), 1);
    assert.match(io.stderr.join('\n'), /already holds single\.txt.*--force/);
    assert.equal(readFileSync(path.join(dir, 'single.txt'), 'utf8'), 'mine\n');
    const again = captureIO();
    assert.equal(await runCli(['sample', '--out', dir, '--scale', '0.05', '--force'], again), 0);
    assert.match(readFileSync(path.join(dir, 'single.txt'), 'utf8'), /^SessionNo\tLogTime/);
  });

  it('--json prints a summary: files, rows, sessions and attacker sessions per file', async () => {
    const dir = tempDir('cli-json');
    const io = captureIO();
    assert.equal(await runCli(['sample', '--out', dir, '--seed', '3', '--scale', '0.1', '--json'], io), 0);
    assert.equal(io.stdout.length, 1);
    const s = JSON.parse(io.stdout[0]);
    assert.equal(s.seed, 3);
    assert.equal(s.scale, 0.1);
    assert.deepEqual(s.sessionLogs.map((f: any) => f.file), ['known-attacker.txt', 'mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt', 'single.txt']);
    for (const f of s.sessionLogs) for (const k of ['rows', 'sessions', 'attackerSessions', 'attackerRows']) assert.equal(typeof f[k], 'number', `${f.file}.${k}`);
    assert.ok(s.files.includes('sample.secml.json'));
    assert.equal(typeof s.cloudTrail.events, 'number');
    assert.ok(s.rowsPerSecond > 0);
  });
});
