import { strict as assert } from 'node:assert';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/command';
import type { RunRecord } from '../../../src/core/experiments/run-record';
import { createCompletedRun } from '../../helpers/score-runs';

const FIXTURES = path.resolve(__dirname, '../../fixtures/logs');
const SMALL = path.join(FIXTURES, 'seed-small.tsv');

function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const log = (level: string) => (m: string) => stderr.push(`${level}: ${m}`);
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), logger: { debug: () => {}, info: log('info'), warn: log('warning'), error: log('error') }, isTTY: false, signal: new AbortController().signal };
}

describe('secml score', function () {
  this.timeout(60_000);
  let root: string;
  let run: RunRecord;
  let log: string;
  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'secml-cli-score-'));
    run = await createCompletedRun(root, { experiment: 'harvest', inputs: [SMALL] });
  });
  after(() => rmSync(root, { recursive: true, force: true }));
  beforeEach(() => {
    log = path.join(root, `day-${Math.random().toString(36).slice(2)}.tsv`);
    writeFileSync(log, readFileSync(SMALL));
  });

  it('ranks the sessions, prints the top ones and the metrics, and writes <file>.scores.csv beside the input', async () => {
    const io = captureIO();
    const runDir = path.dirname(run.modelDir!);
    assert.equal(await runCli(['score', runDir, log, '--top', '5'], io), 0, io.stderr.join('\n'));
    const text = io.stdout.join('\n');
    assert.match(text, /^Scored 300 sessions \(3,255 events\) of day-\w+\.tsv with harvest \/ full/);
    assert.match(text, /\d+ flagged at threshold [\d.]+ \(the model's threshold at FPR 5% \(validation set\)\)/);
    assert.match(text, /RANK +PROBABILITY +FLAG +LABEL +SESSION +EVENTS +START +SPAN +FIRST EVENTS\n1 +0\.\d{4}/);
    assert.match(text, /labelled sessions \(300\): 300 rows, 16 positive, 284 negative/);
    const csv = `${log}.scores.csv`;
    assert.match(text, new RegExp(`scores: ${csv.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    const lines = readFileSync(csv, 'utf8').trimEnd().split('\n');
    assert.equal(lines[0], 'session,probability,flagged,label');
    assert.equal(lines.length, 301);

    // A second run refuses to overwrite it; --force does.
    const again = captureIO();
    assert.equal(await runCli(['score', runDir, log], again), 1);
    assert.match(again.stderr.join(''), /scores\.csv: already exists: use --force to overwrite it, or --out FILE\./);
    assert.equal(await runCli(['score', runDir, log, '--force', '--threshold', '0.99'], captureIO()), 0);
    assert.ok(readFileSync(csv, 'utf8').split('\n').slice(1, -1).every((l) => l.split(',')[2] === (Number(l.split(',')[1]) >= 0.99 ? '1' : '0')));
  });

  it('--json gives sessions, flagged, unseen event types and the metrics with the keys of secml eval --json', async () => {
    const io = captureIO();
    const out = path.join(root, 'out', 'scores.csv');
    assert.equal(await runCli(['score', run.modelDir!, log, '--json', '--top', '3', '--out', out], io), 0, io.stderr.join('\n'));
    const s = JSON.parse(io.stdout.join(''));
    assert.equal(s.sessions, 300);
    assert.equal(typeof s.flagged, 'number');
    assert.deepEqual(s.unseenEventTypes, { types: 0, events: 0, counts: {} });
    assert.equal(s.top.length, 3);
    assert.deepEqual(Object.keys(s.top[0]).sort(), ['events', 'file', 'firstEvents', 'firstTime', 'flagged', 'label', 'lastEvents', 'lastTime', 'line', 'probability', 'rank', 'session']);
    assert.equal(s.scoresCsv, out);
    assert.ok(existsSync(out));

    const evalIo = captureIO();
    assert.equal(await runCli(['eval', run.modelDir!, run.datasetDir!, '--json'], evalIo), 0, evalIo.stderr.join('\n'));
    const { model: _m, data: _d, ...evalKeys } = JSON.parse(evalIo.stdout.join(''));
    assert.deepEqual(Object.keys(s.metrics).sort(), Object.keys(evalKeys).sort());
    assert.equal(s.metrics.threshold, s.threshold);
  });

  it('warns about event types the model never saw, and fails clearly on a file in another format', async () => {
    const unseen = path.join(root, 'unseen.tsv');
    writeFileSync(unseen, 'SessionNo\tLogTime\tCustID\tGroupID\tProfID\tAct\tBadActor\n1\t2019-07-07 00:00:01\tc\tg\tp\t999\t0\n1\t2019-07-07 00:00:03\tc\tg\tp\t\u001b[31mred\t0\n');
    const io = captureIO();
    assert.equal(await runCli(['score', run.modelDir!, unseen, '--no-csv'], io), 0, io.stderr.join('\n'));
    const warning = io.stderr.find((l) => l.startsWith('warning:'))!;
    assert.match(warning, /2 events of 2 types the model never saw \(\\u001b\[31mred \(1\), 999 \(1\)\) counted as __other__/);
    assert.ok(!existsSync(`${unseen}.scores.csv`));

    const trail = path.join(root, 'trail.json');
    writeFileSync(trail, JSON.stringify({ Records: [{ eventSource: 'iam.amazonaws.com', eventName: 'CreateUser' }] }));
    const bad = captureIO();
    assert.equal(await runCli(['score', run.modelDir!, trail], bad), 1);
    assert.match(bad.stderr.join(''), /trail\.json:1: this is a CloudTrail log, but the model was trained on session logs in the seed's format/);
    assert.ok(!existsSync(`${trail}.scores.csv`), 'nothing written on failure');
  });

  it('checks its arguments', async () => {
    const cases: [string[], RegExp][] = [
      [['score', run.modelDir!, log, '--threshold', '2'], /--threshold is a probability between 0 and 1/],
      [['score', run.modelDir!, log, log, SMALL], /several inputs: say where the scores go with --out FILE/],
      [['score', run.modelDir!, log, '--top=1.5'], /--top expects a whole number/],
    ];
    for (const [argv, re] of cases) {
      const io = captureIO();
      assert.equal(await runCli(argv, io), 2, argv.join(' '));
      assert.match(io.stderr.join(''), re);
    }
    const io = captureIO();
    assert.equal(await runCli(['score', path.join(root, 'no/such/model'), log], io), 1);
    assert.match(io.stderr.join(''), /no\/such\/model: does not exist: expected a model folder, or endpoint:NAME/);
  });
});
