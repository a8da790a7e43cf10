import * as assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { hyperparametersFor, loadExperimentSpec, parseExperimentSpec } from '../../../src/core/experiments/spec';
import { lineOfJsonPath } from '../../../src/core/experiments/json-locate';
import { tempDir } from './fakes';
import { parseVariant } from '../../../src/core/features/variants';

/** The spec `secml sample` writes (issue: the format to implement exactly). */
const SAMPLE = {
  name: 'harvest-bag-of-events',
  description: 'Bag-of-events sessions, six truncation variants',
  input: { files: ['mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt'], format: 'seed', augment: ['known-attacker.txt'] },
  variants: ['full', 'drop:0.2', 'first:5', 'first:10', 'last:5', 'last:10'],
  split: { train: 0.7, validation: 0.15, test: 0.15 },
  seed: 42,
  timeFeatures: true,
  hyperparameters: { max_depth: 5, eta: 0.2, gamma: 4, min_child_weight: 6, subsample: 0.7, num_round: 50, objective: 'binary:logistic', eval_metric: 'aucpr' },
  overrides: {},
  backend: 'local',
  maxConcurrentRuns: 2,
  evaluation: { files: ['single.txt'] },
};

function errorOf(value: unknown): { message: string; line?: number } {
  const text = JSON.stringify(value, null, 2);
  try {
    parseExperimentSpec(value, 'x.secml.json', text);
  } catch (e) {
    return e as { message: string; line?: number };
  }
  assert.fail('expected the spec to be rejected');
}

