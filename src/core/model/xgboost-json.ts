/**
 * XGBoost's JSON model format (`Booster.save_model("model.json")`), both ways.
 * Writing: the 1.7 schema, floats written as floats ("2.0", never "2": XGBoost rejects integer literals in float
 * fields), so real XGBoost 1.x-3.x loads it. Reading: models saved by XGBoost 1.x-3.x (base_score "5E-1" or "[5E-1]"),
 * gbtree boosters with numeric splits and binary:logistic (or reg:logistic / binary:logitraw) only; anything else is
 * a MODEL_FORMAT error saying what is unsupported.
 */
import { SecmlError } from '../errors';
import type { Tree } from './tree-growth';

/** A tree ensemble as a scorer needs it: per tree, per node arrays (leaf: left === -1, value in `value`). */
export interface TreeEnsemble {
  numFeature: number;
  /** Margin-space base (logit of base_score for logistic objectives). */
  baseMargin: number;
  /** How a margin becomes the output: sigmoid (probability) or identity (binary:logitraw). */
  transform: 'sigmoid' | 'identity';
  objective: string;
  trees: EnsembleTree[];
  attributes: Record<string, string>;
}

export interface EnsembleTree {
  left: Int32Array;
  right: Int32Array;
  feature: Int32Array;
  /** Split threshold (x < threshold goes left); for a leaf, its value. */
  threshold: Float32Array;
  defaultLeft: Uint8Array;
}

// ---------------------------------------------------------------------------------------------- writing

/** Shortest decimal that reads back as the same float32, always with a '.' or an exponent. */
export function formatFloat32(v: number): string {
  const x = Math.fround(v);
  if (!Number.isFinite(x)) throw new SecmlError('INTERNAL', `cannot write non-finite value ${v} into an XGBoost model`);
  let s = String(x);
  for (let p = 1; p <= 9; p++) {
    const t = x.toPrecision(p);
    if (Math.fround(Number(t)) === x) { s = t; break; }
  }
  if (s.includes('e') && !s.includes('.')) s = s.replace('e', '.0e');
  return /[.e]/.test(s) ? s : `${s}.0`;
}

const floats = (a: readonly number[]) => `[${a.map(formatFloat32).join(',')}]`;
const ints = (a: readonly number[]) => `[${a.join(',')}]`;

export interface WritableModel {
  trees: Tree[];
  baseScore: number;
  numFeature: number;
}

/** The model as XGBoost 1.7's save_model JSON text. `attributes` go to learner.attributes (strings). */
export function toXGBoostJson(model: WritableModel, attributes: Record<string, string> = {}): string {
  const F = model.numFeature;
  const trees = model.trees.map((t, id) => {
    const leafOrThreshold = t.left.map((l, i) => (l === -1 ? t.value[i] : t.threshold[i]));
    return (
      `{"base_weights":${floats(t.value)},"categories":[],"categories_nodes":[],"categories_segments":[],"categories_sizes":[],` +
      `"default_left":${ints(t.defaultLeft)},"id":${id},"left_children":${ints(t.left)},"loss_changes":${floats(t.lossChg)},` +
      `"parents":${ints(t.parent)},"right_children":${ints(t.right)},"split_conditions":${floats(leafOrThreshold)},` +
      `"split_indices":${ints(t.feature)},"split_type":${ints(t.left.map(() => 0))},"sum_hessian":${floats(t.sumHess)},` +
      `"tree_param":{"num_deleted":"0","num_feature":"${F}","num_nodes":"${t.left.length}","size_leaf_vector":"0"}}`
    );
  });
  const n = model.trees.length;
  const attrs = { best_iteration: String(n - 1), best_ntree_limit: String(n), ...attributes };
  return (
    `{"learner":{"attributes":${JSON.stringify(attrs)},"feature_names":[],"feature_types":[],` +
    `"gradient_booster":{"model":{"gbtree_model_param":{"num_parallel_tree":"1","num_trees":"${n}","size_leaf_vector":"0"},` +
    `"tree_info":${ints(model.trees.map(() => 0))},"trees":[${trees.join(',')}]},"name":"gbtree"},` +
    `"learner_model_param":{"base_score":"${formatFloat32(model.baseScore).toUpperCase()}","boost_from_average":"1","num_class":"0",` +
    `"num_feature":"${F}","num_target":"1"},"objective":{"name":"binary:logistic","reg_loss_param":{"scale_pos_weight":"1"}}},` +
    `"version":[1,7,4]}`
  );
}

// ---------------------------------------------------------------------------------------------- reading

const SUPPORTED_OBJECTIVES: Record<string, 'sigmoid' | 'identity'> = {
  'binary:logistic': 'sigmoid',
  'reg:logistic': 'sigmoid',
  'binary:logitraw': 'identity',
};

type Json = Record<string, unknown>;

function obj(v: unknown, what: string, source: string): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw formatError(source, `${what} is missing or not an object`);
  return v as Json;
}

function formatError(source: string, message: string): SecmlError {
  return new SecmlError('MODEL_FORMAT', `not a supported XGBoost model: ${message}`, { file: source });
}

