import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { currentOwner, ownerAlive, processStartTicks } from '../../../src/core/experiments/process-owner';
import { RunStore } from '../../../src/core/experiments/run-store';
import { sampleSpec, tempDir } from './fakes';

const newRuns = (names: string[]) => names.map((n) => ({ variant: n, variantSpec: n, hyperparameters: { max_depth: '5' } }));

/** A pid that surely ended: a child that has exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('experiments/run-store', () => {
  it('records a launch: experiment record, one queued run per variant, spec snapshot, unique launch ids', async () => {
    const store = new RunStore(await tempDir());
    const { spec } = sampleSpec();
    const now = new Date(Date.UTC(2025, 2, 1, 14, 22, 33));
    const a = await store.createLaunch(spec, '/w/sample.secml.json', 'local', newRuns(['full', 'first5']), now);
    const b = await store.createLaunch(spec, '/w/sample.secml.json', 'local', newRuns(['full']), now);
    assert.equal(a.launchId, '20250301-142233');
    assert.equal(b.launchId, '20250301-142233-2');
    assert.deepEqual(a.runs.map((r) => [r.id, r.status, r.order]), [['20250301-142233-full', 'queued', 0], ['20250301-142233-first5', 'queued', 1]]);
    const exp = await store.readExperiment(spec.name);
    assert.equal(exp?.specFile, '/w/sample.secml.json');
    const snap = JSON.parse(await fs.readFile(path.join(store.runDir(spec.name, a.runs[1].id), 'spec.json'), 'utf8'));
    assert.deepEqual(snap.variants, spec.variants);
    const runs = await store.listRuns(spec.name);
    assert.deepEqual(runs.map((r) => r.id), ['20250301-142233-2-full', '20250301-142233-full', '20250301-142233-first5'], 'newest launch first, then variant order');
    const list = await store.listExperiments();
    assert.deepEqual(list.map((e) => [e.name, e.runs.length]), [[spec.name, 3]]);
  });

  it('shows runs whose owner process died as interrupted (and saves that), leaving finished runs intact', async () => {
    const store = new RunStore(await tempDir());
    const { spec } = sampleSpec();
    const { runs } = await store.createLaunch(spec, 'f', 'local', newRuns(['full', 'first5', 'last5']));
    const dead = { pid: deadPid(), host: currentOwner().host, startTicks: 12345 };
    await store.writeRun({ ...runs[0], status: 'completed', owner: dead });
    await store.writeRun({ ...runs[1], status: 'running', owner: dead, progress: { phase: 'training', fraction: 0.4 } });
    await store.writeRun({ ...runs[2], status: 'queued', owner: dead });
    const after = await store.listRuns(spec.name);
    assert.deepEqual(after.map((r) => r.status), ['completed', 'interrupted', 'interrupted']);
    assert.match(after[1].interruptedReason!, /ended while it was running \(training\)/);
    const saved = JSON.parse(await fs.readFile(path.join(store.runDir(spec.name, runs[1].id), 'run.json'), 'utf8'));
    assert.equal(saved.status, 'interrupted');
  });

  it('keeps runs of a live owner running, and treats a recycled pid (other start time) as dead', async () => {
    const me = currentOwner();
    assert.equal(ownerAlive(me, undefined), true);
    if (processStartTicks(process.pid) !== undefined) {
      assert.equal(ownerAlive({ ...me, startTicks: (me.startTicks ?? 0) + 1 }, new Date().toISOString()), false);
    }
    assert.equal(ownerAlive({ pid: 1, host: 'another-host' }, new Date(Date.now() - 10 * 60_000).toISOString()), false);
    assert.equal(ownerAlive({ pid: 1, host: 'another-host' }, new Date().toISOString()), true);
  });

  it('turns an unreadable run.json into a failed entry instead of breaking the list', async () => {
    const store = new RunStore(await tempDir());
    const { spec } = sampleSpec();
    const { runs } = await store.createLaunch(spec, 'f', 'local', newRuns(['full', 'first5']));
    await fs.writeFile(path.join(store.runDir(spec.name, runs[0].id), 'run.json'), '{"status": "runn');
    const list = await store.listRuns(spec.name);
    assert.equal(list.length, 2);
    const broken = list.find((r) => r.variant === 'full')!;
    assert.equal(broken.status, 'failed');
    assert.match(broken.error!.message, /unreadable/);
  });

  it('refuses to delete active runs; deleting the last run of a launch removes its dataset', async () => {
    const store = new RunStore(await tempDir());
    const { spec } = sampleSpec();
    const { runs, launchId } = await store.createLaunch(spec, 'f', 'local', newRuns(['full']));
    await assert.rejects(store.deleteRun(spec.name, runs[0].id), /stop it before deleting/);
    await assert.rejects(store.deleteExperiment(spec.name), /active run/);
    await store.writeRun({ ...runs[0], status: 'completed' });
    await store.deleteRun(spec.name, runs[0].id);
    await assert.rejects(fs.access(store.datasetDir(spec.name, launchId)));
    await store.deleteExperiment(spec.name);
    assert.deepEqual(await store.listExperiments(), []);
  });

  it('rejects names that would escape the store', async () => {
    const store = new RunStore(await tempDir());
    assert.throws(() => store.runDir('../x', 'a'), /not a valid experiment name/);
    assert.throws(() => store.runDir('x', '../../etc'), /not a valid run name/);
  });

  it('applies writes to one run in call order', async () => {
    const store = new RunStore(await tempDir());
    const { spec } = sampleSpec();
    const { runs } = await store.createLaunch(spec, 'f', 'local', newRuns(['full']));
    const writes = Array.from({ length: 20 }, (_, i) => store.writeRun({ ...runs[0], progress: { phase: 'training', round: i } }));
    await Promise.all(writes);
    const r = await store.readRun(spec.name, runs[0].id);
    assert.equal(r.progress?.round, 19);
  });
});
