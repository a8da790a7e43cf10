/**
 * The boosting loop of binary:logistic, as XGBoost runs it: margins start at logit(base_score); each round computes
 * gradients g = p - y, h = max(p(1-p), 1e-16) (times scale_pos_weight on positives, in float32), samples rows
 * (Bernoulli, subsample) and features (colsample_bytree), grows a tree, and adds its leaves to every row's margin.
 * Per round it reports eval metrics on train and validation; early stopping watches the last metric on validation
 * and the returned model keeps the trees up to the best round.
 */
import { SecmlError } from '../errors';
import { binMatrix, buildCuts, type FeatureCuts } from './binning';
import { evalMetric, maximizes } from './eval-metrics';
import type { EvalMetricName, Hyperparameters } from './hyperparameters';
import type { LabelledMatrix } from './labelled-csv';
import { TreeGrower, type Tree } from './tree-growth';

export interface RoundMetrics {
  /** 1-based round number. */
  round: number;
  train: Partial<Record<EvalMetricName, number | null>>;
  validation?: Partial<Record<EvalMetricName, number | null>>;
}

export interface BoostedModel {
  trees: Tree[];
  baseScore: number;
  numFeature: number;
  cuts: FeatureCuts;
  curve: RoundMetrics[];
  /** 0-based index of the best round (the last kept tree). */
  bestIteration: number;
  /** The watched (last) metric on validation at the best round, when there is a validation set. */
  bestScore?: number;
  stoppedEarly: boolean;
}

export interface BoostingOptions {
  validation?: LabelledMatrix;
  /** Called after every round; throw from it to stop (e.g. cancellation). */
  onRound?: (r: RoundMetrics) => void;
  /** Compute the eval metrics on the training set every round (default true; XGBoost's evals=[(dtrain, "train")]). */
  watchTrain?: boolean;
}

const fr = Math.fround;

/** Seeded PRNG (mulberry32): reproducible sampling for a given `seed`. */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** XGBoost's float32 sigmoid. */
function sigmoid(m: number): number {
  return fr(1 / fr(1 + fr(Math.exp(-m))));
}

/** Leaf of raw feature row `o` (x < threshold goes left; NaN follows default_left). */
function leafOfRawRow(t: Tree, x: Float32Array, o: number): number {
  let i = 0;
  while (t.left[i] !== -1) {
    const v = x[o + t.feature[i]];
    i = v < t.threshold[i] ? t.left[i] : v >= t.threshold[i] || !t.defaultLeft[i] ? t.right[i] : t.left[i];
  }
  return i;
}

function sampleFeatures(cols: number, fraction: number, rnd: () => number, mask: Uint8Array): void {
  const keep = Math.max(1, Math.floor(fraction * cols));
  const order = Array.from({ length: cols }, (_, i) => i);
  for (let i = 0; i < keep; i++) {
    const j = i + Math.floor(rnd() * (cols - i));
    [order[i], order[j]] = [order[j], order[i]];
  }
  mask.fill(0);
  for (let i = 0; i < keep; i++) mask[order[i]] = 1;
}

