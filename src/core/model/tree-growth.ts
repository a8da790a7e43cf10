/**
 * One regression tree on gradient statistics, grown depth-wise over histograms, with XGBoost `hist`'s rules:
 * gain = G_L^2/(H_L+lambda) + G_R^2/(H_R+lambda) - G^2/(H+lambda) (with alpha's soft threshold on G), computed in
 * float32 like XGBoost; a split needs gain > 1e-6, gain >= gamma, both children's hessian >= min_child_weight
 * (and > 0); leaf = -eta * G/(H+lambda). Missing values: each feature is scanned with missing values going right
 * (default_left = 0), then, when the node has missing values for it, going left; the better direction is learned.
 * Ties keep the first candidate (lowest feature, then lowest bin, forward first), as XGBoost does.
 * Nodes are numbered as XGBoost numbers them (children of node i appended in expansion order, left then right).
 */
import type { BinnedMatrix } from './binning';

export interface TreeParams {
  maxDepth: number;
  eta: number;
  gamma: number;
  minChildWeight: number;
  lambda: number;
  alpha: number;
}

/** A tree as flat per-node arrays (node 0 = root; left[i] === -1: leaf). */
export interface Tree {
  left: number[];
  right: number[];
  parent: number[];
  feature: number[];
  /** x < threshold goes left (float32 value). For a leaf: 0. */
  threshold: number[];
  /** Local bins <= splitBin go left (-1: none; only missing values, when defaultLeft). */
  splitBin: number[];
  defaultLeft: number[];
  /** Leaf: its value (eta applied). Split node: its weight without eta (XGBoost's base_weight). */
  value: number[];
  lossChg: number[];
  sumHess: number[];
}

/** A leaf and the rows that reached it: rows[begin, end) of the sample and rest[restBegin, restEnd) of the others. */
export interface LeafRange {
  node: number;
  begin: number;
  end: number;
  restBegin: number;
  restEnd: number;
}

const RT_EPS = 1e-6;
const fr = Math.fround;

interface NodeWork {
  id: number;
  begin: number;
  end: number;
  restBegin: number;
  restEnd: number;
  G: number;
  H: number;
  hist: Float64Array | null;
}

interface Split {
  gain: number;
  feature: number;
  bin: number;
  defaultLeft: number;
  GL: number;
  HL: number;
}

export class TreeGrower {
  private readonly p: TreeParams;
  private readonly eta: number;
  private readonly pool: Float64Array[] = [];
  private tmp: Int32Array;

  constructor(private readonly b: BinnedMatrix, params: TreeParams) {
    // XGBoost keeps these parameters in float32.
    this.p = { ...params, eta: fr(params.eta), gamma: fr(params.gamma), minChildWeight: fr(params.minChildWeight), lambda: fr(params.lambda), alpha: fr(params.alpha) };
    this.eta = this.p.eta;
    this.tmp = new Int32Array(b.rows);
  }

  private thresholdL1(g: number): number {
    const a = this.p.alpha;
    return g > a ? g - a : g < -a ? g + a : 0;
  }
  /** XGBoost's CalcGain (the parent's gain): 0 below min_child_weight. */
  private nodeGain(G: number, H: number): number {
    if (H < this.p.minChildWeight || H <= 0) return 0;
    const t = this.thresholdL1(G);
    return fr((t * t) / (H + this.p.lambda));
  }
  private childGain(G: number, H: number): number {
    if (H <= 0) return 0;
    const t = this.thresholdL1(G);
    return fr((t * t) / (H + this.p.lambda));
  }
  /** XGBoost's CalcWeight (without eta), float32. */
  weight(G: number, H: number): number {
    if (H < this.p.minChildWeight || H <= 0) return 0;
    return fr(-this.thresholdL1(G) / (H + this.p.lambda));
  }

  private takeHist(): Float64Array {
    const h = this.pool.pop();
    if (h) return h.fill(0);
    return new Float64Array(2 * this.b.totalSlots);
  }

