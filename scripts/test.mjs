// npm test: build, then run the three test tiers in order and print each runner's summary line.
//   (1) unit  : mocha over test/unit/** and test/integration/** in plain Node (.mocharc.json, tsx)
//   (2) vscode: mocha INSIDE the extension host of a real VS Code (test/vscode/suite/**, bundled into dist-test/)
//   (3) ui    : Playwright drives VS Code (code-server) in Debian Chromium (test/vscode/ui/**/*.test.ts)
// usage: node scripts/test.mjs [--only unit|vscode|ui[,...]] [--grep PATTERN] [--runner code-server|electron] [--no-build]
// Exits non-zero when any tier fails. Without code-server or chromium the VS Code tiers are skipped with the reason,
// except under CI=true, where that is a failure.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TIERS = ['unit', 'vscode', 'ui'];

function parseArgs(argv) {
  const opts = { only: TIERS, grep: undefined, runner: process.env.SECML_VSCODE_RUNNER || 'code-server', build: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) usage(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--only') opts.only = value().split(',');
    else if (a === '--grep' || a === '-g') opts.grep = value();
    else if (a === '--runner') opts.runner = value();
    else if (a === '--no-build') opts.build = false;
    else if (a === '--help' || a === '-h') usage();
    else usage(`unknown option ${a}`);
  }
  for (const t of opts.only) if (!TIERS.includes(t)) usage(`unknown tier "${t}" (tiers: ${TIERS.join(', ')})`);
  if (!['code-server', 'electron'].includes(opts.runner)) usage(`unknown runner "${opts.runner}" (code-server or electron)`);
  return opts;
}

function usage(error) {
  const text = 'usage: npm test -- [--only unit|vscode|ui[,...]] [--grep PATTERN] [--runner code-server|electron] [--no-build]';
  if (error) {
    console.error(`test: ${error}\n${text}`);
    process.exit(2);
  }
  console.log(text);
  process.exit(0);
}

/** Runs a command, echoing its output, and collects mocha-style counts ("N passing", "N failing", "N pending", "skipped:"). */
function run(cmd, args, env = {}) {
  return new Promise((resolve) => {
        const child = spawn(cmd, args, { cwd: root, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const counts = { passing: 0, failing: 0, pending: 0, skipped: undefined };
    let pendingText = '';
    const scan = (chunk, out) => {
      out.write(chunk);
      pendingText += chunk.toString();
      const lines = pendingText.split('\n');
      pendingText = lines.pop();
      for (const raw of lines) {
        const line = raw.replace(/\x1b\[[0-9;]*m/g, '');
        for (const k of ['passing', 'failing', 'pending']) {
          const m = line.match(new RegExp(`(\\d+) ${k}\\b`));
          if (m) counts[k] = Number(m[1]);
        }
        const a = line.match(/^activation: (.*)$/);
        if (a) counts.activation = a[1];
        const s = line.match(/skipped: (.*)$/);
        if (s && counts.skipped === undefined) counts.skipped = s[1];
      }
    };
    child.stdout.on('data', (c) => scan(c, process.stdout));
    child.stderr.on('data', (c) => scan(c, process.stderr));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), counts }));
  });
}

const node = process.execPath;
const tsx = ['--import', 'tsx'];
const mochaBin = path.join(root, 'node_modules', 'mocha', 'bin', 'mocha.js');
// Mocha's output goes through our pipe: colours exactly when our own stdout is a terminal.
const mochaColor = process.stdout.isTTY ? '--color' : '--no-color';

function tierCommand(tier, opts) {
  const grep = opts.grep ? ['--grep', opts.grep] : [];
  if (tier === 'unit') return { label: 'unit + integration', cmd: node, args: [mochaBin, mochaColor, ...grep] };
  if (tier === 'vscode') {
    return { label: `in-host (${opts.runner})`, cmd: node, args: [...tsx, `test/vscode/runners/${opts.runner}.ts`, ...grep] };
  }
  return {
    label: 'ui (Playwright + code-server)',
    cmd: node,
    args: [mochaBin, mochaColor, '--no-config', '--require', 'tsx/cjs', '--extension', 'ts', '--timeout', '180000', '--slow', '30000',
      '--reporter', 'spec', 'test/vscode/ui/**/*.test.ts', ...grep],
  };
}

const opts = parseArgs(process.argv.slice(2));
const results = [];
const t0 = Date.now();
if (opts.build) {
  const t = Date.now();
  const b = await run(node, ['scripts/build.mjs']);
  if (b.code !== 0) {
    console.error('test: the build failed');
    process.exit(1);
  }
  results.push({ label: 'build', status: 'ok', secs: (Date.now() - t) / 1000 });
}
for (const tier of TIERS.filter((t) => opts.only.includes(t))) {
  const { label, cmd, args } = tierCommand(tier, opts);
  console.log(`\n== ${label} ==`);
  const t = Date.now();
  const r = await run(cmd, args);
  const c = r.counts;
  const status = r.code !== 0 ? 'FAILED' : c.skipped !== undefined && c.passing === 0 ? 'skipped' : 'ok';
  results.push({ label, status, reason: c.skipped, activation: c.activation, secs: (Date.now() - t) / 1000, counts: `${c.passing} passing, ${c.failing} failing, ${c.pending} pending` });
}
console.log('\n== summary ==');
for (const r of results) console.log(`${r.label.padEnd(32)} ${r.status.padEnd(8)} ${(r.counts ?? '').padEnd(40)} ${r.secs.toFixed(1).padStart(7)} s`);
for (const r of results) if (r.status === 'skipped') console.log(`${r.label}: skipped: ${r.reason}`);
for (const r of results) if (r.activation) console.log(`${r.label}: ${r.activation}`);
const failed = results.filter((r) => r.status === 'FAILED');
console.log(`total ${((Date.now() - t0) / 1000).toFixed(1)} s: ${failed.length ? `FAILED (${failed.map((r) => r.label).join(', ')})` : 'all tiers passed'}`);
process.exit(failed.length ? 1 : 0);
