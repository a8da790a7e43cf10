/**
 * Quantile bins (XGBoost `hist` cut points) and the binned training matrix.
 *
 * Cuts follow XGBoost: bin b of a feature holds cut[b-1] <= x < cut[b]; with at most max_bin distinct values the
 * cuts are the distinct values after the smallest, plus a last cut above the maximum (max + |max| + 1e-5, in
 * float32), so the bins (and hence trees) equal XGBoost's. With more distinct values the cuts are equal-count
 * quantiles of the distinct values (an exact sketch; XGBoost's is approximate). Missing values (NaN) have no bin.
 */

export interface FeatureCuts {
  /** Feature f's cut values are values[ptr[f]] .. values[ptr[f+1]-1], ascending; the last is above the maximum. */
  values: Float32Array;
  ptr: Int32Array;
  /** Below each feature's minimum (XGBoost's min_vals): the threshold of a split that sends only missing values left. */
  minValues: Float32Array;
}

const F32_EPS = Math.fround(1e-5);
const ROW_TILE = 64, FEATURE_TILE = 256;
/** Integer features whose range is below this are counted with an array instead of sorted. */
const COUNTING_RANGE = 1 << 16;

/** XGBoost's value above the maximum: max + (|max| + 1e-5), in float32. */
function aboveMax(max: number): number {
  return Math.fround(max + Math.fround(Math.abs(max) + F32_EPS));
}
function belowMin(min: number): number {
  return Math.fround(min - Math.fround(Math.abs(min) + F32_EPS));
}

/** Total entries of the counting arrays of integer features (beyond it, features are sorted instead). */
const COUNTING_BUDGET = 1 << 25;

/** Distinct non-missing values of every column, ascending, with their counts: two row-major passes over x. */
function distinctValues(x: Float32Array, rows: number, cols: number): { values: Float64Array; counts: Float64Array }[] {
  const min = new Float64Array(cols).fill(Infinity), max = new Float64Array(cols).fill(-Infinity);
  const integer = new Uint8Array(cols).fill(1), present = new Int32Array(cols), zeros = new Int32Array(cols);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    for (let f = 0; f < cols; f++) {
      const v = x[o + f];
      if (v === 0) { zeros[f]++; continue; } // most event counts are 0
      if (v !== v) continue;
      present[f]++;
      if (v < min[f]) min[f] = v;
      if (v > max[f]) max[f] = v;
      if (v !== Math.floor(v)) integer[f] = 0;
    }
  }
  for (let f = 0; f < cols; f++) {
    if (zeros[f] === 0) continue;
    present[f] += zeros[f];
    if (min[f] > 0) min[f] = 0;
    if (max[f] < 0) max[f] = 0;
  }
  // Integer features with a small range (event counts) are counted; the others are collected and sorted.
  const counts: (Int32Array | null)[] = [], columns: (Float32Array | null)[] = [];
  let budget = COUNTING_BUDGET;
  for (let f = 0; f < cols; f++) {
    const range = max[f] - min[f] + 1;
    const counted = present[f] > 0 && integer[f] === 1 && range <= COUNTING_RANGE && range <= budget;
    if (counted) budget -= range;
    counts.push(counted ? new Int32Array(range) : null);
    columns.push(!counted && present[f] > 0 ? new Float32Array(present[f]) : null);
  }
  const filled = new Int32Array(cols);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    for (let f = 0; f < cols; f++) {
      const v = x[o + f];
      if (v !== v || (v === 0 && counts[f] !== null)) continue;
      const c = counts[f];
      if (c !== null) c[v - min[f]]++;
      else columns[f]![filled[f]++] = v;
    }
  }
  for (let f = 0; f < cols; f++) if (counts[f] !== null && zeros[f] > 0) counts[f]![-min[f]] += zeros[f];
  const out: { values: Float64Array; counts: Float64Array }[] = [];
  for (let f = 0; f < cols; f++) {
    const uniq: number[] = [], cnt: number[] = [];
    const c = counts[f], col = columns[f];
    if (c !== null) {
      for (let i = 0; i < c.length; i++) if (c[i]) { uniq.push(i + min[f]); cnt.push(c[i]); }
    } else if (col !== null) {
      col.sort();
      for (let i = 0; i < col.length; i++) {
        if (i === 0 || col[i] !== col[i - 1]) { uniq.push(col[i]); cnt.push(1); } else cnt[cnt.length - 1]++;
      }
    }
    out.push({ values: Float64Array.from(uniq), counts: Float64Array.from(cnt) });
  }
  return out;
}

