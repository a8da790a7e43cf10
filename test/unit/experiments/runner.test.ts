import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { SecmlError } from '../../../src/core/errors';
import { launchExperiment, type RunnerEvent } from '../../../src/core/experiments/runner';
import { RunStore } from '../../../src/core/experiments/run-store';
import { FakeBackend, FakeDatasets, fakeDeps, sampleSpec, tempDir } from './fakes';

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), `timed out waiting for ${what}`);
};

describe('experiments/runner', () => {
  it('flattens once, trains every variant within the concurrency limit, evaluates and stores metrics', async () => {
    const deps = fakeDeps(await tempDir());
    const events: RunnerEvent[] = [];
    const launch = await launchExperiment(sampleSpec({ maxConcurrentRuns: 2 }), deps, { onEvent: (e) => events.push(e) });
    const runs = await launch.done;
    assert.equal(deps.datasetsImpl.calls, 1);
    assert.deepEqual(runs.map((r) => r.status), Array(6).fill('completed'));
    assert.equal(deps.backendImpl.maxActive, 2);
    assert.equal(deps.backendImpl.disposed, 6, 'every scorer disposed');
    const stored = await deps.store.listRuns('harvest-bag-of-events');
    assert.deepEqual(stored.map((r) => r.variant), ['full', 'drop0.2', 'first5', 'first10', 'last5', 'last10']);
    for (const r of stored) {
      assert.equal(r.status, 'completed');
      assert.ok(r.summary?.test && r.trainingSeconds !== undefined && r.finishedAt && r.startedAt);
      const m = await deps.store.readMetrics(r.experiment, r.id);
      assert.ok(m?.test.curve.length);
      const manifest = JSON.parse(await fs.readFile(path.join(deps.store.runDir(r.experiment, r.id), 'dataset-manifest.json'), 'utf8'));
      assert.equal(manifest.variant, r.variant);
      assert.match(await fs.readFile(deps.store.logFile(r.experiment, r.id), 'utf8'), /Training .* on local/);
    }
    assert.equal(events.at(-1)?.type, 'finished');
    assert.ok(events.some((e) => e.type === 'run' && e.run.status === 'running'));
  });

  it('passes a job to re-attach to through to the backend', async () => {
    const backend = new FakeBackend();
    const seen: (string | undefined)[] = [];
    const train = backend.train.bind(backend);
    backend.train = (req, work) => (seen.push(req.resumeJobName), train(req, work));
    const deps = fakeDeps(await tempDir(), backend);
    await (await launchExperiment(sampleSpec(), deps, { variants: ['full', 'last5'], maxConcurrentRuns: 1, resumeJobs: { last5: 'harvest-last5-job' } })).done;
    assert.deepEqual(seen, [undefined, 'harvest-last5-job']);
  });

  it('honours maxConcurrentRuns 1 and the backend/variant overrides of a launch', async () => {
    const deps = fakeDeps(await tempDir());
    const launch = await launchExperiment(sampleSpec(), deps, { maxConcurrentRuns: 1, variants: ['first:5', 'last5'] });
    const runs = await launch.done;
    assert.deepEqual(runs.map((r) => r.variant), ['first5', 'last5']);
    assert.equal(deps.backendImpl.maxActive, 1);
  });

  it('stops one running run and one queued run without touching the others', async () => {
    const backend = new FakeBackend();
    backend.gated = new Set(['full', 'drop0.2']);
    const deps = fakeDeps(await tempDir(), backend);
    const launch = await launchExperiment(sampleSpec({ maxConcurrentRuns: 2 }), deps);
    await until(() => backend.isWaiting('full') && backend.isWaiting('drop0.2'), 'two runs training');
    launch.stop(launch.runs[0].id); // running
    launch.stop(launch.runs[5].id); // queued
    backend.release('drop0.2');
    const runs = await launch.done;
    assert.deepEqual(runs.map((r) => r.status), ['stopped', 'completed', 'completed', 'completed', 'completed', 'stopped']);
    assert.equal(runs[0].error, undefined, 'a stopped run is not an error');
    assert.ok(!backend.trained.includes('last10'), 'a queued run that was stopped never trains');
  });

  it('stops a run when another process leaves a stop request in its folder', async () => {
    const backend = new FakeBackend();
    backend.gated = new Set(['full', 'drop0.2']);
    const deps = fakeDeps(await tempDir(), backend);
    const launch = await launchExperiment(sampleSpec({ maxConcurrentRuns: 2 }), deps);
    await until(() => backend.isWaiting('full') && backend.isWaiting('drop0.2'), 'two runs training');
    await new RunStore(deps.store.root).requestStop(launch.runs[0].experiment, launch.runs[0].id);
    assert.equal(await deps.store.stopRequested(launch.runs[0].experiment, launch.runs[0].id), true);
    backend.release('drop0.2');
    const runs = await launch.done;
    assert.deepEqual(runs.map((r) => r.status), ['stopped', 'completed', 'completed', 'completed', 'completed', 'completed']);
    assert.match(await fs.readFile(deps.store.logFile(runs[0].experiment, runs[0].id), 'utf8'), /Stop requested by another process/);
  });

  it('stops everything when the work signal aborts, also during the flatten', async () => {
    const datasets = new FakeDatasets();
    datasets.delayMs = 5000;
    const deps = fakeDeps(await tempDir(), new FakeBackend(), datasets);
    const ac = new AbortController();
    const launch = await launchExperiment(sampleSpec(), deps, { signal: ac.signal });
    await until(() => launch.runs.every((r) => r.progress?.phase === 'flattening'), 'flattening');
    ac.abort();
    const runs = await launch.done;
    assert.deepEqual(runs.map((r) => r.status), Array(6).fill('stopped'));
    assert.equal(deps.backendImpl.trained.length, 0);
  });

  it('records failures per run: a training error, an evaluation error (scorer still disposed), a flatten error for all', async () => {
    const backend = new FakeBackend();
    backend.failVariants.add('first5');
    backend.failEvaluation.add('last5');
    const deps = fakeDeps(await tempDir(), backend);
    const runs = await (await launchExperiment(sampleSpec(), deps)).done;
    const byName = Object.fromEntries(runs.map((r) => [r.variant, r]));
    assert.equal(byName.first5.status, 'failed');
    assert.deepEqual(byName.first5.error, { code: 'MODEL_FORMAT', message: 'cannot train first5', file: undefined, line: undefined });
    assert.equal(byName.last5.status, 'failed');
    assert.equal(byName.last5.error?.message, 'endpoint failed');
    assert.equal(byName.full.status, 'completed');
    assert.equal(backend.disposed, backend.scorersCreated, 'every scorer disposed, also after a failed evaluation');

    const datasets = new FakeDatasets();
    datasets.fail = new SecmlError('LOG_FORMAT', 'bad row', { file: '/w/mixed-1.txt', line: 7 });
    const deps2 = fakeDeps(await tempDir(), new FakeBackend(), datasets);
    const runs2 = await (await launchExperiment(sampleSpec(), deps2)).done;
    assert.deepEqual(runs2.map((r) => r.status), Array(6).fill('failed'));
    assert.deepEqual(runs2[0].error, { code: 'LOG_FORMAT', message: 'bad row', file: '/w/mixed-1.txt', line: 7 });
  });

  it('rejects bad variants, stray overrides and bad hyperparameters before recording anything, naming the spec line', async () => {
    const root = await tempDir();
    const deps = fakeDeps(root);
    await assert.rejects(launchExperiment(sampleSpec({ variants: ['full', 'middle:5'] }), deps), (e: SecmlError) => /variants\[1\]: unknown variant "middle:5"/.test(e.message) && e.line! > 1);
    await assert.rejects(launchExperiment(sampleSpec({ overrides: { frist5: { max_depth: 2 } } }), deps), /overrides\.frist5: matches no variant/);
    const strict = { ...deps, checkHyperparameters: (_b: string, hp: Record<string, string>) => {
      if (Number(hp.max_depth) > 30) throw new SecmlError('BAD_ARGUMENT', 'Hyperparameter max_depth: expected an integer >= 1 and <= 30');
    } };
    await assert.rejects(launchExperiment(sampleSpec({ overrides: { last5: { max_depth: 99 } } }), strict), /last5: Hyperparameter max_depth/);
    await assert.rejects(launchExperiment(sampleSpec(), deps, { variants: ['nope'] }), /Variant "nope" is not in sample\.secml\.json/);
    assert.deepEqual(await deps.store.listExperiments(), []);
  });
});
