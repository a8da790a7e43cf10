import { strict as assert } from 'node:assert';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/command';
import { RunStore } from '../../../src/core/experiments/run-store';
import { sampleSpec, summary, tempDir } from '../experiments/fakes';

function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = (m: string) => stderr.push(m);
  return { stdout, stderr, out: (t) => stdout.push(t), err: log, logger: { debug: () => {}, info: log, warn: log, error: log }, isTTY: false, signal: new AbortController().signal };
}

describe('secml experiment compare', () => {
  let workspace: string;
  before(async () => {
    workspace = await tempDir('secml-cli-compare-');
    const store = RunStore.forWorkspace(workspace);
    const { spec, file } = sampleSpec();
    const { runs } = await store.createLaunch(spec, file, 'local', [{ variant: 'full', variantSpec: 'full', hyperparameters: {} }, { variant: 'last5', variantSpec: 'last:5', hyperparameters: {} }]);
    // Test split: full meets the target; evaluation files: only last5 does.
    await store.writeRun({ ...runs[0], status: 'completed', summary: { test: summary(0.8), evaluation: summary(0.5) } });
    await store.writeRun({ ...runs[1], status: 'completed', summary: { test: summary(0.6), evaluation: summary(0.9) } });
  });

  const compare = async (...extra: string[]) => {
    const io = captureIO();
    const code = await runCli(['experiment', 'compare', 'harvest-bag-of-events', '-w', workspace, ...extra], io);
    return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
  };

  it('shows the evaluation files by default when the runs were scored on them', async () => {
    const r = await compare();
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Comparison on the evaluation files:/);
    assert.match(r.out, /met by last5\./);
    const json = JSON.parse((await compare('--json')).out);
    assert.equal(json.set, 'evaluation');
    assert.deepEqual(json.runs.map((x: { variant: string; headlineSet: string; meetsTarget: boolean }) => [x.variant, x.headlineSet, x.meetsTarget]), [['full', 'evaluation', false], ['last5', 'evaluation', true]]);
  });

  it('shows the test split with --set test, and rejects another set before reading anything', async () => {
    const r = await compare('--set', 'test');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^Comparison on the test split:/);
    assert.match(r.out, /met by full\./);
    const bad = await compare('--set', 'holdout');
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--set expects test or evaluation, got "holdout"/);
  });

  it('shows the latest launch by default; --launch picks one, --all shows every run', async () => {
    const store = RunStore.forWorkspace(workspace);
    const { spec, file } = sampleSpec();
    const later = new Date(Date.now() + 60_000);
    const { runs } = await store.createLaunch(spec, file, 'local', [{ variant: 'full', variantSpec: 'full', hyperparameters: {} }], later);
    await store.writeRun({ ...runs[0], status: 'completed', summary: { test: summary(0.8), evaluation: summary(0.95) } });
    const io = captureIO();
    assert.equal(await runCli(['experiment', 'compare', 'harvest-bag-of-events', '-w', workspace, '--json'], io), 0, io.stderr.join('\n'));
    assert.deepEqual(JSON.parse(io.stdout.join('')).runs.map((r: { id: string }) => r.id), [runs[0].id]);
    const text = captureIO();
    await runCli(['experiment', 'compare', 'harvest-bag-of-events', '-w', workspace], text);
    assert.match(text.stderr.join('\n'), new RegExp(`launch ${runs[0].launchId}; 1 other launch\\(es\\): --launch ID or --all`));
    const everything = captureIO();
    await runCli(['experiment', 'compare', 'harvest-bag-of-events', '-w', workspace, '--all', '--json'], everything);
    assert.equal(JSON.parse(everything.stdout.join('')).runs.length, 3);
    const both = captureIO();
    assert.equal(await runCli(['experiment', 'compare', 'harvest-bag-of-events', '-w', workspace, '--all', '--launch', runs[0].launchId], both), 2);
    const list = captureIO();
    await runCli(['experiment', 'list', '-w', workspace], list);
    assert.match(list.stdout.join('\n'), new RegExp(`launch ${runs[0].launchId} \\(local\\)\\n    full +completed +recall@FPR5% 95\\.0% on the evaluation files`));
  });
});
