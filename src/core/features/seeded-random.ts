/** Deterministic randomness: a 32-bit string hash and the mulberry32 generator, so results depend only on the seed. */

/** FNV-1a over UTF-16 code units, finished with a murmur3 mix; `salt` separates uses. */
export function hashString(s: string, salt = 0): number {
  let h = (0x811c9dc5 ^ salt) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One mulberry32 step: returns [next state, output in [0, 2^32)]. Kept as two functions to avoid allocating. */
export function nextState(state: number): number {
  return (state + 0x6d2b79f5) >>> 0;
}

export function outputOf(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/** A generator of floats in [0, 1) from a seed. */
export function seededRandom(seed: number): () => number {
  let state = hashString(String(seed), 0x5eed);
  return () => {
    state = nextState(state);
    return outputOf(state) / 4294967296;
  };
}
