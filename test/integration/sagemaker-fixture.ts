/**
 * A small flattened dataset for the SageMaker tests, shaped like the dataset writer's variant folders: train.csv,
 * validation.csv, test.csv (label first, no header) and manifest.json (features in order). Plus helpers a runner would
 * have: read a labelled CSV into rows without the label, and a confusion/AUC summary.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export const FEATURES = ['ConsoleLogin', 'ListBuckets', 'GetObject', 'session_minutes'];

function rows(n: number, seed: number): string {
  const out: string[] = [];
  let x = seed;
  const rnd = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < n; i++) {
    const bad = rnd() < 0.3 ? 1 : 0;
    out.push([bad, Math.floor(rnd() * 3), Math.floor(rnd() * 5) + bad * 4, Math.floor(rnd() * 9), (rnd() * 60).toFixed(2)].join(','));
  }
  return out.join('\n') + '\n';
}

export async function writeVariant(root: string, variant: string, seed: number): Promise<string> {
  const dir = path.join(root, variant);
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, 'train.csv'), rows(200, seed));
  await fs.writeFile(path.join(dir, 'validation.csv'), rows(50, seed + 1));
  await fs.writeFile(path.join(dir, 'test.csv'), rows(20, seed + 2));
  await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ variant, features: FEATURES }, null, 2));
  return dir;
}

export interface LabelledRows {
  labels: number[];
  rows: Float32Array;
  n: number;
  F: number;
  /** The lines as written, for payload comparisons. */
  lines: string[];
}

export async function readLabelled(file: string): Promise<LabelledRows> {
  const lines = (await fs.readFile(file, 'utf8')).trimEnd().split('\n');
  const F = lines[0].split(',').length - 1;
  const rowsOut = new Float32Array(lines.length * F);
  const labels: number[] = [];
  lines.forEach((l, i) => {
    const [label, ...xs] = l.split(',').map(Number);
    labels.push(label);
    xs.forEach((v, j) => (rowsOut[i * F + j] = v));
  });
  return { labels, rows: rowsOut, n: lines.length, F, lines };
}

export function confusion(labels: number[], scores: Float32Array, threshold = 0.5): { tp: number; fp: number; tn: number; fn: number; auc: number } {
  let tp = 0, fp = 0, tn = 0, fn = 0;
  labels.forEach((y, i) => {
    const p = scores[i] >= threshold ? 1 : 0;
    if (p && y) tp++;
    else if (p) fp++;
    else if (y) fn++;
    else tn++;
  });
  let pairs = 0, wins = 0;
  labels.forEach((y, i) => {
    if (!y) return;
    labels.forEach((z, j) => {
      if (z) return;
      pairs++;
      wins += scores[i] > scores[j] ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    });
  });
  return { tp, fp, tn, fn, auc: pairs ? wins / pairs : NaN };
}