export function buildCuts(x: Float32Array, rows: number, cols: number, maxBin: number): FeatureCuts {
  const all: number[] = [];
  const ptr = new Int32Array(cols + 1);
  const minValues = new Float32Array(cols);
  const distinct = distinctValues(x, rows, cols);
  for (let f = 0; f < cols; f++) {
    const { values: uniq, counts } = distinct[f];
    const k = uniq.length;
    if (k === 0) {
      all.push(aboveMax(0));
      minValues[f] = belowMin(0);
    } else {
      if (k <= maxBin) {
        for (let i = 1; i < k; i++) all.push(uniq[i]);
      } else {
        let total = 0;
        for (let i = 0; i < k; i++) total += counts[i];
        const step = total / maxBin;
        let acc = 0, made = 0;
        for (let i = 0; i < k - 1 && made < maxBin - 1; i++) {
          acc += counts[i];
          if (acc >= step * (made + 1)) { all.push(uniq[i + 1]); made++; }
        }
      }
      all.push(aboveMax(uniq[k - 1]));
      minValues[f] = belowMin(uniq[0]);
    }
    ptr[f + 1] = all.length;
  }
  return { values: Float32Array.from(all), ptr, minValues };
}

/** Local bin of x for feature f: the first b with x < cut[b] (x must not be NaN). */
export function binOf(cuts: FeatureCuts, f: number, x: number): number {
  const v = cuts.values;
  let lo = cuts.ptr[f], hi = cuts.ptr[f + 1] - 1;
  const base = lo;
  while (lo < hi) {
    const m = (lo + hi) >> 1;
    if (x < v[m]) hi = m;
    else lo = m + 1;
  }
  return lo - base;
}

/**
 * The training matrix in bins. Each feature f has bins(f) real bins plus one missing slot (local index bins(f));
 * in the global histogram layout feature f occupies slots slotPtr[f] .. slotPtr[f+1]-1 (the last is its missing slot).
 */
export interface BinnedMatrix {
  rows: number;
  cols: number;
  cuts: FeatureCuts;
  slotPtr: Int32Array;
  /** Real bins per feature (= the local index of its missing slot). */
  nbins: Int32Array;
  totalSlots: number;
  /** Column-major local bins: colBin[f * rows + r]; missing = bins(f). */
  colBin: Uint8Array | Uint16Array;
  /** Per feature, its most frequent slot (global index): rows in it are not stored in the CSR below. */
  implicitSlot: Int32Array;
  /** CSR of every other (row, global slot): slots[rowPtr[r] .. rowPtr[r+1]-1]. */
  rowPtr: Int32Array;
  slots: Uint16Array | Uint32Array;
  /** Per feature: 1 when some training row misses it. */
  hasMissing: Uint8Array;
}

