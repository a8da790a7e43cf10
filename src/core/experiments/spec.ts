/**
 * The experiment spec (`*.secml.json`): which logs to flatten, which variants to train, how to split, which hyperparameters,
 * where to train. `schemas/experiment.schema.json` describes the same keys for the editor (completions, squiggles); this
 * module is the authority at launch time and reports every problem as `file:line: key: what is wrong`.
 * Paths in a spec are relative to the spec file.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { imageUriMessage, imageUriProblem } from '../backends/sagemaker/image-uri';
import { SecmlError } from '../errors';
import { DEFAULT_SPLIT as SEED_SPLIT, TEST, TRAIN, VALIDATION } from '../features/split';
import { lineOfJsonPath, lineOfJsonSyntaxError, type JsonPath } from './json-locate';

export type BackendName = 'local' | 'sagemaker';
export type LogFormat = 'seed' | 'cloudtrail' | 'csv';
export type HyperparameterValues = Record<string, string | number>;

export interface ColumnMapping {
  session: string;
  event: string;
  time?: string;
  label?: string;
}

export interface ExperimentInput {
  /** Log files or folders, absolute after loading. */
  files: string[];
  format: LogFormat;
  /** Extra labelled logs added to the training split only (the seed's known-attacker.txt). */
  augment: string[];
  columns?: ColumnMapping;
  sessionGapMinutes?: number;
  strict?: boolean;
}

export interface SageMakerOptions {
  instanceType?: string;
  instanceCount?: number;
  maxRuntimeSeconds?: number;
  roleArn?: string;
  bucket?: string;
  prefix?: string;
  /** XGBoost image in ECR (checked when training starts); default: the settings', else the region's built-in image. */
  imageUri?: string;
}

export interface ExperimentSpec {
  name: string;
  description: string;
  input: ExperimentInput;
  /** Variant specs as written (`full`, `drop:0.2`, `first:5`, ...). */
  variants: string[];
  split: { train: number; validation: number; test: number };
  seed: number;
  timeFeatures?: boolean;
  hyperparameters: HyperparameterValues;
  /** Variant spec or variant name -> hyperparameters that replace the shared ones for that variant. */
  overrides: Record<string, HyperparameterValues>;
  backend: BackendName;
  maxConcurrentRuns?: number;
  evaluation: { files: string[] };
  sagemaker?: SageMakerOptions;
}

/** A spec read from disk: the spec with absolute paths, where it came from and its raw text (for error lines). */
export interface LoadedSpec {
  spec: ExperimentSpec;
  file: string;
  text: string;
}

export const EXPERIMENT_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
export const DEFAULT_SPLIT = Object.freeze({ train: SEED_SPLIT[TRAIN], validation: SEED_SPLIT[VALIDATION], test: SEED_SPLIT[TEST] });
export const DEFAULT_SEED = 42;
export const MAX_CONCURRENT_RUNS = 32;

const TOP_KEYS = ['$schema', 'name', 'description', 'input', 'variants', 'split', 'seed', 'timeFeatures', 'hyperparameters', 'overrides', 'backend', 'maxConcurrentRuns', 'evaluation', 'sagemaker'];
const INPUT_KEYS = ['files', 'format', 'augment', 'columns', 'sessionGapMinutes', 'strict'];
const SAGEMAKER_KEYS = ['instanceType', 'instanceCount', 'maxRuntimeSeconds', 'roleArn', 'bucket', 'prefix', 'imageUri'];

/** Collects problems with their JSON paths; `fail()` throws one error listing all of them, each with its line. */
class Problems {
  readonly list: { path: JsonPath; message: string }[] = [];
  add(p: JsonPath, message: string): void {
    this.list.push({ path: p, message });
  }
  fail(file: string, text: string): void {
    if (this.list.length === 0) return;
    const lines = this.list.map((p) => ({ line: lineOfJsonPath(text, p.path), text: `${formatPath(p.path)}: ${p.message}` }));
    const first = lines[0];
    const rest = lines.slice(1).map((l) => `\n${file}:${l.line}: ${l.text}`);
    throw new SecmlError('BAD_ARGUMENT', first.text + rest.join(''), { file, line: first.line, details: { problems: lines } });
  }
}

