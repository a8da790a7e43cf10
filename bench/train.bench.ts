/**
 * Benchmark: our histogram GBDT vs XGBoost hist (1 thread), same 250k x 37 sessions, same run, seed hyperparameters.
 * Prints training wall/CPU time, peak RSS and test AUC of both, the ratios, and scoring rows/s; checks the targets
 * (training <= 1.2x XGBoost's time at equal AUC +- 0.003; scoring >= 1M rows/s).
 * Each side trains in its own process (peak RSS is per process); the median of --runs runs is reported.
 * Data is generated at bench time by bench/train-data.py into $SECML_BENCH_CACHE (default: <tmp>/secml-bench).
 *
 * usage: node --import tsx bench/train.bench.ts [--runs=3] [--tag=p30|p01|all] [--mode=plain|watched|all] [--quick]
 *        (or npm run bench -- train [--quick]; --quick = one run, p30 only)
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { trainBooster } from '../src/core/model/boosting';
import { parseHyperparameters } from '../src/core/model/hyperparameters';
import { readLabelledCsv } from '../src/core/model/labelled-csv';
import { compileScorer } from '../src/core/model/scorer';
import { parseXGBoostModel, toXGBoostJson } from '../src/core/model/xgboost-json';
import { computeMetrics } from '../src/core/metrics/report';

const PYTHON = '/usr/bin/python3';
const CACHE = process.env.SECML_BENCH_CACHE ?? path.join(os.tmpdir(), 'secml-bench');
const TRAIN_TARGET = 1.2, AUC_TOLERANCE = 0.003, SCORE_TARGET = 1e6;

interface Figures {
  trainSeconds: number;
  cpuSeconds: number;
  peakRssMB: number;
  testAuc: number;
  scoreRowsPerSecond: number;
  /** Rows per second of CPU time (less sensitive to a busy machine than wall time). */
  scoreRowsPerCpuSecond: number;
  loadSeconds?: number;
}

