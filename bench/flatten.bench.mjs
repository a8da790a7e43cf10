// Flatten benchmark: `secml flatten` on the seed's data and six variants against peers measured in the same run
// (the seed's own pandas method, idiomatic vectorised pandas, DuckDB SQL PIVOT), then peak memory on ~10M rows.
// usage: npm run bench -- flatten [--quick]
//   --quick  skip the 10M-row runs, and time the seed's pandas method on 10% of the sessions (extrapolated) instead of
//            all of them (~45 s)
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { longSessionsFile, seedData } from './flatten-data.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist/cli.js');
const PY = '/usr/bin/python3';
const TIME = '/usr/bin/time';
const quick = process.argv.includes('--quick');
const SIX = ['full', 'drop:0.2', 'first:5', 'first:10', 'last:5', 'last:10'];
const scratch = path.join(tmpdir(), 'secml-bench', `out-${process.pid}`);

/** Runs a command under /usr/bin/time; returns stdout, wall seconds and peak RSS (MB). */
function measure(cmd, args) {
  const timed = existsSync(TIME);
  const t0 = performance.now();
  const r = spawnSync(timed ? TIME : cmd, timed ? ['-f', '__RSS_KB=%M', cmd, ...args] : args, { encoding: 'utf8', maxBuffer: 256 << 20 });
  const wall = (performance.now() - t0) / 1000;
  if (r.status !== 0) throw new Error(`${cmd} ${args.slice(0, 3).join(' ')}... failed (${r.status}): ${r.stderr.slice(-2000)}`);
  const m = /__RSS_KB=(\d+)/.exec(r.stderr);
  return { stdout: r.stdout, wall, rssMB: m ? Number(m[1]) / 1024 : NaN };
}

function best(runs, n, fn) {
  let out;
  for (let i = 0; i < n; i++) {
    const r = fn();
    if (!out || r.seconds < out.seconds) out = r;
  }
  return out;
}

function secml(files, variants, tag, extra = []) {
  const out = path.join(scratch, tag);
  const r = measure(process.execPath, [cli, 'flatten', ...files, '--out', out, '--force', '--json', ...variants.flatMap((v) => ['--variant', v]), ...extra]);
  const s = JSON.parse(r.stdout);
  rmSync(out, { recursive: true, force: true });
  return { seconds: s.elapsedMs / 1000, wall: r.wall, rssMB: r.rssMB, summary: s };
}

const f1 = (x, d = 2) => x.toFixed(d);
const rate = (rows, s) => `${(rows / s / 1e6).toFixed(2)} M rows/s`;
const mb = (x) => (Number.isFinite(x) ? `${x.toFixed(0)} MB` : 'n/a');
const verdict = (ok) => (ok ? 'meets target' : 'MISSES target');