function formatPath(p: JsonPath): string {
  if (p.length === 0) return 'spec';
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function unknownKeys(obj: Record<string, unknown>, allowed: string[], at: JsonPath, problems: Problems): void {
  for (const k of Object.keys(obj)) if (!allowed.includes(k)) problems.add([...at, k], `unknown key (expected one of: ${allowed.filter((a) => a !== '$schema').join(', ')})`);
}

function stringList(v: unknown, at: JsonPath, problems: Problems, { required }: { required: boolean }): string[] {
  if (v === undefined) {
    if (required) problems.add(at, 'required: a list of file or folder paths (relative to the spec file)');
    return [];
  }
  if (!Array.isArray(v)) {
    problems.add(at, 'expected a list of paths, e.g. ["mixed-1.txt"]');
    return [];
  }
  const out: string[] = [];
  v.forEach((s, i) => {
    if (typeof s !== 'string' || s.trim() === '') problems.add([...at, i], 'expected a non-empty path');
    else out.push(s);
  });
  if (required && v.length === 0) problems.add(at, 'needs at least one file');
  return out;
}

function hyperparameterValues(v: unknown, at: JsonPath, problems: Problems): HyperparameterValues {
  if (v === undefined) return {};
  if (!isObj(v)) {
    problems.add(at, 'expected an object of XGBoost hyperparameters, e.g. {"max_depth": 5, "eta": 0.2}');
    return {};
  }
  const out: HyperparameterValues = {};
  for (const [k, val] of Object.entries(v)) {
    if ((typeof val === 'number' && Number.isFinite(val)) || (typeof val === 'string' && val.trim() !== '')) out[k] = val;
    else problems.add([...at, k], 'expected a number or a string');
  }
  return out;
}

function optionalNumber(v: unknown, at: JsonPath, problems: Problems, check: (n: number) => boolean, expected: string): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || !check(v)) {
    problems.add(at, `expected ${expected}, got ${JSON.stringify(v)}`);
    return undefined;
  }
  return v;
}

/** Empty means "not set here" (the settings' image applies); the region is checked when training starts. */
function optionalImageUri(v: unknown, problems: Problems): string | undefined {
  const uri = optionalString(v, ['sagemaker', 'imageUri'], problems)?.trim();
  if (!uri) return undefined;
  const problem = imageUriProblem(uri);
  if (problem) problems.add(['sagemaker', 'imageUri'], imageUriMessage(uri, problem));
  return uri;
}

function optionalString(v: unknown, at: JsonPath, problems: Problems): string | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'string') {
    problems.add(at, 'expected a string');
    return undefined;
  }
  return v;
}

function parseInput(v: unknown, problems: Problems): ExperimentInput {
  const input: ExperimentInput = { files: [], format: 'seed', augment: [] };
  if (!isObj(v)) {
    problems.add(v === undefined ? [] : ['input'], v === undefined ? 'missing "input": {"files": [...], "format": "seed"}' : 'expected an object: {"files": [...], "format": "seed"}');
    return input;
  }
  unknownKeys(v, INPUT_KEYS, ['input'], problems);
  input.files = stringList(v.files, ['input', 'files'], problems, { required: true });
  input.augment = stringList(v.augment, ['input', 'augment'], problems, { required: false });
  if (input.augment.length > 1) problems.add(['input', 'augment', 1], 'one augmentation file is supported: concatenate the attacker logs into one file');
  if (v.format === undefined) problems.add(['input'], 'missing "format": one of seed, cloudtrail, csv');
  else if (v.format === 'seed' || v.format === 'cloudtrail' || v.format === 'csv') input.format = v.format;
  else problems.add(['input', 'format'], `expected one of seed, cloudtrail, csv, got ${JSON.stringify(v.format)}`);
  if (v.columns !== undefined) {
    const c = v.columns;
    if (!isObj(c) || typeof c.session !== 'string' || typeof c.event !== 'string') {
      problems.add(['input', 'columns'], 'expected {"session": COLUMN, "event": COLUMN, "time"?: COLUMN, "label"?: COLUMN} (header names or 1-based numbers as strings)');
    } else {
      unknownKeys(c, ['session', 'event', 'time', 'label'], ['input', 'columns'], problems);
      input.columns = { session: c.session, event: c.event, time: optionalString(c.time, ['input', 'columns', 'time'], problems), label: optionalString(c.label, ['input', 'columns', 'label'], problems) };
    }
  }
  if (input.format === 'csv' && !input.columns) problems.add(['input'], 'format "csv" needs "columns": {"session": ..., "event": ...}');
  input.sessionGapMinutes = optionalNumber(v.sessionGapMinutes, ['input', 'sessionGapMinutes'], problems, (n) => n > 0, 'a number of minutes > 0');
  if (v.strict !== undefined) {
    if (typeof v.strict === 'boolean') input.strict = v.strict;
    else problems.add(['input', 'strict'], 'expected true or false');
  }
  return input;
}

