// Score benchmark: "Score this log file" end to end on ~1M rows of seed-format logs with a local model (read + flatten
// with the model's vocabulary + score + rank), against flattening alone measured in the same run; peak RSS of each.
// Also `secml score` as users run it (with and without writing the scores CSV).
// usage: npm run bench -- score [--quick] [--scale=S]
//   --quick    one run each on ~340k rows (scale 1) instead of best of 3 on ~1M rows (scale 3)
//   --scale=S  the sample scale of the scored logs (default 3: five session logs, about 1M rows)
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'dist/cli.js');
const TIME = '/usr/bin/time';
const quick = process.argv.includes('--quick');
const scaleArg = process.argv.find((a) => a.startsWith('--scale='));
const scale = scaleArg ? Number(scaleArg.slice('--scale='.length)) : quick ? 1 : 3;
const repeats = quick ? 1 : 3;
const scratch = path.join(tmpdir(), 'secml-bench', `score-${process.pid}`);

interface Measured {
  wall: number;
  rssMB: number;
  stdout: string;
}

/** Runs node on `args` under /usr/bin/time: wall seconds and peak RSS (MB). */
function measure(args: string[]): Measured {
  const timed = existsSync(TIME);
  const t0 = performance.now();
  const r = spawnSync(timed ? TIME : process.execPath, timed ? ['-f', '__RSS_KB=%M', process.execPath, ...args] : args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`node ${args.slice(0, 3).join(' ')}... failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const m = /__RSS_KB=(\d+)/.exec(r.stderr);
  return { wall, rssMB: m ? Number(m[1]) / 1024 : NaN, stdout: r.stdout };
}

/** Best of `n` by the reported seconds; the peak RSS is the largest seen. */
function best<T extends { seconds: number; rssMB: number }>(n: number, fn: () => T): T {
  let out: T | undefined;
  let rss = 0;
  for (let i = 0; i < n; i++) {
    const r = fn();
    rss = Math.max(rss, r.rssMB);
    if (!out || r.seconds < out.seconds) out = r;
  }
  return { ...out!, rssMB: rss };
}

const SESSION_FILES = ['known-attacker.txt', 'mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt', 'single.txt'];

/** The sample's session logs at `scale` (secml sample --seed 7), cached in the temp folder. */
function sampleLogs(scale: number): { dir: string; files: string[] } {
  const dir = path.join(tmpdir(), 'secml-bench', `score-sample-scale${scale}`);
  const files = SESSION_FILES.map((f) => path.join(dir, f));
  if (existsSync(path.join(dir, '.complete'))) return { dir, files };
  const tmp = `${dir}.tmp${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  const r = spawnSync(process.execPath, [cli, 'sample', '--out', tmp, '--seed', '7', '--scale', String(scale)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`secml sample failed: ${r.stderr.slice(-2000)}`);
  rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
  writeFileSync(path.join(dir, '.complete'), '');
  return { dir, files };
}

function cliJson(args: string[]): Record<string, unknown> {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`secml ${args[0]} failed: ${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout);
}

async function main(): Promise<void> {
  if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build (npm run bench builds first)');
  console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (shared machines make these figures preliminary); node ${process.version}`);
  mkdirSync(scratch, { recursive: true });
  try {
    // The model: trained on the seed-scale sample (mixed windows + the known attacker), cached per run.
    const train = sampleLogs(1);
    const ds = path.join(scratch, 'ds');
    const modelDir = path.join(scratch, 'model');
    const trainFiles = ['mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt'].map((f) => path.join(train.dir, f));
    cliJson(['flatten', ...trainFiles, '--augment', path.join(train.dir, 'known-attacker.txt'), '--out', ds, '--json']);
    cliJson(['train', ds, '--out', modelDir, '--json']);

    // The logs to score: the sample's five session logs at `scale` (about 340k rows per unit of scale).
    const data = sampleLogs(scale);
    console.log(`scored logs: secml sample --seed 7 --scale ${scale}: ${data.files.map((f) => path.basename(f)).join(', ')}`);

    const child = path.join(scratch, 'score-child.js');
    await esbuild.build({ entryPoints: [path.join(root, 'bench/score-child.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: child, logLevel: 'warning', external: ['@duckdb/*'] });
    const step = (mode: 'flatten' | 'score') => {
      const m = measure([child, mode, modelDir, ...data.files]);
      const j = JSON.parse(m.stdout) as { seconds: number; rows: number; sessions: number; flagged: number | null; scoreSeconds?: number; rankSeconds?: number; metricsSeconds?: number; withMetrics?: number };
      return { ...j, wall: m.wall, rssMB: m.rssMB };
    };
    const flatten = best(repeats, () => step('flatten'));
    const scored = best(repeats, () => step('score'));
    const viaCli = (csv: boolean) =>
      best(repeats, () => {
        const out = path.join(scratch, 'scores.csv');
        const m = measure([cli, 'score', modelDir, ...data.files, '--json', '--top', '0', ...(csv ? ['--out', out, '--force'] : ['--no-csv'])]);
        return { seconds: m.wall, rssMB: m.rssMB, summary: JSON.parse(m.stdout) as { sessions: number; flagged: number } };
      });
    const flattenCli = best(repeats, () => {
      const out = path.join(scratch, 'flat');
      const m = measure([cli, 'flatten', ...data.files, '--out', out, '--force', '--vocab', ds, '--json']);
      rmSync(out, { recursive: true, force: true });
      return { seconds: m.wall, rssMB: m.rssMB };
    });
    const cliNoCsv = viaCli(false);
    const cliCsv = viaCli(true);

    const rows = flatten.rows;
    const rate = (s: number) => `${(rows / s / 1e6).toFixed(2)} M rows/s`;
    const mb = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} MB` : 'n/a');
    const pct = (a: number, b: number) => `${a >= b ? '+' : ''}${(((a - b) / b) * 100).toFixed(0)}%`;
    console.log(`rows: ${rows.toLocaleString('en-US')}, sessions: ${flatten.sessions.toLocaleString('en-US')}, features: model of ${modelDir}; ${repeats > 1 ? `best of ${repeats}` : 'one run each'}`);
    console.log(`  flatten only (model vocabulary)      ${flatten.seconds.toFixed(2)} s  ${rate(flatten.seconds)}  peak RSS ${mb(flatten.rssMB)}`);
    console.log(`  score end to end (read+flatten+score+rank)  ${scored.seconds.toFixed(2)} s  ${rate(scored.seconds)}  peak RSS ${mb(scored.rssMB)}  (predicting ${scored.scoreSeconds?.toFixed(3)} s, ranking ${scored.rankSeconds?.toFixed(3)} s; ${scored.flagged?.toLocaleString('en-US')} flagged)`);
    console.log(`  + metrics on the labelled sessions   ${scored.withMetrics?.toFixed(2)} s  (metrics ${scored.metricsSeconds?.toFixed(3)} s: only when the logs carry labels)`);
    console.log(`  secml flatten --vocab (process wall, writes the dataset CSVs)  ${flattenCli.seconds.toFixed(2)} s  ${rate(flattenCli.seconds)}  peak RSS ${mb(flattenCli.rssMB)}`);
    console.log(`  secml score --no-csv (process wall)  ${cliNoCsv.seconds.toFixed(2)} s  ${rate(cliNoCsv.seconds)}  peak RSS ${mb(cliNoCsv.rssMB)}`);
    console.log(`  secml score + scores CSV (wall)      ${cliCsv.seconds.toFixed(2)} s  ${rate(cliCsv.seconds)}  peak RSS ${mb(cliCsv.rssMB)}`);
    const timeAdded = (scored.seconds - flatten.seconds) / flatten.seconds;
    const rssAdded = (scored.rssMB - flatten.rssMB) / flatten.rssMB;
    console.log(`scoring adds ${pct(scored.seconds, flatten.seconds)} time and ${pct(scored.rssMB, flatten.rssMB)} peak RSS to flattening alone (target < 20%): ${timeAdded < 0.2 && !(rssAdded >= 0.2) ? 'meets target' : 'MISSES target'}`);
    writeFileSync(path.join(scratch, 'done'), '');
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
