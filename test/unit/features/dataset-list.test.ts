import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { listDatasets, newestVariants, readDatasetEntry } from '../../../src/core/features/dataset-list';
import { flattenToDataset } from '../../../src/core/features/flatten-dataset';
import { FIXTURES } from './dataset-files';

const SMALL = path.join(FIXTURES, 'seed-small.tsv');

/** Every manifest.json under `dir`, as a workspace file search finds them. */
function manifestFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => path.basename(f) === 'manifest.json')
    .map((f) => path.join(dir, f));
}

function setCreatedAt(variantDir: string, createdAt: string): void {
  const file = path.join(variantDir, 'manifest.json');
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), createdAt }));
}

describe('dataset listing (Datasets view, train picker)', () => {
  let root: string;
  let home: string;

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'secml-dataset-list-'));
    home = path.join(root, '.secml', 'datasets');
    // Two datasets in the home folder: one with two variants (older), one with a single variant (newer).
    await flattenToDataset([SMALL], path.join(home, 'older'), { variants: ['full', 'first:5'] });
    await flattenToDataset([SMALL], path.join(home, 'newer'), { variants: ['last:5'], name: 'Newer logs' });
    setCreatedAt(path.join(home, 'older', 'full'), '2024-01-01T00:00:00.000Z');
    setCreatedAt(path.join(home, 'older', 'first5'), '2024-01-03T00:00:00.000Z');
    setCreatedAt(path.join(home, 'newer'), '2024-01-02T00:00:00.000Z');
    // Written elsewhere by `secml flatten --out`: two variants under one dataset folder, and a single variant.
    await flattenToDataset([SMALL], path.join(root, 'out', 'ds'), { variants: ['full', 'last:5'] });
    await flattenToDataset([SMALL], path.join(root, 'out', 'one'), { variants: ['full'] });
    setCreatedAt(path.join(root, 'out', 'ds', 'full'), '2023-06-01T00:00:00.000Z');
    setCreatedAt(path.join(root, 'out', 'ds', 'last5'), '2023-06-01T00:00:00.000Z');
    setCreatedAt(path.join(root, 'out', 'one'), '2023-05-01T00:00:00.000Z');
    // Manifests that are not usable datasets: a bare "kind" (no validation would pass it), another tool's, broken JSON.
    for (const [dir, text] of [
      [path.join(home, 'bare'), JSON.stringify({ kind: 'secml-dataset', name: 'bare', createdAt: '2030-01-01T00:00:00Z' })],
      [path.join(root, 'web'), JSON.stringify({ name: 'web-app', short_name: 'app' })],
      [path.join(root, 'broken'), '{"kind": "secml-dataset",'],
    ]) {
      mkdirSync(dir, { recursive: true });
      writeFileSync(path.join(dir, 'manifest.json'), text);
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('lists the home folder newest first, then datasets found elsewhere, only with manifests that validate', async () => {
    const entries = await listDatasets(home, manifestFiles(root));
    assert.deepEqual(
      entries.map((e) => [path.relative(root, e.dir), e.name, e.variants.map((v) => path.relative(e.dir, v.dir) || '.')]),
      [
        [path.join('.secml', 'datasets', 'newer'), 'Newer logs', ['.']],
        [path.join('.secml', 'datasets', 'older'), 'older', ['full', 'first5']],
        [path.join('out', 'ds'), 'ds', ['full', 'last5']],
        [path.join('out', 'one'), 'one', ['.']],
      ],
    );
    assert.equal(entries[1].variants[1].manifest.variant.spec, 'first:5');
  });

  it('gives the same list when the manifest search leaves the home folder out (the Datasets view)', async () => {
    const all = await listDatasets(home, manifestFiles(root));
    const elsewhere = await listDatasets(home, manifestFiles(root).filter((f) => !f.startsWith(home + path.sep)));
    assert.deepEqual(elsewhere, all);
  });

  it('orders every variant newest first for the train picker', async () => {
    const variants = newestVariants(await listDatasets(home, manifestFiles(root)));
    assert.deepEqual(
      variants.map((v) => path.relative(root, v.dir)),
      [path.join('.secml', 'datasets', 'older', 'first5'), path.join('.secml', 'datasets', 'newer'), path.join('.secml', 'datasets', 'older', 'full'), path.join('out', 'ds', 'full'), path.join('out', 'ds', 'last5'), path.join('out', 'one')],
    );
  });

  it('reads one dataset folder, and nothing from folders that hold no dataset', async () => {
    const entry = await readDatasetEntry(path.join(root, 'out', 'ds'));
    assert.deepEqual(entry?.variants.map((v) => v.manifest.variant.name), ['full', 'last5']);
    assert.equal(await readDatasetEntry(path.join(home, 'bare')), undefined);
    assert.equal(await readDatasetEntry(path.join(root, 'missing')), undefined);
    assert.deepEqual(await listDatasets(path.join(root, 'no-home'), []), []);
  });
});
