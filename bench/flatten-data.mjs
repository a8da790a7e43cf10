// Seed-format session logs for the flatten benchmark. Prefers the project's own generator (`secml sample`, which
// writes known-attacker.txt and mixed-1..3.txt at the seed's scale); until that exists, writes a stand-in with the
// seed's shape: four tab-separated files, ~256k rows, ~24k sessions interleaved in time order, 37 action codes,
// LogTime as `2019-07-01 13:45:12.123`, BadActor on attacker sessions. Files are cached in the temp folder.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const SEED_FILES = ['known-attacker.txt', 'mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt'];
const CODES = ['111', '112', '114', '115', '116', '117', '118', '119', '121', '123', '124', '125', '126', '127', '135', '201', '215', '216', '217', '219', '311', '312', '315', '316', '317', '401', '402', '403', '404', '406', '407', '410', '411', '511', '513', '601', '607'];
const HEADER = 'SessionNo\tLogTime\tCustID\tGroupID\tProfID\tAct\tBadActor\n';

/** Returns { dir, files, source } for seed-format data at `scale` (1 = the seed's ~256k rows). */
export function seedData(cli, scale = 1) {
  const base = path.join(tmpdir(), 'secml-bench');
  const sampleDir = path.join(base, `sample-seed7-scale${scale}`);
  const standInDir = path.join(base, `stand-in-scale${scale}`);
  for (const dir of [sampleDir, standInDir]) {
    const marker = path.join(dir, '.complete');
    if (existsSync(marker)) return { dir, files: SEED_FILES.map((f) => path.join(dir, f)), source: readFileSync(marker, 'utf8') };
  }
  mkdirSync(base, { recursive: true });
  const tmp = `${sampleDir}.tmp${process.pid}`;
  const sample = spawnSync(process.execPath, [cli, 'sample', '--out', tmp, '--seed', '7', '--scale', String(scale), '--force'], { encoding: 'utf8' });
  if (sample.status === 0 && SEED_FILES.every((f) => existsSync(path.join(tmp, f)))) {
    const source = `secml sample --seed 7 --scale ${scale}`;
    mkdirSync(sampleDir, { recursive: true });
    for (const f of SEED_FILES) renameSync(path.join(tmp, f), path.join(sampleDir, f));
    rmSync(tmp, { recursive: true, force: true });
    writeFileSync(path.join(sampleDir, '.complete'), source);
    return { dir: sampleDir, files: SEED_FILES.map((f) => path.join(sampleDir, f)), source };
  }
  rmSync(tmp, { recursive: true, force: true });
  const source = `stand-in generator (bench/flatten-data.mjs; secml sample is not available in this build), scale ${scale}`;
  mkdirSync(standInDir, { recursive: true });
  writeStandIn(standInDir, scale);
  writeFileSync(path.join(standInDir, '.complete'), source);
  return { dir: standInDir, files: SEED_FILES.map((f) => path.join(standInDir, f)), source };
}

function writeStandIn(dir, scale) {
  let state = 7;
  const rand = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  const t0 = Date.UTC(2019, 6, 1);
  const fmt = (ms) => {
    const iso = new Date(ms).toISOString();
    return iso.slice(0, 10) + ' ' + iso.slice(11, 23);
  };
  // Rows per file as in the seed (known-attacker 61,917; mixed 119,474 / 43,608 / 30,844).
  const plan = [
    ['known-attacker.txt', 61917, 1.0],
    ['mixed-1.txt', 119474, 0.004],
    ['mixed-2.txt', 43608, 0.004],
    ['mixed-3.txt', 30844, 0.004],
  ];
  let nextSession = 100000;
  for (const [name, rows, badShare] of plan) {
    const target = Math.round(rows * scale);
    const out = [];
    let made = 0;
    while (made < target) {
      const bad = rand() < badShare ? 1 : 0;
      const n = Math.min(target - made, 1 + Math.floor(-Math.log(1 - rand()) * (bad ? 14 : 9.5)));
      let t = t0 + Math.floor(rand() * 86400000 * (name === 'known-attacker.txt' ? 700 : 1));
      const id = nextSession++;
      const cust = 1000 + Math.floor(rand() * 5000);
      for (let k = 0; k < n; k++) {
        const code = bad && rand() < 0.5 ? CODES[25 + Math.floor(rand() * 8)] : CODES[Math.floor(Math.pow(rand(), 1.7) * CODES.length)];
        out.push([t, `${id}\t${fmt(t)}\t${cust}\t${cust % 97}\t${cust * 3}\t${code}\t${bad}`]);
        t += 1000 + Math.floor(rand() * (bad ? 20000 : 120000));
      }
      made += n;
    }
    if (name !== 'known-attacker.txt') out.sort((a, b) => a[0] - b[0]);
    const fd = openSync(path.join(dir, name), 'w');
    writeSync(fd, HEADER);
    const CH = 50000;
    for (let i = 0; i < out.length; i += CH) writeSync(fd, out.slice(i, i + CH).map((r) => r[1]).join('\n') + '\n');
    closeSync(fd);
  }
}

/**
 * `copies` x the rows of `files` in one file, each copy shifted 1,000 days later: the same sessions (ids), each
 * `copies` times longer. Rows grow, sessions do not: the memory benchmark's control.
 */
export function longSessionsFile(files, copies) {
  const out = path.join(tmpdir(), 'secml-bench', `long-sessions-x${copies}-${path.basename(path.dirname(files[0]))}.txt`);
  if (existsSync(out + '.complete')) return out;
  const tmp = `${out}.tmp${process.pid}`;
  const fd = openSync(tmp, 'w');
  writeSync(fd, HEADER);
  const texts = files.map((f) => readFileSync(f, 'utf8'));
  for (let k = 0; k < copies; k++) {
    const shift = k * 1000 * 86400000;
    for (const text of texts) {
      const lines = text.split('\n');
      const buf = [];
      for (let i = 1; i < lines.length; i++) {
        const line = lines[i];
        if (!line) continue;
        const a = line.indexOf('\t');
        const b = line.indexOf('\t', a + 1);
        const iso = new Date(Date.parse(line.slice(a + 1, b).replace(' ', 'T') + 'Z') + shift).toISOString();
        buf.push(line.slice(0, a + 1) + iso.slice(0, 10) + ' ' + iso.slice(11, 23) + line.slice(b));
        if (buf.length === 100000) {
          writeSync(fd, buf.join('\n') + '\n');
          buf.length = 0;
        }
      }
      if (buf.length) writeSync(fd, buf.join('\n') + '\n');
    }
  }
  closeSync(fd);
  renameSync(tmp, out);
  writeFileSync(out + '.complete', '');
  return out;
}
