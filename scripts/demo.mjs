// The main job on the embedded default (no AWS account): sample data -> flatten -> train -> metrics.
//   npm run demo [-- DIR]        (default DIR: ./demo-workspace)
// Builds, writes the sample workspace (skipped when DIR already holds it), then runs its experiment spec
// (flatten once, one local XGBoost-compatible model per variant, evaluation on the held-out single.txt) and prints
// the comparison. Open DIR in VS Code afterwards to see the same runs in the SecML Lab sidebar.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.resolve(process.argv[2] ?? path.join(root, 'demo-workspace'));
const cli = path.join(root, 'dist', 'cli.js');

function run(args, label) {
  console.log(`\n$ ${label}`);
  const r = spawnSync(process.execPath, args, { stdio: 'inherit', cwd: root });
  if (r.status !== 0) {
    console.error(`\ndemo: "${label}" failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

run([path.join(root, 'scripts', 'build.mjs')], 'npm run build');
const spec = path.join(dir, 'sample.secml.json');
if (existsSync(spec)) console.log(`\n${dir} already holds the sample workspace: reusing it (delete the folder to regenerate).`);
else run([cli, 'sample', '--out', dir], `secml sample --out ${path.relative(root, dir) || '.'}`);
// The comparison shows the evaluation file (single.txt, the unseen day): the default when the spec has one.
run([cli, 'experiment', 'run', spec, '-w', dir], `secml experiment run ${path.relative(root, spec)} -w ${path.relative(root, dir)}`);
console.log(`
Done. The runs, models and metrics are in ${path.join(dir, '.secml')}.
  See them in VS Code:   open ${dir} and click the SecML Lab icon (Experiments -> Open Metrics)
  Compare again:         node dist/cli.js experiment compare harvest-bag-of-events -w ${dir}
  Score new logs:        node dist/cli.js score ${path.join(dir, '.secml', 'experiments', 'harvest-bag-of-events', '<run>', 'model')} ${path.join(dir, 'single.txt')}`);
