/**
 * The experiment engine on real data: the sample workspace (generated at a reduced scale), flattened once, trained with the
 * local GBDT in worker threads, evaluated on the test split and single.txt. Then the crash test on the real CLI: kill
 * `secml experiment run` while a run trains; the next reader shows that run interrupted and the finished ones intact.
 * And a stop request from another process (what VS Code's Stop does for a CLI run) stops just that run.
 */
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSampleWorkspace, SPEC_FILE } from '../../src/core/sample/sample-workspace';
import { createRunnerDeps } from '../../src/core/experiments/engine';
import { launchExperiment } from '../../src/core/experiments/runner';
import { RunStore } from '../../src/core/experiments/run-store';
import { loadExperimentSpec } from '../../src/core/experiments/spec';

const REPO = path.resolve(__dirname, '../..');
const EXPERIMENT = 'harvest-bag-of-events';

describe('experiments on the sample workspace (local backend)', function () {
  this.timeout(300_000);
  let dir = '';

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'secml-exp-engine-'));
    await generateSampleWorkspace(dir, { scale: 0.25 });
  });
  after(async () => {
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('flattens once, trains each variant, and measures it on the test split and the evaluation file', async () => {
    const loaded = await loadExperimentSpec(path.join(dir, SPEC_FILE));
    const store = RunStore.forWorkspace(dir);
    const launch = await launchExperiment(loaded, createRunnerDeps({ store }), { variants: ['full', 'first:5', 'last:10'], maxConcurrentRuns: 2 });
    const runs = await launch.done;
    assert.deepEqual(runs.map((r) => [r.variant, r.status, r.error?.message]), [['full', 'completed', undefined], ['first5', 'completed', undefined], ['last10', 'completed', undefined]]);
    const datasets = await fs.readdir(store.datasetDir(EXPERIMENT, launch.launchId));
    assert.deepEqual(datasets.sort(), ['first5', 'full', 'last10'], 'one flatten wrote every variant');
    for (const r of runs) {
      const m = (await store.readMetrics(EXPERIMENT, r.id))!;
      assert.ok(m.test.rows > 100 && m.test.summary.positives > 0, `${r.variant}: a test split with attackers`);
      assert.equal(m.test.summary.tp + m.test.summary.fn, m.test.summary.positives);
      assert.equal(m.test.baseline.tp + m.test.baseline.fp, 0, 'the all-negative baseline flags nothing');
      assert.ok(m.test.curve.length > 2 && m.test.curve.length <= 210);
      assert.ok(m.evaluation && m.evaluation.summary.positives > 0, `${r.variant}: measured on single.txt`);
      assert.deepEqual(m.evaluation.files, [path.join(dir, 'single.txt')]);
      assert.ok(m.trainingCurve && m.trainingCurve.rounds.length > 1 && m.trainingCurve.metrics.includes('validation-aucpr'));
      assert.ok(r.summary?.test && r.summary.evaluation && r.summary.baseline?.test);
      await fs.access(path.join(r.modelDir!, 'model.json'));
      await fs.access(path.join(store.runDir(EXPERIMENT, r.id), 'dataset-manifest.json'));
    }
    // The full-session model separates attackers far better than chance on the unseen day.
    const full = runs.find((r) => r.variant === 'full')!;
    assert.ok(full.summary!.evaluation!.rocAuc! > 0.9, `full ROC AUC on single.txt ${full.summary!.evaluation!.rocAuc}`);
  });

  it('a stop request from another process stops that run of `secml experiment run`; the others complete, exit 0', async () => {
    // full trains for a long time (5,000 rounds), last:5 for the usual 50.
    const spec = JSON.parse(await fs.readFile(path.join(dir, SPEC_FILE), 'utf8'));
    const specFile = path.join(dir, 'stoppable.secml.json');
    await fs.writeFile(specFile, JSON.stringify({ ...spec, name: 'stoppable', variants: ['full', 'last:5'], overrides: { full: { num_round: 5000 } }, evaluation: { files: [] } }));
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', path.join(REPO, 'src/cli/main.ts'), 'experiment', 'run', specFile, '--max-concurrent', '2', '--workspace', dir], { cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const store = RunStore.forWorkspace(dir);
    let target = '';
    for (let i = 0; i < 1200 && !target && child.exitCode === null; i++) {
      const full = (await store.listRuns('stoppable').catch(() => [])).find((r) => r.variant === 'full');
      if (full?.status === 'running' && full.progress?.phase === 'training' && (full.progress.round ?? 0) > 0) target = full.id;
      else await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(target, `full never trained; CLI stderr:\n${stderr}`);
    await new RunStore(store.root).requestStop('stoppable', target);
    assert.equal(await exited, 0, stderr);
    const runs = await store.listRuns('stoppable');
    assert.deepEqual(runs.map((r) => [r.variant, r.status]).sort(), [['full', 'stopped'], ['last5', 'completed']]);
    const full = runs.find((r) => r.id === target)!;
    assert.ok((full.progress?.round ?? 0) < 5000, 'stopped before its last round');
    assert.match(await fs.readFile(store.logFile('stoppable', target), 'utf8'), /Stop requested by another process/);
  });

  it('crash test: killing `secml experiment run` mid-training leaves that run interrupted and the finished ones intact', async () => {
    const child = spawn(process.execPath, ['-r', 'tsx/cjs', path.join(REPO, 'src/cli/main.ts'), 'experiment', 'run', path.join(dir, SPEC_FILE), '--max-concurrent', '1', '--variant', 'full', '--variant', 'drop:0.2', '--variant', 'last:5', '--workspace', dir], {
      cwd: REPO,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const store = RunStore.forWorkspace(dir);
    // Wait until the first run completed and the second is training, reading the store as another process would.
    let killedRun = '';
    for (let i = 0; i < 1200 && !killedRun; i++) {
      const runs = await store.listRuns(EXPERIMENT).catch(() => []);
      const latest = runs.filter((r) => r.launchId === runs[0]?.launchId);
      const training = latest.find((r) => r.status === 'running' && r.progress?.phase === 'training');
      if (latest.some((r) => r.status === 'completed') && training) killedRun = training.id;
      else await new Promise((r) => setTimeout(r, 100));
      if (child.exitCode !== null) break;
    }
    assert.ok(killedRun, `never saw a completed run and a training run; CLI stderr:\n${stderr}`);
    child.kill('SIGKILL');
    await exited;

    const all = await new RunStore(store.root).listRuns(EXPERIMENT);
    const launchId = all.find((r) => r.id === killedRun)!.launchId;
    const runs = all.filter((r) => r.launchId === launchId);
    const byVariant = Object.fromEntries(runs.map((r) => [r.variant, r]));
    assert.equal(byVariant.full.status, 'completed');
    assert.ok(await store.readMetrics(EXPERIMENT, byVariant.full.id), 'the completed run keeps its metrics');
    const killed = runs.find((r) => r.id === killedRun)!;
    assert.equal(killed.status, 'interrupted');
    assert.match(killed.interruptedReason!, /ended while it was running \(training\)/);
    assert.equal(byVariant.last5.status, 'interrupted');
    assert.match(byVariant.last5.interruptedReason!, /while it was queued/);
  });
});