  /** Histogram of rows[begin, end): per slot [sum g, sum h]; returns the node's sums. */
  private buildHist(hist: Float64Array, rows: Int32Array, begin: number, end: number, g: Float32Array, h: Float32Array): void {
    const { rowPtr, slots, slotPtr, implicitSlot, cols } = this.b;
    let G = 0, H = 0;
    for (let i = begin; i < end; i++) {
      const r = rows[i], gr = g[r], hr = h[r];
      G += gr;
      H += hr;
      for (let k = rowPtr[r], ke = rowPtr[r + 1]; k < ke; k++) {
        const j = slots[k] << 1;
        hist[j] += gr;
        hist[j + 1] += hr;
      }
    }
    // Each feature's implicit slot holds the node total minus its explicit slots.
    for (let f = 0; f < cols; f++) {
      let sg = 0, sh = 0;
      for (let j = slotPtr[f] << 1, je = slotPtr[f + 1] << 1; j < je; j += 2) { sg += hist[j]; sh += hist[j + 1]; }
      const z = implicitSlot[f] << 1;
      hist[z] += G - sg;
      hist[z + 1] += H - sh;
    }
  }

  private bestSplit(hist: Float64Array, G: number, H: number, featureMask: Uint8Array | null): Split | null {
    const { slotPtr, cols, hasMissing } = this.b;
    const mcw = this.p.minChildWeight;
    const root = this.nodeGain(G, H);
    let best: Split | null = null;
    let bestGain = -Infinity;
    for (let f = 0; f < cols; f++) {
      if (featureMask && !featureMask[f]) continue;
      const s0 = slotPtr[f] << 1, nb = this.b.nbins[f];
      // Forward: bins <= b go left, missing values right.
      let GL = 0, HL = 0;
      for (let bin = 0; bin < nb; bin++) {
        GL += hist[s0 + 2 * bin];
        HL += hist[s0 + 2 * bin + 1];
        const HR = H - HL;
        if (HL < mcw) continue;
        if (HR < mcw) break;
        const gain = fr(fr(this.childGain(GL, HL) + this.childGain(G - GL, HR)) - root);
        if (gain > bestGain) {
          bestGain = gain;
          best = { gain, feature: f, bin, defaultLeft: 0, GL, HL };
        }
      }
      // Backward, when this node has missing values for f: bins >= b go right, missing values left.
      const missingHess = hist[s0 + 2 * nb + 1];
      if (!hasMissing[f] || !(missingHess > H * 1e-10)) continue;
      let GR = 0, HR = 0;
      for (let bin = nb - 1; bin >= 0; bin--) {
        GR += hist[s0 + 2 * bin];
        HR += hist[s0 + 2 * bin + 1];
        const HLb = H - HR;
        if (HR < mcw) continue;
        if (HLb < mcw) break;
        const GLb = G - GR;
        const gain = fr(fr(this.childGain(GLb, HLb) + this.childGain(GR, HR)) - root);
        if (gain > bestGain) {
          bestGain = gain;
          best = { gain, feature: f, bin: bin - 1, defaultLeft: 1, GL: GLb, HL: HLb };
        }
      }
    }
    if (!best || !(best.gain > RT_EPS) || best.gain < this.p.gamma) return null;
    if (best.HL === 0 || H - best.HL === 0) return null;
    return best;
  }

  /**
   * Stable partition of list[begin, end) by the split (feature f, local bins <= bin go left, missing values left when
   * defaultLeft); returns where the right side starts. Branch-free: the direction is data, not control flow.
   */
  private partition(list: Int32Array, begin: number, end: number, f: number, bin: number, defaultLeft: number): number {
    const { colBin, rows: nRows } = this.b;
    const tmp = this.tmp, cb = f * nRows, missing = this.b.nbins[f];
    let nl = begin, nr = 0;
    if (defaultLeft) {
      for (let i = begin; i < end; i++) {
        const r = list[i], b = colBin[cb + r];
        const left = (b <= bin ? 1 : 0) | (b === missing ? 1 : 0);
        list[nl] = r;
        tmp[nr] = r;
        nl += left;
        nr += 1 - left;
      }
    } else {
      for (let i = begin; i < end; i++) {
        const r = list[i];
        const left = colBin[cb + r] <= bin ? 1 : 0;
        list[nl] = r;
        tmp[nr] = r;
        nl += left;
        nr += 1 - left;
      }
    }
    list.set(tmp.subarray(0, nr), nl);
    return nl;
  }