/** `--name=value` or `--name value`. */
function arg(name: string, fallback: string): string {
  const eq = process.argv.find((a) => a.startsWith(`--${name}=`));
  if (eq) return eq.slice(name.length + 3);
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/** Child process: train ours once and print its figures as one JSON line. */
async function oursChild(tag: string, mode: string): Promise<void> {
  let t = performance.now();
  const train = await readLabelledCsv(path.join(CACHE, `${tag}_train250k.csv`));
  const test = await readLabelledCsv(path.join(CACHE, `${tag}_test50k.csv`));
  const loadSeconds = (performance.now() - t) / 1000;
  const watched = mode === 'watched';
  const cpu0 = process.cpuUsage();
  t = performance.now();
  const model = trainBooster(train, parseHyperparameters({ eval_metric: 'auc' }), { validation: watched ? test : undefined, watchTrain: watched });
  const trainSeconds = (performance.now() - t) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const scorer = compileScorer(parseXGBoostModel(JSON.parse(toXGBoostJson(model)), 'bench'));
  const out = new Float32Array(test.rows);
  scorer.predict(test.x, test.rows, test.cols, out); // warm-up
  const reps = 20;
  t = performance.now();
  const scoreCpu0 = process.cpuUsage();
  for (let k = 0; k < reps; k++) scorer.predict(test.x, test.rows, test.cols, out);
  const scoreSeconds = (performance.now() - t) / 1000;
  const scoreCpu = process.cpuUsage(scoreCpu0);
  const figures: Figures = {
    trainSeconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    testAuc: computeMetrics(test.y, out).rocAuc ?? NaN,
    scoreRowsPerSecond: (reps * test.rows) / scoreSeconds,
    scoreRowsPerCpuSecond: (reps * test.rows) / ((scoreCpu.user + scoreCpu.system) / 1e6),
    loadSeconds,
  };
  process.stdout.write(JSON.stringify(figures) + '\n');
}

function runChild(cmd: string, args: string[]): Figures {
  const text = execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  return JSON.parse(text.trim().split('\n').pop()!);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const medianFigures = (runs: Figures[]): Figures => {
  const keys = Object.keys(runs[0]) as (keyof Figures)[];
  return Object.fromEntries(keys.map((k) => [k, median(runs.map((r) => r[k] as number))])) as unknown as Figures;
};

function toolsAvailable(): string | null {
  try {
    execFileSync(PYTHON, ['-c', 'import numpy, xgboost, sklearn'], { stdio: 'ignore' });
    return null;
  } catch {
    return `${PYTHON} with numpy, xgboost and scikit-learn is needed (apt-get install -y python3-xgboost python3-sklearn)`;
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) return oursChild(arg('tag', 'p30'), arg('mode', 'plain'));
  const missing = toolsAvailable();
  if (missing) {
    console.log(`train bench skipped: ${missing}`);
    return;
  }
  if (!existsSync(path.join(CACHE, 'p01_test50k.npy'))) {
    console.log(`generating bench data in ${CACHE} ...`);
    execFileSync(PYTHON, [path.join(__dirname, 'train-data.py'), CACHE], { stdio: 'inherit' });
  }
  const quick = process.argv.includes('--quick');
  const runs = Number(arg('runs', quick ? '1' : '3'));
  const tag = arg('tag', quick ? 'p30' : 'all');
  const tags = tag === 'all' ? ['p30', 'p01'] : [tag];
  const modes = arg('mode', 'all') === 'all' ? ['plain', 'watched'] : [arg('mode', 'all')];
  const [load1] = os.loadavg();
  console.log(`GBDT training: ours vs XGBoost ${execFileSync(PYTHON, ['-c', 'import xgboost; print(xgboost.__version__)'], { encoding: 'utf8' }).trim()} hist, 1 thread, 250k x 37, seed hyperparameters, 50 rounds, median of ${runs} (load average ${load1.toFixed(2)} on ${os.cpus().length} CPUs)`);
  let ok = true;
  for (const tag of tags) {
    for (const mode of modes) {
      const ours: Figures[] = [], theirs: Figures[] = [];
      for (let k = 0; k < runs; k++) {
        ours.push(runChild(process.execPath, [...process.execArgv, __filename, '--child', '--tag', tag, '--mode', mode]));
        theirs.push(runChild(PYTHON, [path.join(__dirname, 'train-xgboost.py'), CACHE, tag, mode]));
      }
      const o = medianFigures(ours), x = medianFigures(theirs);
      const ratio = o.trainSeconds / x.trainSeconds, cpuRatio = o.cpuSeconds / x.cpuSeconds, dAuc = o.testAuc - x.testAuc;
      const label = `${tag} (${tag === 'p30' ? '30%' : '1%'} positives), ${mode === 'plain' ? 'no per-round eval' : 'AUC on train and test every round'}`;
      console.log(`\n${label}`);
      console.log(`  ${''.padEnd(9)} ${'train s'.padStart(8)} ${'cpu s'.padStart(7)} ${'peak RSS'.padStart(9)} ${'test AUC'.padStart(9)} ${'score rows/s (wall, cpu)'.padStart(25)}`);
      for (const [name, f] of [['ours', o], ['XGBoost', x]] as const) {
        const rate = `${(f.scoreRowsPerSecond / 1e6).toFixed(2)} M, ${(f.scoreRowsPerCpuSecond / 1e6).toFixed(2)} M`;
        console.log(`  ${name.padEnd(9)} ${f.trainSeconds.toFixed(3).padStart(8)} ${f.cpuSeconds.toFixed(3).padStart(7)} ${`${f.peakRssMB.toFixed(0)} MB`.padStart(9)} ${f.testAuc.toFixed(4).padStart(9)} ${rate.padStart(25)}`);
      }
      const trainOk = ratio <= TRAIN_TARGET && Math.abs(dAuc) <= AUC_TOLERANCE;
      const scoreOk = o.scoreRowsPerSecond >= SCORE_TARGET;
      ok &&= trainOk && scoreOk;
      console.log(`  ratio ours/XGBoost: train time ${ratio.toFixed(2)}x (cpu ${cpuRatio.toFixed(2)}x), AUC ${dAuc >= 0 ? '+' : ''}${dAuc.toFixed(4)}: ${trainOk ? 'meets' : 'MISSES'} the target (<= ${TRAIN_TARGET}x at AUC +-${AUC_TOLERANCE})`);
      console.log(`  scoring ${(o.scoreRowsPerSecond / 1e6).toFixed(2)} M rows/s: ${scoreOk ? 'meets' : 'MISSES'} the target (>= 1M rows/s); CSV load (ours) ${o.loadSeconds!.toFixed(2)} s`);
    }
  }
  console.log(`\ntrain bench: ${ok ? 'all targets met' : 'some targets missed'}${load1 > os.cpus().length * 0.5 ? ' (machine busy: figures are preliminary)' : ''}`);
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
