// `npm run bench [-- NAME... [--quick]]`: builds, then runs every bench/*.bench.mjs|ts (or the named ones) one after
// another, each in its own process, passing the remaining arguments through. Benchmarks print their figures and the
// ratios against peers measured in the same run; they never fail on a ratio (speed targets are not tests).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-'));
const passThrough = args.filter((a) => a.startsWith('-'));
const all = readdirSync(here).filter((f) => /\.bench\.(mjs|ts)$/.test(f)).sort();
const chosen = names.length ? all.filter((f) => names.some((n) => f.startsWith(n + '.') || f === n)) : all;
if (names.length && chosen.length !== names.length) {
  console.error(`unknown benchmark(s): ${names.filter((n) => !all.some((f) => f.startsWith(n + '.') || f === n)).join(', ')}; available: ${all.map((f) => f.replace(/\.bench\.(mjs|ts)$/, '')).join(', ')}`);
  process.exit(2);
}
const build = spawnSync(process.execPath, [path.join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
let failed = 0;
for (const f of chosen) {
  console.log(`\n=== ${f.replace(/\.bench\.(mjs|ts)$/, '')} ===`);
  const runner = f.endsWith('.ts') ? ['--import', 'tsx', path.join(here, f)] : [path.join(here, f)];
  const r = spawnSync(process.execPath, [...runner, ...passThrough], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`${f} exited with ${r.status ?? r.signal}`);
  }
}
process.exit(failed ? 1 : 0);