  /**
   * Grows a tree on the sample rows[0, count); the other rows rest[0, restCount) (outside the sample, with
   * subsample < 1) follow the splits without weighing in. Both lists are reordered in place so that each leaf's
   * rows are contiguous. `featureMask` (1 = usable) implements colsample_bytree.
   */
  grow(g: Float32Array, h: Float32Array, rows: Int32Array, count: number, rest: Int32Array, restCount: number, featureMask: Uint8Array | null): { tree: Tree; leaves: LeafRange[] } {
    const { cuts } = this.b;
    const t: Tree = { left: [], right: [], parent: [], feature: [], threshold: [], splitBin: [], defaultLeft: [], value: [], lossChg: [], sumHess: [] };
    const newNode = (parent: number, value: number, hess: number) => {
      t.left.push(-1); t.right.push(-1); t.parent.push(parent); t.feature.push(0); t.threshold.push(0);
      t.splitBin.push(-1); t.defaultLeft.push(0); t.value.push(value); t.lossChg.push(0); t.sumHess.push(hess);
      return t.left.length - 1;
    };
    const leaves: LeafRange[] = [];
    let G0 = 0, H0 = 0;
    for (let i = 0; i < count; i++) { G0 += g[rows[i]]; H0 += h[rows[i]]; }
    const rootHist = this.takeHist();
    this.buildHist(rootHist, rows, 0, count, g, h);
    const root = newNode(2147483647, fr(this.weight(G0, H0) * this.eta), H0);
    let level: NodeWork[] = [{ id: root, begin: 0, end: count, restBegin: 0, restEnd: restCount, G: G0, H: H0, hist: rootHist }];
    for (let depth = 0; level.length; depth++) {
      const next: NodeWork[] = [];
      for (const node of level) {
        const s = depth < this.p.maxDepth && node.hist ? this.bestSplit(node.hist, node.G, node.H, featureMask) : null;
        if (!s) {
          if (node.hist) this.pool.push(node.hist);
          leaves.push({ node: node.id, begin: node.begin, end: node.end, restBegin: node.restBegin, restEnd: node.restEnd });
          continue;
        }
        const f = s.feature;
        const nl = this.partition(rows, node.begin, node.end, f, s.bin, s.defaultLeft);
        const rl = this.partition(rest, node.restBegin, node.restEnd, f, s.bin, s.defaultLeft);
        const GR = node.G - s.GL, HR = node.H - s.HL;
        const L = newNode(node.id, fr(this.weight(s.GL, s.HL) * this.eta), s.HL);
        const R = newNode(node.id, fr(this.weight(GR, HR) * this.eta), HR);
        const id = node.id;
        t.left[id] = L; t.right[id] = R; t.feature[id] = f; t.splitBin[id] = s.bin; t.defaultLeft[id] = s.defaultLeft;
        t.threshold[id] = s.bin >= 0 ? cuts.values[cuts.ptr[f] + s.bin] : cuts.minValues[f];
        t.value[id] = this.weight(node.G, node.H);
        t.lossChg[id] = s.gain;
        const li: NodeWork = { id: L, begin: node.begin, end: nl, restBegin: node.restBegin, restEnd: rl, G: s.GL, H: s.HL, hist: null };
        const ri: NodeWork = { id: R, begin: nl, end: node.end, restBegin: rl, restEnd: node.restEnd, G: GR, H: HR, hist: null };
        if (depth + 1 < this.p.maxDepth) {
          // Histogram subtraction: build the smaller child, the larger is parent - smaller.
          const small = nl - node.begin <= node.end - nl ? li : ri, large = small === li ? ri : li;
          const sh = this.takeHist();
          this.buildHist(sh, rows, small.begin, small.end, g, h);
          const ph = node.hist!;
          for (let j = 0; j < ph.length; j++) ph[j] -= sh[j];
          small.hist = sh;
          large.hist = ph;
        } else {
          this.pool.push(node.hist!);
        }
        next.push(li, ri);
      }
      level = next;
    }
    return { tree: t, leaves };
  }
}
