import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { RunStore } from '../../../src/core/experiments/run-store';
import { tempDir } from './fakes';

describe('experiments/crash', () => {
  it('a run whose process is killed mid-training reads back as interrupted; finished runs stay intact', async () => {
    const root = await tempDir();
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', path.join(__dirname, '../../helpers/experiment-crash-child.ts'), root], { stdio: ['ignore', 'pipe', 'inherit'] });
    const runId = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /RUNNING (\S+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on('exit', (code) => reject(new Error(`child exited early (${code}): ${out}`)));
    });
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;

    const store = new RunStore(root);
    const runs = await store.listRuns('harvest-bag-of-events');
    const status = Object.fromEntries(runs.map((r) => [r.variant, r.status]));
    assert.deepEqual(status, { full: 'completed', 'drop0.2': 'interrupted', first5: 'interrupted', first10: 'interrupted', last5: 'interrupted', last10: 'interrupted' });
    const killed = runs.find((r) => r.id === runId)!;
    assert.match(killed.interruptedReason!, /ended while it was running \(training\)/);
    assert.match(runs.find((r) => r.variant === 'first5')!.interruptedReason!, /ended while it was queued/);
    const full = runs.find((r) => r.variant === 'full')!;
    assert.ok(full.summary?.test, 'the completed run keeps its metrics summary');
    assert.ok((await store.readMetrics(full.experiment, full.id))?.test.curve.length, 'and its metrics file');
    // Saved, so the next reader sees the same without re-deciding.
    const again = await new RunStore(root).readRun('harvest-bag-of-events', runId);
    assert.equal(again.status, 'interrupted');
  });
});
