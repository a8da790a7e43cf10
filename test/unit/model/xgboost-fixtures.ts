/** Shared by the golden (unit) and live (integration) XGBoost cross-checks: the fixtures and a tree comparison. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseLabelledCsv, type LabelledMatrix } from '../../../src/core/model/labelled-csv';
import type { Tree } from '../../../src/core/model/tree-growth';

export const FIXTURES = path.resolve(__dirname, '../../fixtures/xgboost');
export const CONFIGS: Record<string, { num_round: number; xgboost: Record<string, number>; secml: Record<string, number> }> = JSON.parse(
  readFileSync(path.join(FIXTURES, 'configs.json'), 'utf8'),
);
export const loadFixtureCsv = (name: string): LabelledMatrix => parseLabelledCsv(readFileSync(path.join(FIXTURES, name)), name, 8);
export const readJsonFixture = (name: string) => JSON.parse(readFileSync(path.join(FIXTURES, name), 'utf8'));

export interface XgbTree {
  left_children: number[];
  right_children: number[];
  split_indices: number[];
  split_conditions: number[];
  default_left: number[];
}

/** Same structure, features, default directions; thresholds and leaf values within tol. Returns the first difference. */
export function firstTreeDifference(ours: Tree[], theirs: XgbTree[], tol = 1e-5): string | null {
  if (ours.length !== theirs.length) return `${ours.length} trees vs ${theirs.length}`;
  for (let k = 0; k < ours.length; k++) {
    const t = ours[k], x = theirs[k];
    if (t.left.length !== x.left_children.length) return `tree ${k}: ${t.left.length} nodes vs ${x.left_children.length}`;
    for (let i = 0; i < t.left.length; i++) {
      const leaf = t.left[i] === -1;
      const v = leaf ? t.value[i] : t.threshold[i];
      const where = `tree ${k} node ${i}`;
      if (t.left[i] !== x.left_children[i] || t.right[i] !== x.right_children[i]) return `${where}: children differ`;
      if (Math.abs(v - x.split_conditions[i]) > tol) return `${where}: ${leaf ? 'leaf' : 'threshold'} ${v} vs ${x.split_conditions[i]}`;
      if (!leaf && t.feature[i] !== x.split_indices[i]) return `${where}: feature ${t.feature[i]} vs ${x.split_indices[i]}`;
      if (!leaf && t.defaultLeft[i] !== Number(x.default_left[i])) return `${where}: default_left ${t.defaultLeft[i]} vs ${x.default_left[i]}`;
    }
  }
  return null;
}


/**
 * A dataset folder as "secml flatten" writes it, made from the fixture's train.csv (2000 train, 500 validation,
 * 500 test rows) with a manifest; returns its path (inside `parent`).
 */
export async function makeDatasetDir(parent: string, name = 'dataset'): Promise<string> {
  const { promises: fs } = await import('node:fs');
  const dir = path.join(parent, name);
  await fs.mkdir(dir, { recursive: true });
  const lines = readFileSync(path.join(FIXTURES, 'train.csv'), 'utf8').trim().split('\n');
  await fs.writeFile(path.join(dir, 'train.csv'), lines.slice(0, 2000).join('\n') + '\n');
  await fs.writeFile(path.join(dir, 'validation.csv'), lines.slice(2000, 2500).join('\n') + '\n');
  await fs.writeFile(path.join(dir, 'test.csv'), lines.slice(2500).join('\n') + '\n');
  const features = ['s3:GetObject', 'iam:ListUsers', 'sts:AssumeRole', 'ec2:DescribeInstances', 'duration', 'mean_gap', 'ec2:RunInstances', '__other__'];
  await fs.writeFile(
    path.join(dir, 'manifest.json'),
    JSON.stringify({
      kind: 'secml-dataset',
      formatVersion: 1,
      name: 'fixture',
      variant: { name: 'first-5', spec: 'first:5' },
      createdAt: new Date().toISOString(),
      features,
      vocabulary: features.filter((f) => f.includes(':')),
      reader: { format: 'cloudtrail', sessionGapMinutes: 30 },
      counts: { sessions: 3000 },
      files: { train: 'train.csv', validation: 'validation.csv', test: 'test.csv', sessions: 'sessions.csv' },
    }),
  );
  return dir;
}
