import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadModel } from '../../../src/core/model/load-model';
import { FIXTURES } from './xgboost-fixtures';

describe('model/load-model', () => {
  let tmp: string;
  const xgbModel = path.join(FIXTURES, 'xgb-depth4.json');
  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'secml-load-'));
  });
  after(() => fs.rm(tmp, { recursive: true, force: true }));

  const modelFormat = (pattern: RegExp) => (e: any) => e.code === 'MODEL_FORMAT' && pattern.test(e.message);

  it('loads an XGBoost JSON file, or a folder holding model.json, with features f0..', async () => {
    const direct = await loadModel(xgbModel);
    assert.equal(direct.manifest, null);
    assert.equal(direct.scorer.numTrees, 20);
    assert.deepEqual(direct.features, ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7']);
    const dir = path.join(tmp, 'plain');
    await fs.mkdir(dir);
    await fs.copyFile(xgbModel, path.join(dir, 'model.json'));
    const fromDir = await loadModel(dir);
    assert.equal(fromDir.modelFile, path.join(dir, 'model.json'));
    const row = new Float32Array([1, 2, 3, 4, 5, 6, 7, 8]);
    assert.deepEqual(fromDir.scorer.predict(row, 1, 8), direct.scorer.predict(row, 1, 8));
  });

  it('loads our model folder through its manifest, also given the manifest file itself', async () => {
    const dir = path.join(tmp, 'ours');
    await fs.mkdir(dir);
    await fs.copyFile(xgbModel, path.join(dir, 'model.json'));
    const features = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
    await fs.writeFile(path.join(dir, 'secml-model.json'), JSON.stringify({ kind: 'secml-model', formatVersion: 1, modelFile: 'model.json', features }));
    assert.deepEqual((await loadModel(dir)).features, features);
    assert.deepEqual((await loadModel(path.join(dir, 'secml-model.json'))).features, features);
    await fs.writeFile(path.join(dir, 'secml-model.json'), JSON.stringify({ kind: 'secml-model', modelFile: 'model.json', features: ['a'] }));
    await assert.rejects(loadModel(dir), modelFormat(/20 trees|8 features but its manifest lists 1/));
  });

  it('explains what to do with gzip archives, binary models, missing files and empty folders', async () => {
    const gz = path.join(tmp, 'model.tar.gz');
    await fs.writeFile(gz, gzipSync(Buffer.from('xgboost-model')));
    await assert.rejects(loadModel(gz), modelFormat(/gzip archive.*save it as JSON/));
    const bin = path.join(tmp, 'model.ubj');
    await fs.writeFile(bin, Buffer.from([0x7b, 0x4c, 0x00, 0x00, 0x00, 0x01]));
    await assert.rejects(loadModel(bin), modelFormat(/not a JSON model.*save_model\("model.json"\)/));
    await assert.rejects(loadModel(path.join(tmp, 'none')), (e: any) => e.code === 'NOT_FOUND');
    const empty = path.join(tmp, 'empty');
    await fs.mkdir(empty);
    await assert.rejects(loadModel(empty), (e: any) => e.code === 'NOT_FOUND' && /holds no model/.test(e.message));
  });

  it('the scorer checks its inputs and writes into a given output array', async () => {
    const { scorer } = await loadModel(xgbModel);
    assert.throws(() => scorer.predict(new Float32Array(7), 1, 7), (e: any) => e.code === 'BAD_ARGUMENT' && /expects 8 features/.test(e.message));
    assert.throws(() => scorer.predict(new Float32Array(8), 2, 8), (e: any) => e.code === 'BAD_ARGUMENT');
    const out = new Float32Array(3).fill(-1);
    const rows = new Float32Array(16).fill(NaN);
    assert.equal(scorer.predict(rows, 2, 8, out), out);
    assert.ok(out[0] > 0 && out[0] < 1 && out[0] === out[1] && out[2] === -1);
  });
});
