/**
 * Ranking sessions by probability: highest first, ties in input order, NaN last, on the float32 bits of the scores,
 * so a million sessions rank in milliseconds.
 */

/** Float32 bits as unsigned keys that sort ascending as the scores sort descending; NaN gets the largest key. */
function descendingKeys(scores: ArrayLike<number>): Uint32Array<ArrayBuffer> {
  const n = scores.length;
  const f32 = scores instanceof Float32Array ? scores : Float32Array.from(scores);
  const bits = new Uint32Array(f32.buffer, f32.byteOffset, n);
  const keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const b = bits[i];
    // NaN: exponent all ones and a non-zero mantissa.
    if ((b & 0x7f800000) === 0x7f800000 && (b & 0x007fffff) !== 0) keys[i] = 0xffffffff;
    else keys[i] = ~(b & 0x80000000 ? ~b : b | 0x80000000) >>> 0;
  }
  return keys;
}

/** Below this many sessions a (key, index) pair fits exactly in a double: 32 key bits + 21 index bits = 53. */
const PACKED_LIMIT = 1 << 21;

/**
 * Session indices from the highest score to the lowest. Up to two million sessions, each (key, index) pair is packed
 * into one double and sorted by the engine's native typed-array sort (no JIT warm-up: it matters for a cold `secml
 * score`); the index in the low bits keeps ties in input order. Beyond that, a stable LSD radix sort.
 */
export function rankByScore(scores: ArrayLike<number>): Uint32Array {
  const n = scores.length;
  const keys = descendingKeys(scores);
  if (n < PACKED_LIMIT) {
    const packed = new Float64Array(n);
    for (let i = 0; i < n; i++) packed[i] = keys[i] * PACKED_LIMIT + i;
    packed.sort();
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = packed[i] % PACKED_LIMIT;
    return order;
  }
  return radixRank(keys);
}

/** Stable LSD radix sort of session indices by key (two 16-bit passes). */
function radixRank(keys: Uint32Array<ArrayBuffer>): Uint32Array {
  const n = keys.length;
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
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
