import { strict as assert } from 'node:assert';
import { makeIO, runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/command';
import { printable } from '../../../src/core/printable';
import { RunStore } from '../../../src/core/experiments/run-store';
import { sampleSpec, tempDir } from '../experiments/fakes';

/** What a terminal would act on: C0 but \n and \t, DEL, C1, bidi embeddings/overrides/isolates. */
// eslint-disable-next-line no-control-regex
const DRIVES_TERMINAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const EVIL = 'evil\x1b[2J\x1b]0;pwned\x07\u009b31m\u202eexe.json';

function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = (m: string) => stderr.push(m);
  return { stdout, stderr, out: (t) => stdout.push(t), err: log, logger: { debug: log, info: log, warn: log, error: log }, isTTY: false, signal: new AbortController().signal };
}

describe('CLI output escapes what could drive a terminal', () => {
  it('printable escapes C0, DEL, C1 and bidi controls; keeps line breaks and tabs only when asked', () => {
    assert.equal(printable(EVIL), 'evil\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m\\u202eexe.json');
    assert.equal(printable('a\u2066b\u2069c\u007f'), 'a\\u2066b\\u2069c\\u007f');
    assert.equal(printable('line 1\n\tline 2\r'), 'line 1\\u000a\\u0009line 2\\u000d');
    assert.equal(printable('line 1\n\tline 2\r', { lines: true }), 'line 1\n\tline 2\\u000d');
    assert.equal(printable('ünïcode ok → 日本'), 'ünïcode ok → 日本');
    assert.equal(printable('x'.repeat(100), 10), `${'x'.repeat(9)}…`);
  });

  it('an error naming a hostile file name is printed escaped', async () => {
    const io = captureIO();
    const code = await runCli(['flatten', `/nonexistent/${EVIL}`, '-o', '/nonexistent/out'], io);
    assert.notEqual(code, 0);
    const err = io.stderr.join('\n');
    assert.match(err, /secml: error: .*evil\\u001b\[2J/);
    assert.doesNotMatch(err, DRIVES_TERMINAL);
  });

  it('experiment list escapes a description and a run error from the run store', async () => {
    const workspace = await tempDir('secml-cli-escapes-');
    const store = RunStore.forWorkspace(workspace);
    const { spec, file } = sampleSpec({ description: `desc ${EVIL}` });
    const { runs } = await store.createLaunch(spec, file, 'local', [{ variant: 'full', variantSpec: 'full', hyperparameters: {} }]);
    await store.writeRun({ ...runs[0], status: 'failed', error: { code: 'LOG_FORMAT', message: `day.log:3: bad event ${EVIL}` } });
    const io = captureIO();
    assert.equal(await runCli(['experiment', 'list', '-w', workspace], io), 0, io.stderr.join('\n'));
    const out = io.stdout.join('\n');
    assert.match(out, /desc evil\\u001b\[2J/);
    assert.match(out, /bad event evil\\u001b\[2J/);
    assert.doesNotMatch(out, DRIVES_TERMINAL);
  });

  it('the stderr logger escapes what it is given', () => {
    const written: string[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((t: string) => written.push(t) > 0) as typeof process.stderr.write;
    try {
      const io = makeIO([], new AbortController().signal);
      io.logger.warn(`skipped ${EVIL}: not a log`);
      io.logger.info(`read ${EVIL}\nnext line`);
    } finally {
      process.stderr.write = original;
    }
    assert.equal(written.length, 2);
    assert.match(written[0], /^warning: skipped evil\\u001b\[2J/);
    assert.match(written[1], /\nnext line\n$/, 'line breaks kept');
    assert.doesNotMatch(written.join(''), DRIVES_TERMINAL);
  });
});