export function binMatrix(x: Float32Array, rows: number, cols: number, cuts: FeatureCuts): BinnedMatrix {
  const slotPtr = new Int32Array(cols + 1);
  const nbins = new Int32Array(cols);
  let widest = 0;
  for (let f = 0; f < cols; f++) {
    const nb = (nbins[f] = cuts.ptr[f + 1] - cuts.ptr[f]);
    slotPtr[f + 1] = slotPtr[f] + nb + 1;
    if (nb + 1 > widest) widest = nb + 1;
  }
  const totalSlots = slotPtr[cols];
  const colBin = widest <= 256 ? new Uint8Array(cols * rows) : new Uint16Array(cols * rows);
  const slotCount = new Float64Array(totalSlots);
  const hasMissing = new Uint8Array(cols);
  // Small non-negative integer values (event counts) bin through a lookup table, others by binary search.
  const luts: (Uint16Array | null)[] = [];
  const lutTop = new Float64Array(cols);
  for (let f = 0; f < cols; f++) {
    const nb = cuts.ptr[f + 1] - cuts.ptr[f];
    const top = nb > 1 ? cuts.values[cuts.ptr[f + 1] - 2] : -1;
    if (top >= 0 && top < COUNTING_RANGE) {
      const lut = new Uint16Array(Math.floor(top) + 1);
      for (let v = 0; v < lut.length; v++) lut[v] = binOf(cuts, f, v);
      luts.push(lut);
      lutTop[f] = top;
    } else {
      luts.push(null);
    }
  }
  // Tiles of rows x features keep both the row-major reads of x and the column-major writes of colBin in cache.
  for (let r0 = 0; r0 < rows; r0 += ROW_TILE) {
    const r1 = Math.min(rows, r0 + ROW_TILE);
    for (let f0 = 0; f0 < cols; f0 += FEATURE_TILE) {
      const f1 = Math.min(cols, f0 + FEATURE_TILE);
      for (let f = f0; f < f1; f++) {
        const lut = luts[f], top = lutTop[f], missing = nbins[f], last = nbins[f] - 1, base = slotPtr[f], col = f * rows;
        const zeroBin = binOf(cuts, f, 0);
        for (let r = r0, o = r0 * cols + f; r < r1; r++, o += cols) {
          const v = x[o];
          let b: number;
          if (v === 0) b = zeroBin;
          else if (v !== v) { b = missing; hasMissing[f] = 1; }
          else if (lut !== null && v >= 0 && v === Math.floor(v)) b = v <= top ? lut[v] : last;
          else b = binOf(cuts, f, v);
          colBin[col + r] = b;
          slotCount[base + b]++;
        }
      }
    }
  }
  const implicitSlot = new Int32Array(cols);
  for (let f = 0; f < cols; f++) {
    let best = slotPtr[f];
    for (let s = slotPtr[f]; s < slotPtr[f + 1]; s++) if (slotCount[s] > slotCount[best]) best = s;
    implicitSlot[f] = best;
  }
  // CSR of the explicit slots: count per row, then fill, tile by tile.
  const rowPtr = new Int32Array(rows + 1);
  for (let r0 = 0; r0 < rows; r0 += ROW_TILE) {
    const r1 = Math.min(rows, r0 + ROW_TILE);
    for (let f = 0; f < cols; f++) {
      const implicit = implicitSlot[f] - slotPtr[f], col = f * rows;
      for (let r = r0; r < r1; r++) if (colBin[col + r] !== implicit) rowPtr[r + 1]++;
    }
  }
  for (let r = 0; r < rows; r++) rowPtr[r + 1] += rowPtr[r];
  const nnz = rowPtr[rows];
  const slots = totalSlots <= 65536 ? new Uint16Array(nnz) : new Uint32Array(nnz);
  const cursor = rowPtr.slice(0, rows);
  for (let r0 = 0; r0 < rows; r0 += ROW_TILE) {
    const r1 = Math.min(rows, r0 + ROW_TILE);
    for (let f = 0; f < cols; f++) {
      const base = slotPtr[f], implicit = implicitSlot[f], col = f * rows;
      for (let r = r0; r < r1; r++) {
        const s = base + colBin[col + r];
        if (s !== implicit) slots[cursor[r]++] = s;
      }
    }
  }
  return { rows, cols, cuts, slotPtr, nbins, totalSlots, colBin, implicitSlot, rowPtr, slots, hasMissing };
}