describe('experiments/spec', () => {
  it('accepts the sample spec and resolves its paths against the spec file', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'sample.secml.json');
    await fs.writeFile(file, JSON.stringify(SAMPLE, null, 2));
    const { spec } = await loadExperimentSpec(file);
    assert.equal(spec.name, 'harvest-bag-of-events');
    assert.deepEqual(spec.input.files, ['mixed-1.txt', 'mixed-2.txt', 'mixed-3.txt'].map((f) => path.join(dir, f)));
    assert.deepEqual(spec.input.augment, [path.join(dir, 'known-attacker.txt')]);
    assert.deepEqual(spec.evaluation.files, [path.join(dir, 'single.txt')]);
    assert.equal(spec.maxConcurrentRuns, 2);
    assert.equal(spec.variants.length, 6);
  });

  it('fills defaults for optional keys', () => {
    const spec = parseExperimentSpec({ name: 'x', input: { files: ['a.txt'], format: 'seed' }, variants: ['full'] }, 'x.secml.json');
    assert.deepEqual(spec.split, { train: 0.7, validation: 0.15, test: 0.15 });
    assert.equal(spec.backend, 'local');
    assert.equal(spec.seed, 42);
    assert.deepEqual(spec.evaluation.files, []);
  });

  it('names the line and key of each problem', () => {
    const e = errorOf({ ...SAMPLE, split: { train: 0.8, validation: 0.15, test: 0.15 }, backend: 'gpu' });
    assert.match(e.message, /^split: train \+ validation \+ test must add up to 1 \(they add up to 1\.1\)/);
    assert.match(e.message, /x\.secml\.json:\d+: backend: expected "local" or "sagemaker", got "gpu"/);
    const text = JSON.stringify({ ...SAMPLE, split: { train: 0.8, validation: 0.15, test: 0.15 } }, null, 2);
    assert.equal(e.line, text.split('\n').findIndex((l) => l.includes('"split"')) + 1);
  });

  it('rejects unknown keys, bad names, duplicate variants and csv without columns', () => {
    assert.match(errorOf({ ...SAMPLE, variant: ['full'] }).message, /^variant: unknown key/);
    assert.match(errorOf({ ...SAMPLE, name: '../etc' }).message, /not a valid experiment name/);
    assert.match(errorOf({ ...SAMPLE, variants: ['full', 'full'] }).message, /variants\[1\]: "full" is listed twice/);
    assert.match(errorOf({ ...SAMPLE, input: { files: ['a.csv'], format: 'csv' } }).message, /format "csv" needs "columns"/);
    assert.match(errorOf({ ...SAMPLE, input: { files: [], format: 'seed' } }).message, /input\.files: needs at least one file/);
    assert.match(errorOf({ ...SAMPLE, hyperparameters: { max_depth: [5] } }).message, /hyperparameters\.max_depth: expected a number or a string/);
    assert.match(errorOf({ ...SAMPLE, maxConcurrentRuns: 0 }).message, /maxConcurrentRuns: expected an integer from 1 to 32/);
    assert.match(errorOf({ ...SAMPLE, input: { ...SAMPLE.input, augment: ['a.txt', 'b.txt'] } }).message, /input\.augment\[1\]: one augmentation file is supported/);
  });

  it('reports invalid JSON with its line', async () => {
    const dir = await tempDir();
    const file = path.join(dir, 'bad.secml.json');
    await fs.writeFile(file, '{\n  "name": "x",\n  "input": ,\n}');
    await assert.rejects(loadExperimentSpec(file), (e: { code: string; line?: number; file?: string }) => e.code === 'BAD_ARGUMENT' && e.line === 3 && e.file === file);
  });

  it('merges hyperparameters: shared, then override by variant spec, then by name; the spec seed seeds training', () => {
    const spec = parseExperimentSpec({ ...SAMPLE, overrides: { 'first:5': { max_depth: 3 }, first5: { eta: '0.1' } } }, 'x');
    const hp = hyperparametersFor(spec, 'first:5', 'first5');
    assert.equal(hp.max_depth, '3');
    assert.equal(hp.eta, '0.1');
    assert.equal(hp.seed, '42');
    assert.equal(hyperparametersFor(spec, 'full', 'full').max_depth, '5');
  });

  it('locates nested JSON paths', () => {
    const text = '{\n "a": {\n  "b": [\n   1,\n   {"c": 2}\n  ]\n },\n "d": "x,y"\n}';
    assert.equal(lineOfJsonPath(text, ['a', 'b', 1, 'c']), 5);
    assert.equal(lineOfJsonPath(text, ['d']), 8);
    assert.equal(lineOfJsonPath(text, ['missing']), 1);
  });

  it('the JSON schema covers exactly the keys the spec parser accepts', () => {
    const schema = JSON.parse(readFileSync(path.resolve(__dirname, '../../../schemas/experiment.schema.json'), 'utf8'));
    assert.deepEqual(Object.keys(schema.properties).sort(), ['$schema', ...Object.keys(SAMPLE), 'sagemaker'].sort());
    assert.deepEqual(schema.required, ['name', 'input', 'variants']);
    assert.deepEqual(Object.keys(schema.properties.input.properties).sort(), ['augment', 'columns', 'files', 'format', 'sessionGapMinutes', 'strict']);
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '../../../package.json'), 'utf8'));
    assert.ok(pkg.contributes.jsonValidation.some((j: { fileMatch: string; url: string }) => j.fileMatch === '*.secml.json' && j.url === './schemas/experiment.schema.json'));
    // The editor's variant check agrees with the flattener's parser.
    const schemaAccepts = (v: string) => schema.properties.variants.items.anyOf.some((a: { const?: string; pattern?: string }) => a.const === v || (a.pattern && new RegExp(a.pattern).test(v)));
    const parserAccepts = (v: string) => {
      try {
        parseVariant(v);
        return true;
      } catch {
        return false;
      }
    };
    const samples = [...SAMPLE.variants, 'middle:5', 'first:5,min:5', 'min:3', 'first5', 'drop0.2', 'first5_min5', 'drop:0', 'drop:.5', 'first:0', 'drop:1', 'drop:1.5', 'middle', 'first:5:min5', 'last:-1', 'everything'];
    for (const v of samples) assert.equal(schemaAccepts(v), parserAccepts(v), `schema and flattener disagree on "${v}"`);
  });
});

describe('experiments/json-locate syntax errors', () => {
  const { lineOfJsonSyntaxError } = require('../../../src/core/experiments/json-locate') as typeof import('../../../src/core/experiments/json-locate');
  it('finds the line of the first syntax error and accepts valid JSON', () => {
    assert.equal(lineOfJsonSyntaxError('{\n "a": 1,\n "b": [1, 2,]\n}'), 3);
    assert.equal(lineOfJsonSyntaxError('{\n "a": "x\\"y",\n "b": tru\n}'), 3);
    assert.equal(lineOfJsonSyntaxError('{"a": {"b": [1, {"c": null}]}, "d": -1.5e3}'), undefined);
    assert.equal(lineOfJsonSyntaxError('{\n "a": 1\n}\n,'), 4);
  });
});
