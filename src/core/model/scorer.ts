/**
 * Scores rows with a tree ensemble, as XGBoost predicts: go left iff x < threshold (strict), NaN follows
 * default_left; margin = base margin + sum of leaves; probability = sigmoid(margin). Flat typed arrays, no
 * allocation per row: the ensemble is compiled into one node table where the right child is always left + 1.
 */
import { SecmlError } from '../errors';
import type { TreeEnsemble } from './xgboost-json';

export interface Scorer {
  readonly numFeature: number;
  readonly numTrees: number;
  /** Scores n rows of F features (row-major, NaN = missing) into `out` (allocated when absent). */
  predict(rows: Float32Array, n: number, F: number, out?: Float32Array): Float32Array;
}

const BLOCK = 64;

export function compileScorer(e: TreeEnsemble): Scorer {
  let total = 0;
  for (const t of e.trees) total += t.left.length;
  const child = new Int32Array(total), feat = new Int32Array(total), dl = new Uint8Array(total);
  const value = new Float32Array(total);
  const roots = new Int32Array(e.trees.length);
  let next = 0;
  e.trees.forEach((t, k) => {
    // Breadth-first renumbering so that siblings are adjacent.
    roots[k] = next;
    const order: number[] = [0];
    const slot: number[] = [next++];
    for (let q = 0; q < order.length; q++) {
      const i = order[q], at = slot[q];
      if (t.left[i] === -1) {
        child[at] = -1;
        value[at] = t.threshold[i];
      } else {
        child[at] = next;
        feat[at] = t.feature[i];
        value[at] = t.threshold[i];
        dl[at] = t.defaultLeft[i];
        order.push(t.left[i], t.right[i]);
        slot.push(next, next + 1);
        next += 2;
      }
    }
  });
  const numTrees = roots.length, base = e.baseMargin, sigmoid = e.transform === 'sigmoid';
  const acc = new Float64Array(BLOCK);
  return {
    numFeature: e.numFeature,
    numTrees,
    predict(rows: Float32Array, n: number, F: number, out = new Float32Array(n)): Float32Array {
      if (F !== e.numFeature) throw new SecmlError('BAD_ARGUMENT', `The model expects ${e.numFeature} features per row, got ${F}.`);
      if (rows.length < n * F) throw new SecmlError('BAD_ARGUMENT', `${n} rows of ${F} features need ${n * F} values, got ${rows.length}.`);
      if (out.length < n) throw new SecmlError('BAD_ARGUMENT', `The output array holds ${out.length} values, ${n} are needed.`);
      for (let r0 = 0; r0 < n; r0 += BLOCK) {
        const r1 = Math.min(n, r0 + BLOCK);
        acc.fill(base);
        for (let k = 0; k < numTrees; k++) {
          const root = roots[k];
          for (let r = r0, o = r0 * F; r < r1; r++, o += F) {
            let i = root, c: number;
            while ((c = child[i]) >= 0) {
              const v = rows[o + feat[i]], t = value[i];
              i = v < t ? c : v >= t || dl[i] === 0 ? c + 1 : c;
            }
            acc[r - r0] += value[i];
          }
        }
        for (let r = r0; r < r1; r++) {
          const m = acc[r - r0];
          out[r] = sigmoid ? 1 / (1 + Math.exp(-m)) : m;
        }
      }
      return out;
    },
  };
}
