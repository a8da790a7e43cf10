/**
 * Train / validation / test by session, stratified by label and seeded. Within each label class the sessions are
 * shuffled and cut by the ratios, remainders going to the splits with the largest fractional share (ties: test,
 * then validation). Every variant of a dataset uses the same assignment, so variants are compared on the same
 * test sessions.
 */
import { SecmlError } from '../errors';
import { seededRandom } from './seeded-random';

export const TRAIN = 0;
export const VALIDATION = 1;
export const TEST = 2;
export const SPLIT_NAMES = ['train', 'validation', 'test'] as const;
export type SplitName = (typeof SPLIT_NAMES)[number];
/** The seed's split (train, validation, test): the default of `secml flatten`, the Flatten command and experiment specs. */
export const DEFAULT_SPLIT: Readonly<[number, number, number]> = Object.freeze([0.7, 0.15, 0.15] as [number, number, number]);

/** Ratios as `--split` takes them: `0.7,0.15,0.15`. */
export function splitRatiosText(r: Readonly<[number, number, number]>): string {
  return r.join(',');
}

export function parseSplitRatios(text: string): [number, number, number] {
  const parts = text.split(',').map((p) => Number(p.trim()));
  if (parts.length !== 3 || parts.some((p) => !Number.isFinite(p) || p < 0)) {
    throw new SecmlError('BAD_ARGUMENT', `--split needs three fractions for train,validation,test (e.g. ${splitRatiosText(DEFAULT_SPLIT)}), got "${text}"`);
  }
  return checkSplitRatios(parts as [number, number, number]);
}

export function checkSplitRatios(r: [number, number, number]): [number, number, number] {
  const sum = r[0] + r[1] + r[2];
  if (Math.abs(sum - 1) > 1e-6) throw new SecmlError('BAD_ARGUMENT', `The split fractions must add up to 1 (got ${r.join(', ')}, sum ${sum})`);
  if (!(r[0] > 0)) throw new SecmlError('BAD_ARGUMENT', 'The training fraction of the split must be above 0');
  return r;
}

/** How many of `n` items go to each split: floors, then the remainder by largest fractional part. */
export function splitCounts(n: number, ratios: [number, number, number]): [number, number, number] {
  const exact = ratios.map((r) => r * n);
  const out = exact.map((x) => Math.floor(x + 1e-9)) as [number, number, number];
  let left = n - out[0] - out[1] - out[2];
  const order = [TEST, VALIDATION, TRAIN].filter((k) => ratios[k] > 0).sort((a, b) => exact[b] - Math.floor(exact[b] + 1e-9) - (exact[a] - Math.floor(exact[a] + 1e-9)));
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) out[order[k]]++;
  return out;
}

/**
 * Assigns `eligible` sessions (indices) to splits, stratified by `positive`. Returns a split code per index of
 * `positive` (sessions not in `eligible` are left as TRAIN; callers decide what they mean).
 */
export function assignSplits(eligible: number[], positive: (s: number) => boolean, total: number, ratios: [number, number, number], seed: number): Uint8Array {
  const out = new Uint8Array(total);
  const random = seededRandom(seed);
  // Plain loops over typed arrays: this runs once per flatten, cold, over every session.
  const isPositive = new Uint8Array(eligible.length);
  let positives = 0;
  for (let k = 0; k < eligible.length; k++) positives += isPositive[k] = positive(eligible[k]) ? 1 : 0;
  for (const cls of [0, 1]) {
    const members = new Int32Array(cls === 1 ? positives : eligible.length - positives);
    for (let k = 0, m = 0; k < eligible.length; k++) if (isPositive[k] === cls) members[m++] = eligible[k];
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const t = members[i];
      members[i] = members[j];
      members[j] = t;
    }
    const [nTrain, nVal] = splitCounts(members.length, ratios);
    for (let k = 0; k < members.length; k++) out[members[k]] = k < nTrain ? TRAIN : k < nTrain + nVal ? VALIDATION : TEST;
  }
  return out;
}