function parseSplit(v: unknown, problems: Problems): ExperimentSpec['split'] {
  if (v === undefined) return { ...DEFAULT_SPLIT };
  if (!isObj(v)) {
    problems.add(['split'], `expected ${JSON.stringify(DEFAULT_SPLIT).replace(/[:,]/g, '$& ')}`);
    return { ...DEFAULT_SPLIT };
  }
  unknownKeys(v, ['train', 'validation', 'test'], ['split'], problems);
  const part = (k: 'train' | 'validation' | 'test') => optionalNumber(v[k], ['split', k], problems, (n) => n >= 0 && n <= 1, 'a fraction between 0 and 1') ?? DEFAULT_SPLIT[k];
  const split = { train: part('train'), validation: part('validation'), test: part('test') };
  const sum = split.train + split.validation + split.test;
  if (Math.abs(sum - 1) > 1e-6) problems.add(['split'], `train + validation + test must add up to 1 (they add up to ${+sum.toFixed(6)})`);
  if (split.train === 0) problems.add(['split', 'train'], 'the training split cannot be empty');
  if (split.test === 0) problems.add(['split', 'test'], 'the test split cannot be empty: every run is evaluated on it');
  return split;
}

function parseVariants(v: unknown, problems: Problems): string[] {
  if (!Array.isArray(v) || v.length === 0) {
    problems.add(v === undefined ? [] : ['variants'], 'expected "variants": a non-empty list such as ["full", "drop:0.2", "first:5", "last:5"]');
    return [];
  }
  const out: string[] = [];
  v.forEach((s, i) => {
    if (typeof s !== 'string' || s.trim() === '') problems.add(['variants', i], 'expected a variant such as "full", "drop:0.2", "first:5" or "last:10"');
    else if (out.includes(s.trim())) problems.add(['variants', i], `"${s}" is listed twice`);
    else out.push(s.trim());
  });
  return out;
}

/**
 * Validates a parsed spec object. `file` and `text` only serve error messages (`file:line:`). Paths stay as written;
 * `loadExperimentSpec` resolves them against the spec file.
 */
export function parseExperimentSpec(value: unknown, file: string, text = ''): ExperimentSpec {
  const problems = new Problems();
  if (!isObj(value)) {
    problems.add([], 'an experiment spec is a JSON object with "name", "input" and "variants"');
    problems.fail(file, text);
  }
  const v = value as Record<string, unknown>;
  unknownKeys(v, TOP_KEYS, [], problems);
  let name = '';
  if (typeof v.name !== 'string') problems.add(v.name === undefined ? [] : ['name'], 'missing "name": letters, digits, dot, dash or underscore (it names the folder .secml/experiments/<name>)');
  else if (!EXPERIMENT_NAME_PATTERN.test(v.name)) problems.add(['name'], `"${v.name}" is not a valid experiment name: use 1-63 letters, digits, ".", "-" or "_", starting with a letter or digit`);
  else name = v.name;
  const description = optionalString(v.description, ['description'], problems) ?? '';
  const input = parseInput(v.input, problems);
  const variants = parseVariants(v.variants, problems);
  const split = parseSplit(v.split, problems);
  const seed = optionalNumber(v.seed, ['seed'], problems, (n) => Number.isInteger(n) && n >= 0 && n < 2 ** 31, 'an integer between 0 and 2147483647') ?? DEFAULT_SEED;
  let timeFeatures: boolean | undefined;
  if (v.timeFeatures !== undefined) {
    if (typeof v.timeFeatures === 'boolean') timeFeatures = v.timeFeatures;
    else problems.add(['timeFeatures'], 'expected true or false');
  }
  const hyperparameters = hyperparameterValues(v.hyperparameters, ['hyperparameters'], problems);
  const overrides: Record<string, HyperparameterValues> = {};
  if (v.overrides !== undefined) {
    if (!isObj(v.overrides)) problems.add(['overrides'], 'expected {"<variant>": {"max_depth": 3}, ...}');
    else for (const [k, o] of Object.entries(v.overrides)) overrides[k] = hyperparameterValues(o, ['overrides', k], problems);
  }
  let backend: BackendName = 'local';
  if (v.backend !== undefined) {
    if (v.backend === 'local' || v.backend === 'sagemaker') backend = v.backend;
    else problems.add(['backend'], `expected "local" or "sagemaker", got ${JSON.stringify(v.backend)}`);
  }
  const maxConcurrentRuns = optionalNumber(v.maxConcurrentRuns, ['maxConcurrentRuns'], problems, (n) => Number.isInteger(n) && n >= 1 && n <= MAX_CONCURRENT_RUNS, `an integer from 1 to ${MAX_CONCURRENT_RUNS}`);
  let evaluation = { files: [] as string[] };
  if (v.evaluation !== undefined) {
    if (!isObj(v.evaluation)) problems.add(['evaluation'], 'expected {"files": ["single.txt"]}');
    else {
      unknownKeys(v.evaluation, ['files'], ['evaluation'], problems);
      evaluation = { files: stringList(v.evaluation.files, ['evaluation', 'files'], problems, { required: false }) };
    }
  }
  let sagemaker: SageMakerOptions | undefined;
  if (v.sagemaker !== undefined) {
    if (!isObj(v.sagemaker)) problems.add(['sagemaker'], 'expected an object, e.g. {"instanceType": "ml.m5.xlarge"}');
    else {
      const s = v.sagemaker;
      unknownKeys(s, SAGEMAKER_KEYS, ['sagemaker'], problems);
      sagemaker = {
        instanceType: optionalString(s.instanceType, ['sagemaker', 'instanceType'], problems),
        instanceCount: optionalNumber(s.instanceCount, ['sagemaker', 'instanceCount'], problems, (n) => Number.isInteger(n) && n >= 1 && n <= 20, 'an integer from 1 to 20'),
        maxRuntimeSeconds: optionalNumber(s.maxRuntimeSeconds, ['sagemaker', 'maxRuntimeSeconds'], problems, (n) => Number.isInteger(n) && n >= 60, 'an integer >= 60'),
        roleArn: optionalString(s.roleArn, ['sagemaker', 'roleArn'], problems),
        bucket: optionalString(s.bucket, ['sagemaker', 'bucket'], problems),
        prefix: optionalString(s.prefix, ['sagemaker', 'prefix'], problems),
        imageUri: optionalImageUri(s.imageUri, problems),
      };
    }
  }
  problems.fail(file, text);
  return { name, description, input, variants, split, seed, timeFeatures, hyperparameters, overrides, backend, maxConcurrentRuns, evaluation, sagemaker };
}

