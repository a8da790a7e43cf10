// Experiment launch on the sample workspace (six seed variants, local backend): flatten once + train up to N at a time,
// against the notebook's way (each variant flattened on its own, then trained one after another), both measured here.
//   npm run bench -- experiment [--quick]      (--quick: a quarter of the sample)
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRunnerDeps, featuresDatasetPreparer } from '../src/core/experiments/engine';
import { launchExperiment } from '../src/core/experiments/runner';
import { RunStore } from '../src/core/experiments/run-store';
import { loadExperimentSpec } from '../src/core/experiments/spec';
import { generateSampleWorkspace, SPEC_FILE } from '../src/core/sample/sample-workspace';

const quick = process.argv.includes('--quick');
/** Each figure is the best of this many repetitions (the machine is shared: the minimum is the least disturbed). */
const REPEAT = 2;

async function timed<T>(fn: (k: number) => Promise<T>): Promise<[T, number]> {
  let best = Infinity;
  let value: T | undefined;
  for (let k = 0; k < REPEAT; k++) {
    const t0 = performance.now();
    value = await fn(k);
    best = Math.min(best, (performance.now() - t0) / 1000);
  }
  return [value!, best];
}

async function main(): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'secml-bench-exp-'));
  try {
    const scale = quick ? 0.25 : 1;
    await generateSampleWorkspace(dir, { scale });
    const loaded = await loadExperimentSpec(path.join(dir, SPEC_FILE));
    const { spec } = loaded;
    console.log(`sample workspace scale ${scale}: ${spec.variants.length} variants, ${os.cpus().length} CPU(s), load ${os.loadavg()[0].toFixed(1)}; best of ${REPEAT}`);
    const all = spec.variants.map((v) => ({ spec: v, name: featuresDatasetPreparer.variantName(v) }));
    const [, flatOnce] = await timed((k) => featuresDatasetPreparer.flatten(spec, all, path.join(dir, `flat-all-${k}`), {}));
    const [, flatEach] = await timed(async (k) => {
      for (const v of all) await featuresDatasetPreparer.flatten(spec, [v], path.join(dir, `flat-each-${k}`, v.name), {});
    });
    console.log(`flatten: all ${all.length} variants in one pass ${flatOnce.toFixed(2)} s; one pass per variant ${flatEach.toFixed(2)} s (${(flatEach / flatOnce).toFixed(2)}x)`);

    const results: Record<string, number> = {};
    for (const concurrency of [1, 2]) {
      const [runs, s] = await timed(async (k) => {
        const store = RunStore.forWorkspace(path.join(dir, `ours-${concurrency}-${k}`));
        return (await launchExperiment(loaded, createRunnerDeps({ store }), { maxConcurrentRuns: concurrency })).done;
      });
      const failed = runs.filter((r) => r.status !== 'completed');
      if (failed.length) throw new Error(`runs failed: ${failed.map((r) => `${r.variant}: ${r.error?.message}`).join('; ')}`);
      results[`ours-${concurrency}`] = s;
      console.log(`ours: flatten once + ${runs.length} runs, ${concurrency} at a time: ${s.toFixed(1)} s`);
    }

    // The notebook's way: one flatten per variant, then one run after another (same trainer and evaluation).
    const [, peer] = await timed(async (k) => {
      for (const v of spec.variants) {
        const name = featuresDatasetPreparer.variantName(v);
        const store = RunStore.forWorkspace(path.join(dir, `peer-${k}-${name}`));
        const runs = await (await launchExperiment(loaded, createRunnerDeps({ store }), { variants: [v], maxConcurrentRuns: 1 })).done;
        if (runs[0].status !== 'completed') throw new Error(`${name}: ${runs[0].error?.message}`);
      }
    });
    console.log(`peer: one flatten per variant, runs one after another: ${peer.toFixed(1)} s`);
    console.log(`ratio peer / ours (1 at a time): ${(peer / results['ours-1']).toFixed(2)}x  (the saving of flattening once)`);
    console.log(`ratio peer / ours (2 at a time): ${(peer / results['ours-2']).toFixed(2)}x  (flatten once + two worker threads)`);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