/** base_score as XGBoost writes it: "5E-1" (1.x, 2.x) or "[5E-1]" (3.1+), or a number. */
export function parseBaseScore(v: unknown, source = 'model'): number {
  const text = String(Array.isArray(v) ? v[0] : v).replace(/[[\]\s]/g, '').split(',')[0];
  const x = Number(text);
  if (text === '' || !Number.isFinite(x)) throw formatError(source, `base_score "${String(v)}" is not a number`);
  return x;
}

function numberArray(t: Json, key: string, n: number, source: string, treeIndex: number): number[] {
  const a = t[key];
  if (!Array.isArray(a) || a.length !== n) throw formatError(source, `tree ${treeIndex}: ${key} must be an array of ${n} values`);
  return a.map((v) => (typeof v === 'boolean' ? Number(v) : Number(v)));
}

/** Reads a parsed XGBoost JSON model. `source` names the file in errors. */
export function parseXGBoostModel(json: unknown, source: string): TreeEnsemble {
  const learner = obj(obj(json, 'the document', source).learner, 'learner', source);
  const booster = obj(learner.gradient_booster, 'learner.gradient_booster', source);
  if (booster.name !== 'gbtree') throw formatError(source, `booster "${String(booster.name)}" (only gbtree is supported; not dart or gblinear)`);
  const objective = String(obj(learner.objective, 'learner.objective', source).name);
  const transform = SUPPORTED_OBJECTIVES[objective];
  if (!transform) throw formatError(source, `objective "${objective}" (supported: ${Object.keys(SUPPORTED_OBJECTIVES).join(', ')})`);
  const param = obj(learner.learner_model_param, 'learner.learner_model_param', source);
  const numClass = Number(param.num_class ?? 0);
  const numTarget = Number(param.num_target ?? 1);
  if (numClass > 1 || numTarget > 1) throw formatError(source, 'multi-class or multi-target models are not supported');
  const numFeature = Number(param.num_feature);
  if (!Number.isInteger(numFeature) || numFeature < 0) throw formatError(source, 'learner_model_param.num_feature is missing');
  const baseScore = parseBaseScore(param.base_score, source);
  let baseMargin = baseScore;
  if (transform === 'sigmoid') {
    if (!(baseScore > 0 && baseScore < 1)) throw formatError(source, `base_score ${baseScore} is not a probability`);
    baseMargin = Math.fround(-Math.log(1 / baseScore - 1));
  }
  const model = obj(booster.model, 'gradient_booster.model', source);
  const rawTrees = model.trees;
  if (!Array.isArray(rawTrees)) throw formatError(source, 'gradient_booster.model.trees is missing');
  const treeInfo = model.tree_info;
  if (Array.isArray(treeInfo) && treeInfo.some((g) => Number(g) !== 0)) throw formatError(source, 'trees for more than one output group');
  const trees = rawTrees.map((raw, k) => {
    const t = obj(raw, `tree ${k}`, source);
    const left = t.left_children;
    if (!Array.isArray(left) || left.length === 0) throw formatError(source, `tree ${k}: left_children is missing`);
    const n = left.length;
    const tp = t.tree_param as Json | undefined;
    if (tp && Number(tp.size_leaf_vector ?? 0) > 1) throw formatError(source, `tree ${k}: vector leaves are not supported`);
    const splitType = Array.isArray(t.split_type) ? t.split_type : [];
    if (splitType.some((s) => Number(s) !== 0)) throw formatError(source, `tree ${k}: categorical splits are not supported`);
    const tree: EnsembleTree = {
      left: Int32Array.from(numberArray(t, 'left_children', n, source, k)),
      right: Int32Array.from(numberArray(t, 'right_children', n, source, k)),
      feature: Int32Array.from(numberArray(t, 'split_indices', n, source, k)),
      threshold: Float32Array.from(numberArray(t, 'split_conditions', n, source, k)),
      defaultLeft: Uint8Array.from(numberArray(t, 'default_left', n, source, k).map((v) => (v ? 1 : 0))),
    };
    checkTree(tree, numFeature, source, k);
    return tree;
  });
  const attributes: Record<string, string> = {};
  if (typeof learner.attributes === 'object' && learner.attributes !== null) {
    for (const [key, v] of Object.entries(learner.attributes as Json)) attributes[key] = String(v);
  }
  return { numFeature, baseMargin, transform, objective, trees, attributes };
}

/** Every child index in range, every split feature < numFeature, and no cycles (each node reached once). */
function checkTree(t: EnsembleTree, numFeature: number, source: string, k: number): void {
  const n = t.left.length;
  const seen = new Uint8Array(n);
  const stack = [0];
  while (stack.length) {
    const i = stack.pop()!;
    if (seen[i]) throw formatError(source, `tree ${k}: node ${i} is reached twice`);
    seen[i] = 1;
    const l = t.left[i], r = t.right[i];
    if (l === -1) continue;
    if (!(l > 0 && l < n && r > 0 && r < n)) throw formatError(source, `tree ${k}: node ${i} has children out of range`);
    if (!(t.feature[i] >= 0 && t.feature[i] < numFeature)) throw formatError(source, `tree ${k}: node ${i} splits on feature ${t.feature[i]} (model has ${numFeature})`);
    stack.push(r, l);
  }
}
