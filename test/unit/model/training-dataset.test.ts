import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readTrainingDataset } from '../../../src/core/model/training-dataset';
import { makeDatasetDir } from './xgboost-fixtures';

describe('model/training-dataset', () => {
  let tmp: string;
  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'secml-ds-'));
  });
  after(() => fs.rm(tmp, { recursive: true, force: true }));

  it('reads the feature order, vocabulary, reader and variant from manifest.json', async () => {
    const ds = await readTrainingDataset(await makeDatasetDir(tmp, 'a'));
    assert.equal(ds.features.length, 8);
    assert.deepEqual(ds.variant, { name: 'first-5', spec: 'first:5' });
    assert.deepEqual(ds.reader, { format: 'cloudtrail', sessionGapMinutes: 30 });
    assert.ok(ds.hasManifest && ds.files.validation && ds.files.test);
  });

  it('honours split file names given in the manifest; names outside the folder are refused', async () => {
    const dir = await makeDatasetDir(tmp, 'b');
    await fs.rename(path.join(dir, 'train.csv'), path.join(dir, 'train-split.csv'));
    const manifest = JSON.parse(await fs.readFile(path.join(dir, 'manifest.json'), 'utf8'));
    manifest.files.train = 'train-split.csv';
    await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const ds = await readTrainingDataset(dir);
    assert.equal(ds.files.train, path.join(dir, 'train-split.csv'));
    assert.equal(ds.files.validation, path.join(dir, 'validation.csv'));
    manifest.files.validation = '../../etc/passwd';
    await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    await assert.rejects(readTrainingDataset(dir), (e: any) => e.code === 'BAD_ARGUMENT' && /inside the dataset folder/.test(e.message));
  });

  it('asks for one variant when given a dataset folder holding several', async () => {
    const parent = path.join(tmp, 'multi');
    await makeDatasetDir(parent, 'full');
    await makeDatasetDir(parent, 'first-5');
    await assert.rejects(readTrainingDataset(parent), (e: any) => /holds several variants \(full, first-5\)/.test(e.message));
  });

  it('rejects a folder without training data, another kind of manifest, or a manifest without features', async () => {
    await assert.rejects(readTrainingDataset(path.join(tmp, 'missing')), (e: any) => e.code === 'NOT_FOUND');
    const empty = path.join(tmp, 'empty');
    await fs.mkdir(empty);
    await assert.rejects(readTrainingDataset(empty), (e: any) => e.code === 'NOT_FOUND' && /no train\.csv here/.test(e.message));
    const dir = await makeDatasetDir(tmp, 'c');
    await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ kind: 'secml-model', features: [] }));
    await assert.rejects(readTrainingDataset(dir), (e: any) => e.code === 'BAD_ARGUMENT' && /"kind" is "secml-model"/.test(e.message));
    await fs.writeFile(path.join(dir, 'manifest.json'), JSON.stringify({ kind: 'secml-dataset', formatVersion: 1, vocabulary: [] }));
    await assert.rejects(readTrainingDataset(dir), (e: any) => e.code === 'BAD_ARGUMENT' && /"features" must be a list/.test(e.message));
  });
});
