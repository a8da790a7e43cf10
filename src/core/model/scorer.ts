/**
 * Scores rows with a tree ensemble, as XGBoost predicts: go left iff x < threshold (strict), NaN follows
 * default_left; margin = base margin + sum of leaves; probability = sigmoid(margin). Flat typed arrays in, no
 * allocation per row.
 *
 * Two equivalent strategies: ensembles of ordinary size are compiled to JavaScript functions (nested conditionals
 * with the thresholds as literals, about twice as fast as walking node tables: V8 turns them into native branches);
 * very large or very deep ensembles walk a flat node table. The generated code holds only numbers taken from typed
 * arrays (feature indices, thresholds, leaf values), never text from the model file.
 */
import { SecmlError } from '../errors';
import type { EnsembleTree, TreeEnsemble } from './xgboost-json';

export interface Scorer {
  readonly numFeature: number;
  readonly numTrees: number;
  /** Which strategy scores: generated code or the node table. */
  readonly strategy: 'code' | 'table';
  /** Scores n rows of F features (row-major, NaN = missing) into `out` (allocated when absent). */
  predict(rows: Float32Array, n: number, F: number, out?: Float32Array): Float32Array;
}

export interface ScorerOptions {
  strategy?: 'auto' | 'code' | 'table';
}

/** Above these the table walk is used: code size and parser nesting stay reasonable. */
const MAX_CODE_NODES = 300_000;
const MAX_CODE_DEPTH = 48;
const TREES_PER_FUNCTION = 10;

type MarginSum = (rows: Float32Array, n: number, F: number, margins: Float64Array) => void;

function depthOf(t: EnsembleTree, i = 0): number {
  return t.left[i] === -1 ? 0 : 1 + Math.max(depthOf(t, t.left[i]), depthOf(t, t.right[i]));
}

/** A literal for a number (thresholds and leaf values are float32, exact as doubles). */
const literal = (v: number) => (Number.isNaN(v) ? 'NaN' : v === Infinity ? 'Infinity' : v === -Infinity ? '-Infinity' : String(v));

function treeExpression(t: EnsembleTree, i: number): string {
  if (t.left[i] === -1) return literal(t.threshold[i]);
  const x = `X[o+${t.feature[i] | 0}]`, thr = literal(t.threshold[i]);
  const test = t.defaultLeft[i] ? `!(${x} >= ${thr})` : `${x} < ${thr}`;
  return `(${test} ? ${treeExpression(t, t.left[i])} : ${treeExpression(t, t.right[i])})`;
}

function compiledSum(e: TreeEnsemble): MarginSum {
  const parts: ((X: Float32Array, o: number) => number)[] = [];
  for (let k = 0; k < e.trees.length; k += TREES_PER_FUNCTION) {
    const body = e.trees.slice(k, k + TREES_PER_FUNCTION).map((t) => treeExpression(t, 0)).join(' + ');
    parts.push(new Function('X', 'o', `"use strict"; return ${body || '0'};`) as (X: Float32Array, o: number) => number);
  }
  const count = parts.length;
  return (rows, n, F, margins) => {
    for (let r = 0, o = 0; r < n; r++, o += F) {
      let s = margins[r];
      for (let c = 0; c < count; c++) s += parts[c](rows, o);
      margins[r] = s;
    }
  };
}

function tableSum(e: TreeEnsemble): MarginSum {
  let total = 0;
  for (const t of e.trees) total += t.left.length;
  const child = new Int32Array(total), feat = new Int32Array(total), dl = new Uint8Array(total);
  const value = new Float32Array(total);
  const roots = new Int32Array(e.trees.length);
  let next = 0;
  e.trees.forEach((t, k) => {
    // Breadth-first renumbering so that siblings are adjacent (right = left + 1).
    roots[k] = next;
    const order: number[] = [0];
    const slot: number[] = [next++];
    for (let q = 0; q < order.length; q++) {
      const i = order[q], at = slot[q];
      value[at] = t.threshold[i];
      if (t.left[i] === -1) {
        child[at] = -1;
      } else {
        child[at] = next;
        feat[at] = t.feature[i];
        dl[at] = t.defaultLeft[i];
        order.push(t.left[i], t.right[i]);
        slot.push(next, next + 1);
        next += 2;
      }
    }
  });
  const numTrees = roots.length;
  return (rows, n, F, margins) => {
    for (let r = 0, o = 0; r < n; r++, o += F) {
      let s = margins[r];
      for (let k = 0; k < numTrees; k++) {
        let i = roots[k], c: number;
        while ((c = child[i]) >= 0) {
          const v = rows[o + feat[i]], t = value[i];
          i = v < t ? c : v >= t || dl[i] === 0 ? c + 1 : c;
        }
        s += value[i];
      }
      margins[r] = s;
    }
  };
}

export function compileScorer(e: TreeEnsemble, opts: ScorerOptions = {}): Scorer {
  let nodes = 0;
  for (const t of e.trees) nodes += t.left.length;
  const auto = nodes <= MAX_CODE_NODES && e.trees.every((t) => depthOf(t) <= MAX_CODE_DEPTH);
  const strategy = opts.strategy === 'table' || (opts.strategy !== 'code' && !auto) ? 'table' : 'code';
  const sum = strategy === 'code' ? compiledSum(e) : tableSum(e);
  const base = e.baseMargin, sigmoid = e.transform === 'sigmoid';
  const BLOCK = 1024;
  const margins = new Float64Array(BLOCK);
  return {
    numFeature: e.numFeature,
    numTrees: e.trees.length,
    strategy,
    predict(rows: Float32Array, n: number, F: number, out = new Float32Array(n)): Float32Array {
      if (F !== e.numFeature) throw new SecmlError('BAD_ARGUMENT', `The model expects ${e.numFeature} features per row, got ${F}.`);
      if (rows.length < n * F) throw new SecmlError('BAD_ARGUMENT', `${n} rows of ${F} features need ${n * F} values, got ${rows.length}.`);
      if (out.length < n) throw new SecmlError('BAD_ARGUMENT', `The output array holds ${out.length} values, ${n} are needed.`);
      for (let r0 = 0; r0 < n; r0 += BLOCK) {
        const m = Math.min(BLOCK, n - r0);
        margins.fill(base, 0, m);
        sum(rows.subarray(r0 * F, (r0 + m) * F), m, F, margins);
        for (let r = 0; r < m; r++) out[r0 + r] = sigmoid ? 1 / (1 + Math.exp(-margins[r])) : margins[r];
      }
      return out;
    },
  };
}
