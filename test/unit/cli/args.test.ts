import * as assert from 'node:assert/strict';
import { parseCommandArgs, formatHelp } from '../../../src/cli/args';
import { runCli } from '../../../src/cli/main';
import type { CliIO, CommandSpec } from '../../../src/cli/command';
import { silentLogger } from '../../../src/core/progress';

const spec: CommandSpec = {
  name: 'demo',
  summary: 'A demo command',
  positionals: [{ name: 'FILE', description: 'input files', required: true, variadic: true }],
  options: [
    { name: 'out', type: 'string', valueName: 'DIR', description: 'output folder' },
    { name: 'seed', type: 'number', description: 'random seed', default: 42 },
    { name: 'variant', type: 'string', multiple: true, description: 'variant spec' },
  ],
};

function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), logger: silentLogger, isTTY: false, signal: new AbortController().signal };
}

describe('cli/args', () => {
  it('parses positionals, typed options, repeated options and defaults', () => {
    const a = parseCommandArgs(spec, ['a.txt', 'b.txt', '--out', 'x', '--variant', 'full', '--variant', 'first:5']);
    assert.deepEqual(a.positionals.FILE, ['a.txt', 'b.txt']);
    assert.equal(a.options.out, 'x');
    assert.equal(a.options.seed, 42);
    assert.deepEqual(a.options.variant, ['full', 'first:5']);
  });

  it('rejects a non-numeric number option with a usage error', () => {
    assert.throws(() => parseCommandArgs(spec, ['a', '--seed', 'abc']), (e: any) => e.code === 'BAD_ARGUMENT' && /--seed expects a number/.test(e.message));
  });

  it('names an unknown option plainly, with where to look', () => {
    assert.throws(() => parseCommandArgs(spec, ['a', '--bogus']), (e: any) => e.code === 'BAD_ARGUMENT' && /^unknown option --bogus \(see: secml \S+ --help\)$/.test(e.message));
  });

  it('requires required positionals', () => {
    assert.throws(() => parseCommandArgs(spec, []), /missing FILE/);
  });

  it('documents every option in --help', () => {
    const help = formatHelp(spec);
    for (const o of ['--out DIR', '--seed', '--variant', '--json', '--help']) assert.ok(help.includes(o), `help mentions ${o}`);
  });

  it('secml with an unknown command exits 2 and lists the commands', async () => {
    const io = captureIO();
    assert.equal(await runCli(['nope'], io), 2);
    assert.match(io.stderr.join('\n'), /unknown command "nope"/);
    assert.match(io.stderr.join('\n'), /flatten/);
  });
});
