/**
 * Ranking sessions by probability: highest first, ties in input order, NaN last. A stable LSD radix sort on the
 * float32 bits (two 16-bit passes carrying the session index), so a million sessions rank in milliseconds.
 */

const bits = new Uint32Array(1);
const asFloat = new Float32Array(bits.buffer);

/** An unsigned key that sorts ascending as the score sorts descending (NaN gets the largest key). */
function descendingKey(score: number): number {
  if (Number.isNaN(score)) return 0xffffffff;
  asFloat[0] = score;
  const b = bits[0];
  const ordered = (b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
  return ~ordered >>> 0;
}

/** Session indices from the highest score to the lowest. */
export function rankByScore(scores: ArrayLike<number>): Uint32Array {
  const n = scores.length;
  let keys = new Uint32Array(n);
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    keys[i] = descendingKey(scores[i]);
    order[i] = i;
  }
  let keys2 = new Uint32Array(n);
  let order2 = new Uint32Array(n);
  const count = new Uint32Array(65536);
  for (const shift of [0, 16]) {
    count.fill(0);
    for (let i = 0; i < n; i++) count[(keys[i] >>> shift) & 0xffff]++;
    for (let b = 0, sum = 0; b < 65536; b++) {
      const c = count[b];
      count[b] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      const at = count[(k >>> shift) & 0xffff]++;
      keys2[at] = k;
      order2[at] = order[i];
    }
    [keys, keys2] = [keys2, keys];
    [order, order2] = [order2, order];
  }
  return order;
}