if (!existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build (npm run bench builds first)');
console.log(`machine: ${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')} (shared machines make these figures preliminary); node ${process.version}`);
const data = seedData(cli, 1);
console.log(`data: ${data.source}: ${data.files.map((f) => path.basename(f)).join(', ')}`);

// --- six seed variants ---
const six = best(null, 3, () => secml(data.files, SIX, 'six'));
const rows = six.summary.events;
console.log(`rows: ${rows.toLocaleString('en-US')}, sessions: ${six.summary.sessions.toLocaleString('en-US')}, event types: ${six.summary.vocabulary}`);
console.log('\nsix seed variants (full, drop:0.2, first:5, first:10, last:5, last:10), best of 3 where repeated:');
console.log(`  secml flatten          ${f1(six.seconds)} s  ${rate(rows, six.seconds)}  (process wall ${f1(six.wall)} s, peak RSS ${mb(six.rssMB)}; reads, flattens, writes 4 CSVs + manifest per variant, with time features)`);

const ddb = best(null, 3, () => {
  const r = measure(process.execPath, [path.join(root, 'bench/flatten-duckdb-peer.mjs'), path.join(scratch, 'duckdb'), ...data.files]);
  return { ...JSON.parse(r.stdout), wall: r.wall, rssMB: r.rssMB };
});
console.log(`  DuckDB PIVOT           ${f1(ddb.seconds)} s  ${rate(rows, ddb.seconds)}  (peak RSS ${mb(ddb.rssMB)}; one CSV per variant)`);

let vec;
let seedPeer;
if (existsSync(PY) && spawnSync(PY, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0) {
  vec = best(null, 2, () => {
    const r = measure(PY, [path.join(root, 'bench/flatten_vectorised_pandas.py'), path.join(scratch, 'pandas'), ...data.files]);
    return { ...JSON.parse(r.stdout), rssMB: r.rssMB };
  });
  console.log(`  vectorised pandas      ${f1(vec.seconds)} s  ${rate(rows, vec.seconds)}  (peak RSS ${mb(vec.rssMB)}; six tables in ${f1(vec.tableSeconds)} s, then one CSV per variant; pandas ${spawnSync(PY, ['-c', 'import pandas; print(pandas.__version__)'], { encoding: 'utf8' }).stdout.trim()})`);
  seedPeer = seedMethod(data.files, quick ? 0.1 : 1, six.summary.sessions);
  console.log(`  seed's pandas method   ${f1(seedPeer.seconds, 1)} s  ${rate(rows, seedPeer.seconds)}  (${seedPeer.how}; run once)`);
} else {
  console.log(`  pandas peers skipped: ${PY} with pandas is not available`);
}

console.log('\nratios (secml flatten time vs peer time, same machine, same run):');
const ratio = (peer) => peer.seconds / six.seconds;
if (seedPeer) console.log(`  vs the seed's pandas method: ${f1(ratio(seedPeer), 0)}x faster (target >= 300x: ${verdict(ratio(seedPeer) >= 300)})`);
if (vec) console.log(`  vs vectorised pandas:        ${f1(ratio(vec), 1)}x faster (target >= 3x: ${verdict(ratio(vec) >= 3)})`);
console.log(`  vs DuckDB PIVOT:             ${f1(ratio(ddb), 1)}x faster`);

// --- full alone ---
const full = best(null, 3, () => secml(data.files, ['full'], 'full'));
const fullRate = rows / full.seconds;
console.log(`\nfull alone: ${f1(full.seconds)} s, ${rate(rows, full.seconds)} (target > 3 M rows/s: ${verdict(fullRate > 3e6)}); process wall ${f1(full.wall)} s, peak RSS ${mb(full.rssMB)}`);

/**
 * The seed's pandas method on `fraction` of the sessions. Below 1, the time for all `sessions` is estimated: the read
 * of every row as measured, plus the rest (per session: groupby-apply, pivots) scaled by sessions.
 */
function seedMethod(files, fraction, sessions) {
  const s = JSON.parse(measure(PY, [path.join(root, 'bench/flatten_seed_pandas.py'), String(fraction), ...files]).stdout);
  if (fraction >= 1) return { seconds: s.seconds, how: `measured on all ${s.sessions.toLocaleString('en-US')} sessions` };
  const scale = sessions / s.sessions;
  const seconds = s.readSeconds + (s.seconds - s.readSeconds) * scale;
  return { seconds, how: `measured ${f1(s.seconds)} s on ${s.sessions.toLocaleString('en-US')} sessions (${(100 / scale).toFixed(1)}%): the read of every row (${f1(s.readSeconds)} s) plus the rest scaled by sessions` };
}

/**
 * The same comparisons on the 10M-row sample, where fixed costs (starting cold code, creating 24 files) no longer
 * dominate: each peer runs once, the seed's method on a subset of ~2,400 sessions, extrapolated as above.
 */
function atScale(files, full, oneThread) {
  // Over 128 MB, secml flatten writes part of the variants on a second thread (the default); one thread for reference.
  const six = secml(files, SIX, 'big6t2');
  const rowsBig = six.summary.events;
  console.log(`\nat scale: the six variants on ${rowsBig.toLocaleString('en-US')} rows, ${six.summary.sessions.toLocaleString('en-US')} sessions (each peer run once):`);
  console.log(`  secml flatten          ${f1(six.seconds)} s  ${rate(rowsBig, six.seconds)}  (peak RSS ${mb(six.rssMB)}; two threads, the default over 128 MB)`);
  console.log(`  secml flatten, 1 thread ${f1(oneThread.seconds)} s  ${rate(rowsBig, oneThread.seconds)}  (peak RSS ${mb(oneThread.rssMB)}; --threads 1: the second thread is ${f1(oneThread.seconds / six.seconds)}x faster for ${f1(six.rssMB / oneThread.rssMB)}x the memory)`);
  const d = measure(process.execPath, [path.join(root, 'bench/flatten-duckdb-peer.mjs'), path.join(scratch, 'duckdb-big'), ...files]);
  const dd = JSON.parse(d.stdout);
  console.log(`  DuckDB PIVOT           ${f1(dd.seconds)} s  ${rate(rowsBig, dd.seconds)}  (peak RSS ${mb(d.rssMB)})`);
  const ratios = [['DuckDB PIVOT', dd.seconds, 0]];
  if (existsSync(PY) && spawnSync(PY, ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0) {
    const v = measure(PY, [path.join(root, 'bench/flatten_vectorised_pandas.py'), path.join(scratch, 'pandas-big'), ...files]);
    const vv = JSON.parse(v.stdout);
    console.log(`  vectorised pandas      ${f1(vv.seconds)} s  ${rate(rowsBig, vv.seconds)}  (peak RSS ${mb(v.rssMB)})`);
    const seed = seedMethod(files, Math.min(1, 24000 / six.summary.sessions), six.summary.sessions);
    console.log(`  seed's pandas method   ${f1(seed.seconds, 0)} s  (${seed.how})`);
    ratios.unshift(['the seed\'s pandas method', seed.seconds, 300], ['vectorised pandas', vv.seconds, 3]);
  }
  for (const [name, seconds, target] of ratios) {
    const x = seconds / six.seconds;
    console.log(`  vs ${`${name}:`.padEnd(27)} ${f1(x, x >= 100 ? 0 : 1)}x faster${target ? ` (target >= ${target}x: ${verdict(x >= target)})` : ''}`);
  }
  const fullRate = full.summary.events / full.seconds;
  console.log(`  full alone: ${f1(full.seconds)} s, ${rate(full.summary.events, full.seconds)} (target > 3 M rows/s: ${verdict(fullRate > 3e6)})`);
}

// --- memory: rows grow, sessions do not; then sessions grow with rows ---
if (!quick) {
  const copies = 40;
  const long = longSessionsFile(data.files, copies);
  const l = secml([long], ['full'], 'long');
  // One thread here: this compares memory with the 256k-row run (a second thread holds a second session table).
  const l6 = secml([long], SIX, 'long6', ['--threads', '1']);
  const cells = (s) => s.summary.sessions * s.summary.features.length;
  console.log(`\nmemory (peak RSS of the process):`);
  console.log(`  ${rows.toLocaleString('en-US')} rows, ${full.summary.sessions.toLocaleString('en-US')} sessions:   full ${mb(full.rssMB)}, six variants ${mb(six.rssMB)}`);
  console.log(`  ${l.summary.events.toLocaleString('en-US')} rows, ${l.summary.sessions.toLocaleString('en-US')} sessions (the same sessions ${copies}x longer): full ${mb(l.rssMB)} in ${f1(l.seconds)} s (${rate(l.summary.events, l.seconds)}), six variants ${mb(l6.rssMB)} in ${f1(l6.seconds)} s (one thread)`);
  console.log(`  rows x${(l.summary.events / rows).toFixed(0)}, peak RSS x${(l.rssMB / full.rssMB).toFixed(2)} (full), x${(l6.rssMB / six.rssMB).toFixed(2)} (six): memory follows sessions x features (${cells(l).toLocaleString('en-US')} cells), not rows`);
  const big = seedData(cli, 40);
  if (big.source.startsWith('secml sample')) {
    const b = secml(big.files, ['full'], 'big');
    const b6 = secml(big.files, SIX, 'big6', ['--threads', '1']);
    console.log(`  ${b.summary.events.toLocaleString('en-US')} rows, ${b.summary.sessions.toLocaleString('en-US')} sessions (${big.source}): full ${mb(b.rssMB)} in ${f1(b.seconds)} s (${rate(b.summary.events, b.seconds)}), six variants ${mb(b6.rssMB)} in ${f1(b6.seconds)} s (one thread)`);
    console.log(`  engine state at the end: ${(b6.summary.stateBytes / 1e6).toFixed(0)} MB for ${cells(b6).toLocaleString('en-US')} session x feature cells over six variants`);
    atScale(big.files, b, b6);
  } else {
    rmSync(big.dir, { recursive: true, force: true });
    console.log('  (a 10M-row run with more sessions needs `secml sample --scale 40`, not available in this build)');
  }
}
rmSync(scratch, { recursive: true, force: true });
