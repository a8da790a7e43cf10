import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseHyperparameters } from '../../../src/core/model/hyperparameters';
import { readLabelledCsv } from '../../../src/core/model/labelled-csv';
import { listModelFolders, loadModel } from '../../../src/core/model/load-model';
import { trainModel, type RoundProgress } from '../../../src/core/model/train';
import { computeMetrics } from '../../../src/core/metrics/report';
import { makeDatasetDir } from './xgboost-fixtures';

describe('model/train: trainModel in a worker thread', function () {
  this.timeout(120000);
  let tmp: string;
  let dataset: string;
  before(async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'secml-train-'));
    dataset = await makeDatasetDir(tmp);
  });
  after(() => fs.rm(tmp, { recursive: true, force: true }));

  it('writes model.json and secml-model.json, reporting every round while the caller\'s thread stays free', async () => {
    const out = path.join(tmp, 'model');
    const rounds: RoundProgress[] = [];
    const fractions: number[] = [];
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const params = parseHyperparameters({ num_round: 30, eval_metric: 'logloss,auc' });
    let result;
    try {
      result = await trainModel(dataset, out, params, { onRound: (r) => rounds.push(r), onProgress: (p) => p.fraction !== undefined && fractions.push(p.fraction) });
    } finally {
      clearInterval(timer);
    }
    assert.ok(ticks > 0, 'timers ran during training');
    assert.deepEqual(rounds.map((r) => r.round), Array.from({ length: 30 }, (_, i) => i + 1));
    assert.ok(rounds.every((r) => r.numRound === 30 && typeof r.validation?.auc === 'number' && typeof r.train.logloss === 'number'));
    assert.equal(fractions[fractions.length - 1], 1);

    const m = result.manifest;
    const onDisk = JSON.parse(await fs.readFile(path.join(out, 'secml-model.json'), 'utf8'));
    assert.deepEqual(onDisk, JSON.parse(JSON.stringify(m)));
    assert.equal(m.kind, 'secml-model');
    assert.equal(m.features[0], 's3:GetObject');
    assert.deepEqual(m.reader, { format: 'cloudtrail', sessionGapMinutes: 30 });
    assert.deepEqual(m.variant, { name: 'first-5', spec: 'first:5' });
    assert.equal(m.vocabulary.length, 5);
    assert.equal(m.hyperparameters.max_depth, 5);
    assert.equal(m.hyperparameters.num_round, 30);
    assert.equal(m.trainingCurve.length, 30);
    assert.equal(m.numTrees, 30);
    assert.deepEqual(m.rows, { train: 2000, validation: 500, test: 500 });
    assert.ok(m.trainingSeconds > 0);
    assert.equal(m.thresholdAtFpr5, m.metrics.validation!.thresholdAtFpr5);
    assert.ok(m.metrics.test!.rocAuc! > 0.85);

    // The saved model scores the test split exactly as the manifest's metrics say.
    const loaded = await loadModel(out);
    assert.deepEqual(loaded.features, m.features);
    const test = await readLabelledCsv(path.join(dataset, 'test.csv'));
    const again = computeMetrics(test.y, loaded.scorer.predict(test.x, test.rows, test.cols));
    assert.deepEqual(JSON.parse(JSON.stringify(again)), onDisk.metrics.test);
  });

  it('is cancelled by its AbortSignal: rejects CANCELLED and writes nothing', async () => {
    const out = path.join(tmp, 'cancelled');
    const controller = new AbortController();
    await assert.rejects(
      trainModel(dataset, out, parseHyperparameters({ num_round: 100000 }), { signal: controller.signal, onRound: (r) => r.round === 2 && controller.abort() }),
      (e: any) => e.code === 'CANCELLED',
    );
    assert.equal(await fs.stat(out).then(() => true, () => false), false);
    const before = new AbortController();
    before.abort();
    await assert.rejects(trainModel(dataset, out, parseHyperparameters(), { signal: before.signal }), (e: any) => e.code === 'CANCELLED');
  });

  it('passes errors from the worker through with their code, file and line', async () => {
    const bad = await makeDatasetDir(tmp, 'bad');
    await fs.appendFile(path.join(bad, 'validation.csv'), '1,2,3\n');
    await assert.rejects(trainModel(bad, path.join(tmp, 'bad-model'), parseHyperparameters()), (e: any) => {
      return e.code === 'LOG_FORMAT' && e.file === path.join(bad, 'validation.csv') && e.line === 501 && /expected 9 comma-separated values/.test(e.message);
    });
    await assert.rejects(trainModel(path.join(tmp, 'nope'), path.join(tmp, 'x'), parseHyperparameters()), (e: any) => e.code === 'NOT_FOUND');
  });

  it('trains on a folder of plain label-first CSVs without a manifest (features f0, f1, ...)', async () => {
    const plain = await makeDatasetDir(tmp, 'plain');
    await fs.rm(path.join(plain, 'manifest.json'));
    await fs.rm(path.join(plain, 'validation.csv'));
    const { manifest } = await trainModel(plain, path.join(tmp, 'plain-model'), parseHyperparameters({ num_round: 3 }));
    assert.deepEqual(manifest.features, ['f0', 'f1', 'f2', 'f3', 'f4', 'f5', 'f6', 'f7']);
    assert.equal(manifest.metrics.validation, null);
    assert.equal(manifest.thresholdAtFpr5, null);
    assert.equal(manifest.trainingCurve[0].validation, undefined);
  });

  it('warns when the training split has no positive row (the model could flag nothing), and still trains', async () => {
    const negatives = await makeDatasetDir(tmp, 'negatives');
    await fs.rm(path.join(negatives, 'manifest.json'));
    const train = path.join(negatives, 'train.csv');
    const rows = (await fs.readFile(train, 'utf8')).trim().split('\n').map((l) => l.replace(/^[^,]*/, '0'));
    await fs.writeFile(train, rows.join('\n') + '\n');
    const warnings: string[] = [];
    const logger = { debug: () => {}, info: () => {}, warn: (m: string) => warnings.push(m), error: () => {} };
    await trainModel(negatives, path.join(tmp, 'negatives-model'), parseHyperparameters({ num_round: 2 }), { logger });
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /train\.csv has no attacker \(positive\) rows: the model cannot learn to flag anything/);
    const quiet: string[] = [];
    await trainModel(dataset, path.join(tmp, 'labelled-model'), parseHyperparameters({ num_round: 2 }), { logger: { ...logger, warn: (m: string) => quiet.push(m) } });
    assert.deepEqual(quiet, []);
  });

  it('replaces a previous model in the same folder', async () => {
    const out = path.join(tmp, 'replaced');
    await trainModel(dataset, out, parseHyperparameters({ num_round: 2 }));
    const { manifest } = await trainModel(dataset, out, parseHyperparameters({ num_round: 4 }));
    assert.equal(manifest.numTrees, 4);
    assert.equal((await loadModel(out)).scorer.numTrees, 4);
    assert.deepEqual((await fs.readdir(out)).sort(), ['model.json', 'secml-model.json'], 'no temp files left');
  });

  it('listModelFolders finds the model folders under a root, newest first', async () => {
    const models = await listModelFolders(tmp);
    const names = models.map((m) => path.basename(m.dir));
    assert.ok(names.includes('model') && names.includes('replaced') && !names.includes('dataset'), names.join(','));
    const times = models.map((m) => m.manifest.createdAt);
    assert.deepEqual(times, [...times].sort().reverse());
    assert.deepEqual(await listModelFolders(path.join(tmp, 'nope')), []);
  });
});
