/** One sample workspace (seed 7, scale 1) generated once per mocha process and shared by the sample tests. */
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { generateSampleWorkspace, type SampleWorkspaceSummary } from '../../../src/core/sample/sample-workspace';

export interface Row {
  session: number;
  time: string;
  cust: string;
  group: string;
  prof: string;
  act: number;
  bad: number;
}

let shared: Promise<SampleWorkspaceSummary> | undefined;

const created: string[] = [];
process.on('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh temporary folder, removed when the test process exits. */
export function tempDir(tag: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), `secml-sample-${tag}-`));
  created.push(dir);
  return dir;
}

/** The seed-7, scale-1 workspace (about 336k rows), generated on first use. */
export function sharedWorkspace(): Promise<SampleWorkspaceSummary> {
  shared ??= generateSampleWorkspace(tempDir('shared'), { seed: 7, scale: 1 });
  return shared;
}

export function readRows(file: string): { header: string; rows: Row[] } {
  const lines = readFileSync(file, 'utf8').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const rows = lines.slice(1).map((l) => {
    const [session, time, cust, group, prof, act, bad] = l.split('\t');
    return { session: Number(session), time, cust, group, prof, act: Number(act), bad: Number(bad) };
  });
  return { header: lines[0], rows };
}

/** Every file under `dir` (relative path -> sha256), sorted. */
export function hashTree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (statSync(path.join(dir, r)).isDirectory()) walk(r);
      else out.set(r, createHash('sha256').update(readFileSync(path.join(dir, r))).digest('hex'));
    }
  };
  walk('');
  return out;
}
