/**
 * A flattened dataset variant folder (train/validation/test CSVs, label first, plus a complete manifest.json) of
 * synthetic sessions, for the tests that train on a realistic size (in-host and UI). Deterministic; written once.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export interface SyntheticDataset {
  dir: string;
  rows: number;
  features: number;
}

export async function writeSyntheticDataset(dir: string, rows = 250_000, features = 37): Promise<SyntheticDataset> {
  if (await fs.stat(path.join(dir, 'manifest.json')).then(() => true, () => false)) return { dir, rows, features };
  await fs.mkdir(dir, { recursive: true });
  let seed = 12345;
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  const write = async (file: string, n: number) => {
    const h = await fs.open(path.join(dir, file), 'w');
    let chunk: string[] = [];
    for (let r = 0; r < n; r++) {
      const y = rnd() < 0.2 ? 1 : 0;
      const row = [y];
      for (let f = 0; f < features; f++) row.push(rnd() < 0.3 ? Math.floor(rnd() * (y && f % 5 === 0 ? 12 : 6)) : 0);
      chunk.push(row.join(','));
      if (chunk.length === 10000) {
        await h.write(chunk.join('\n') + '\n');
        chunk = [];
      }
    }
    if (chunk.length) await h.write(chunk.join('\n') + '\n');
    await h.close();
  };
  const held = Math.max(1, Math.round(rows * 0.08));
  await write('train.csv', rows);
  await write('validation.csv', held);
  await write('test.csv', held);
  const names = Array.from({ length: features }, (_, i) => `event${i}`);
  const counts = (n: number) => ({ sessions: n, positives: Math.round(n * 0.2) });
  await fs.writeFile(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      kind: 'secml-dataset', formatVersion: 1, name: path.basename(path.dirname(dir)), variant: { name: path.basename(dir), spec: 'full' },
      createdAt: new Date().toISOString(), generator: 'test', sources: [], augment: null, reader: { format: 'seed' },
      vocabulary: names, features: names, timeFeatures: false, split: { ratios: [0.84, 0.08, 0.08], seed: 1 }, labels: 'all',
      counts: { events: 0, sessions: rows + 2 * held, positives: Math.round((rows + 2 * held) * 0.2), unlabelled: 0, skippedRows: 0, unseenEventTypes: 0, keptEvents: 0, splits: { train: counts(rows), validation: counts(held), test: counts(held) } },
      skipped: [], files: { train: 'train.csv', validation: 'validation.csv', test: 'test.csv', sessions: 'sessions.csv' },
    }),
  );
  await fs.writeFile(path.join(dir, 'sessions.csv'), `session,label,${names.join(',')}\n`);
  return { dir, rows, features };
}