export function trainBooster(train: LabelledMatrix, params: Hyperparameters, opts: BoostingOptions = {}): BoostedModel {
  const { rows: n, cols: F, x, y } = train;
  if (n === 0) throw new SecmlError('BAD_ARGUMENT', 'The training set has no rows.');
  const valid = opts.validation && opts.validation.rows > 0 ? opts.validation : undefined;
  if (valid && valid.cols !== F) throw new SecmlError('BAD_ARGUMENT', `The validation set has ${valid.cols} features, the training set ${F}.`);
  if (params.earlyStoppingRounds !== undefined && !valid) {
    throw new SecmlError('BAD_ARGUMENT', 'Hyperparameter early_stopping_rounds needs a validation set with at least one row.');
  }
  const cuts = buildCuts(x, n, F, params.maxBin);
  const binned = binMatrix(x, n, F, cuts);
  const grower = new TreeGrower(binned, params);
  const rnd = mulberry32(params.seed);
  const baseMargin = fr(-Math.log(1 / params.baseScore - 1));
  const spw = fr(params.scalePosWeight);
  const margin = new Float32Array(n).fill(baseMargin);
  const prob = new Float32Array(n);
  const g = new Float32Array(n), h = new Float32Array(n);
  const rows = new Int32Array(n), rest = new Int32Array(n);
  const featureMask = params.colsampleBytree < 1 ? new Uint8Array(F) : null;
  const vMargin = valid ? new Float32Array(valid.rows).fill(baseMargin) : undefined;
  const vProb = valid ? new Float32Array(valid.rows) : undefined;
  const watched = params.evalMetric[params.evalMetric.length - 1];
  const better = maximizes(watched) ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  const trees: Tree[] = [];
  const curve: RoundMetrics[] = [];
  let bestIteration = 0, bestScore: number | undefined, stoppedEarly = false;

  for (let round = 0; round < params.numRound; round++) {
    // Row sample (Bernoulli, as XGBoost), then gradients for the sampled rows only.
    let m = 0, k = 0;
    if (params.subsample >= 1) {
      for (let r = 0; r < n; r++) rows[r] = r;
      m = n;
    } else {
      const ss = params.subsample;
      for (let r = 0; r < n; r++) {
        const keep = rnd() < ss ? 1 : 0;
        rows[m] = r;
        rest[k] = r;
        m += keep;
        k += 1 - keep;
      }
    }
    for (let i = 0; i < m; i++) {
      const r = rows[i], p = sigmoid(margin[r]);
      let gr = fr(p - y[r]), hr = Math.max(fr(p * fr(1 - p)), 1e-16);
      if (spw !== 1 && y[r] === 1) { gr = fr(gr * spw); hr = fr(hr * spw); }
      g[r] = gr;
      h[r] = hr;
    }
    if (featureMask) sampleFeatures(F, params.colsampleBytree, rnd, featureMask);
    const { tree, leaves } = grower.grow(g, h, rows, m, rest, k, featureMask);
    for (const leaf of leaves) {
      const v = tree.value[leaf.node];
      for (let i = leaf.begin; i < leaf.end; i++) { const r = rows[i]; margin[r] = fr(margin[r] + v); }
      for (let i = leaf.restBegin; i < leaf.restEnd; i++) { const r = rest[i]; margin[r] = fr(margin[r] + v); }
    }
    trees.push(tree);

    const report: RoundMetrics = { round: round + 1, train: {} };
    if (opts.watchTrain !== false) {
      for (let r = 0; r < n; r++) prob[r] = sigmoid(margin[r]);
      for (const name of params.evalMetric) report.train[name] = evalMetric(name, y, prob);
    }
    if (valid && vMargin && vProb) {
      for (let r = 0, o = 0; r < valid.rows; r++, o += F) {
        vMargin[r] = fr(vMargin[r] + tree.value[leafOfRawRow(tree, valid.x, o)]);
        vProb[r] = sigmoid(vMargin[r]);
      }
      report.validation = {};
      for (const name of params.evalMetric) report.validation[name] = evalMetric(name, valid.y, vProb);
      const score = report.validation[watched];
      if (score !== null && score !== undefined && (bestScore === undefined || better(score, bestScore))) {
        bestScore = score;
        bestIteration = round;
      }
    } else {
      bestIteration = round;
    }
    curve.push(report);
    opts.onRound?.(report);
    if (params.earlyStoppingRounds !== undefined && round - bestIteration >= params.earlyStoppingRounds) {
      stoppedEarly = true;
      break;
    }
  }
  if (params.earlyStoppingRounds === undefined) {
    // Without early stopping every tree is kept: the "best" round is the last one.
    bestIteration = trees.length - 1;
    bestScore = curve[bestIteration].validation?.[watched] ?? undefined;
  }
  return { trees: trees.slice(0, bestIteration + 1), baseScore: params.baseScore, numFeature: F, cuts, curve, bestIteration, bestScore, stoppedEarly };
}
