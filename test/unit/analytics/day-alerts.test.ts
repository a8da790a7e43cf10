import * as assert from 'node:assert/strict';
import { dayAlerts } from '../../../src/core/analytics/day-alerts';
import { runCli } from '../../../src/cli/main';
import type { CliIO } from '../../../src/cli/command';
import { silentLogger } from '../../../src/core/progress';
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { sampleTrail, tempDir } from './trail-fixture';

function captureIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (t) => stdout.push(t), err: (t) => stderr.push(t), logger: silentLogger, isTTY: false, signal: new AbortController().signal };
}

describe('analytics: a day of CloudTrail, batch-scored', () => {
  it("2024-05-14 of the sample: the exfiltration spike and the intruder's pair lead the alerts", async () => {
    const { awsLogs, summary } = await sampleTrail();
    const r = await dayAlerts([awsLogs], { day: '2024-05-14' });
    assert.ok(r.files.day > 0 && r.files.history > 0);
    assert.equal(r.threshold, 0.2);
    const [first] = r.alerts;
    assert.deepEqual([first.kind, first.subject], ['spike', 's3.amazonaws.com:GetObject']);
    assert.match(first.principal, /:user\/ci-deploy$/);
    const pairs = r.alerts.filter((a) => a.kind === 'pair');
    assert.deepEqual(pairs.map((a) => a.subject), [summary.story.attackerIp]);
    assert.match(pairs[0].detail, /network it never used/);
    assert.ok(r.alerts.indexOf(pairs[0]) < 5);
    assert.ok(r.alerts.every((a) => a.score > 0.2 && a.time.startsWith('2024-05-14')));
  });

  it('a day with no files, or not a day, is a clear error', async () => {
    const { awsLogs } = await sampleTrail();
    await assert.rejects(dayAlerts([awsLogs], { day: '2024-06-01' }), /No CloudTrail files for 2024-06-01/);
    await assert.rejects(dayAlerts([awsLogs], { day: '2024-02-30' }), /not a day/);
  });

  it('secml cloudtrail day --json and pairs --json; --help; usage errors exit 2', async () => {
    const { awsLogs } = await sampleTrail();
    let io = captureIO();
    assert.equal(await runCli(['cloudtrail', 'day', awsLogs, '--day', '2024-05-14', '--json'], io), 0);
    const day = JSON.parse(io.stdout.join(''));
    assert.equal(day.alerts.find((a: { kind: string }) => a.kind === 'pair').subject, '203.0.113.66');
    io = captureIO();
    assert.equal(await runCli(['cloudtrail', 'pairs', awsLogs, '--from', '2024-05-14', '--json', '--top', '3'], io), 0);
    const pairs = JSON.parse(io.stdout.join(''));
    assert.equal(pairs.flagged, 1);
    assert.equal(pairs.pairs.length, 3);
    assert.equal(pairs.pairs[0].address, '203.0.113.66');
    io = captureIO();
    assert.equal(await runCli(['cloudtrail', 'day', awsLogs], io), 2);
    assert.match(io.stderr.join(''), /--day YYYY-MM-DD is required/);
    io = captureIO();
    assert.equal(await runCli(['cloudtrail', '--help'], io), 0);
    assert.match(io.stdout.join(''), /pairs\s+Rank principal\/IP pairs/);
  });
});

describe('analytics: cloudtrail day names the first malformed record', () => {
  it('warns with the count and the first file:line, and still reports the day', async () => {
    const { awsLogs } = await sampleTrail();
    const copy = path.join(tempDir('day-bad'), 'AWSLogs');
    cpSync(awsLogs, copy, { recursive: true });
    const dayFile = listFiles(copy).find((f) => /[\\/]2024[\\/]05[\\/]14[\\/]/.test(f))!;
    const bad = path.join(path.dirname(dayFile), path.basename(dayFile).replace(/(\.json)(\.gz)?$/, '-bad$1'));
    writeFileSync(bad, '{"Records":[\n{"eventSource":"s3.amazonaws.com","eventName":"GetObject","eventTime":"not a time","userIdentity":{"arn":"arn:aws:iam::1:user/x"},"sourceIPAddress":"198.51.100.1"},\n{"eventSource":"s3.amazonaws.com","eventName":"GetObject","eventTime":"2024-05-14T12:00:00Z","userIdentity":{"arn":"arn:aws:iam::1:user/x"},"sourceIPAddress":"198.51.100.1"}\n]}\n');
    const warnings: string[] = [];
    const io = { ...captureIO(), logger: { ...silentLogger, warn: (m: string) => warnings.push(m) } };
    assert.equal(await runCli(['cloudtrail', 'day', copy, '--day', '2024-05-14', '--json'], io), 0);
    const day = JSON.parse(io.stdout.join(''));
    assert.equal(day.skippedRecords, 1);
    assert.equal(day.skippedFirst[0].file, bad);
    assert.equal(day.skippedFirst[0].line, 2);
    assert.ok(warnings.some((w) => w.includes(`1 malformed CloudTrail record(s) skipped, the first: ${bad}:2: eventTime`)), warnings.join('\n'));
  });
});

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