/** Reads, validates and resolves a spec file (input, augment and evaluation paths become absolute). */
export async function loadExperimentSpec(file: string): Promise<LoadedSpec> {
  const abs = path.resolve(file);
  let text: string;
  try {
    text = await fs.readFile(abs, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SecmlError(code === 'ENOENT' ? 'NOT_FOUND' : 'IO', `Cannot read the experiment spec ${abs}: ${(e as Error).message}`, { file: abs, cause: e });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new SecmlError('BAD_ARGUMENT', `not valid JSON: ${(e as Error).message.replace(/, "[\s\S]*$/, '').replace(/ in JSON at position \d+.*$/, '')}`, { file: abs, line: lineOfJsonSyntaxError(text), cause: e });
  }
  const spec = resolveSpecPaths(parseExperimentSpec(value, abs, text), path.dirname(abs));
  return { spec, file: abs, text };
}

/** Makes every path of the spec absolute, relative to `dir` (the spec file's folder). */
export function resolveSpecPaths(spec: ExperimentSpec, dir: string): ExperimentSpec {
  const abs = (p: string) => path.resolve(dir, p);
  return {
    ...spec,
    input: { ...spec.input, files: spec.input.files.map(abs), augment: spec.input.augment.map(abs) },
    evaluation: { files: spec.evaluation.files.map(abs) },
  };
}

/**
 * The hyperparameters of one variant: the shared ones, then the override keyed by the variant spec (`first:5`), then the one
 * keyed by its name (`first5`). The spec's seed seeds training too unless the hyperparameters set their own.
 */
export function hyperparametersFor(spec: ExperimentSpec, variantSpec: string, variantName: string): Record<string, string> {
  const merged: HyperparameterValues = { seed: spec.seed, ...spec.hyperparameters, ...(spec.overrides[variantSpec] ?? {}), ...(variantSpec !== variantName ? (spec.overrides[variantName] ?? {}) : {}) };
  return Object.fromEntries(Object.entries(merged).map(([k, v]) => [k, String(v)]));
}

/** Override keys that match no variant (spec or name): reported as problems so a typo does not silently do nothing. */
export function unmatchedOverrides(spec: ExperimentSpec, variants: { spec: string; name: string }[]): string[] {
  return Object.keys(spec.overrides).filter((k) => !variants.some((v) => v.spec === k || v.name === k));
}

/** Line of a key in the spec text, for errors found after parsing (e.g. a variant the flattener rejects). */
export function specLine(loaded: Pick<LoadedSpec, 'text'>, at: JsonPath): number {
  return lineOfJsonPath(loaded.text, at);
}
