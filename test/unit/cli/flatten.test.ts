import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/command';
import { silentLogger } from '../../../src/core/progress';

const FIXTURES = path.resolve(__dirname, '../../fixtures/logs');

function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), logger: silentLogger, isTTY: false, signal: new AbortController().signal };
}

describe('secml flatten', () => {
  let root: string;
  beforeEach(() => (root = mkdtempSync(path.join(tmpdir(), 'secml-cli-'))));
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('flattens several variants and prints a summary table', async () => {
    const io = captureIO();
    const code = await runCli(['flatten', path.join(FIXTURES, 'seed-small.tsv'), '--out', path.join(root, 'ds'), '-v', 'full', '-v', 'first:5,min:5', '--augment', path.join(FIXTURES, 'seed-attacker.tsv'), '--seed', '3', '--threads', '2'], io);
    assert.equal(code, 0, io.stderr.join(''));
    const text = io.stdout.join('\n');
    assert.match(text, /3,255 events, 300 sessions \(16 positive\) from 1 seed file\(s\)/);
    assert.match(text, /augmentation: 17 sessions, \d+ events added to train \(3 left out: also in the input\)/);
    assert.match(text, /first5_min5 +\d+ +\d+ +\d+\/\d+\/\d+/);
    assert.ok(existsSync(path.join(root, 'ds', 'first5_min5', 'manifest.json')));
  });

  it('--json prints the summary; a mapped CSV needs --session and --event', async () => {
    const io = captureIO();
    const csv = path.join(root, 'h.csv');
    writeFileSync(csv, 'blk,ev,lab\nb1,E1,0\nb1,E2,0\nb2,E1,1\n');
    assert.equal(await runCli(['flatten', csv, '--out', path.join(root, 'h'), '--session', 'blk', '--event', 'ev', '--label', 'lab', '--json'], io), 0);
    const summary = JSON.parse(io.stdout.join(''));
    assert.equal(summary.sessions, 2);
    assert.equal(summary.positives, 1);
    assert.deepEqual(summary.features, ['E1', 'E2', '__other__']);
    const bad = captureIO();
    assert.equal(await runCli(['flatten', csv, '--out', path.join(root, 'h2')], bad), 1);
    assert.match(bad.stderr.join(''), /say which columns hold the session and the event/);
  });

  it('usage errors exit 2', async () => {
    for (const argv of [
      ['flatten', 'x.txt'],
      ['flatten', 'x.txt', '--out', 'o', '--format', 'xml'],
      ['flatten', 'x.txt', '--out', 'o', '--session', 'a'],
      ['flatten', 'x.txt', '--out', 'o', '--format', 'seed', '--session', 'a', '--event', 'b'],
      ['flatten', 'x.txt', '--out', 'o', '--threads', '3'],
    ]) {
      const io = captureIO();
      assert.equal(await runCli(argv, io), 2, argv.join(' '));
    }
  });

  it('strict mode fails with file:line (exit 1)', async () => {
    const f = path.join(root, 'bad.txt');
    writeFileSync(f, 'SessionNo\tLogTime\tAct\tBadActor\n1\t2019-07-01 08:00:00\t111\t0\n1\toops\t111\t0\n');
    const io = captureIO();
    assert.equal(await runCli(['flatten', f, '--out', path.join(root, 'o'), '--strict'], io), 1);
    assert.match(io.stderr.join(''), new RegExp(`secml: error: ${f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: LogTime "oops" is not a date and time`));
    const lenient = captureIO();
    assert.equal(await runCli(['flatten', f, '--out', path.join(root, 'o')], lenient), 0);
    assert.match(lenient.stdout.join('\n'), /skipped 1 malformed row\(s\)[^]*bad\.txt:3: LogTime "oops"/);
  });
});
