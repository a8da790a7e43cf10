/**
 * A small flattened dataset for the SageMaker tests, shaped like the dataset writer's variant folders: train.csv,
 * validation.csv, test.csv (label first, no header) and manifest.json (features in order).
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
