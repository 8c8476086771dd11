/**
 * Deterministic pseudo-randomness for the synthetic tenant: a 32-bit integer hash to derive
 * per-user seeds from (tenant seed, user index, stream), and mulberry32 as the per-user generator.
 * Both are tiny and fast; neither is cryptographic (they only need to look varied and be repeatable).
 */

/** Mixes 32-bit integers into one well-distributed 32-bit unsigned hash (murmur3's finaliser per word). */
export function hash32(...words: number[]): number {
  let h = 0x9e3779b9;
  for (const w of words) {
    let k = Math.imul(w | 0, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A seeded generator: `next()` in [0, 1), plus helpers. */
export interface Rng {
  next(): number;
  /** Integer in [min, max] inclusive. */
  int(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

/** mulberry32 seeded with `seed` (a 32-bit integer). */
export function createRng(seed: number): Rng {
  let a = seed >>> 0;
  const next = (): number => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T,
  };
}

const HEX_BYTE = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** Lower-case 8-digit hex of a 32-bit value. */
export function hex8(n: number): string {
  return (
    (HEX_BYTE[(n >>> 24) & 255] as string) +
    (HEX_BYTE[(n >>> 16) & 255] as string) +
    (HEX_BYTE[(n >>> 8) & 255] as string) +
    (HEX_BYTE[n & 255] as string)
  );
}

/** A version-4-shaped GUID derived from the given words (same words → same GUID). */
export function guidFrom(...words: number[]): string {
  const a = hash32(...words, 1);
  const b = hash32(...words, 2);
  const c = hash32(...words, 3);
  const d = hash32(...words, 4);
  return `${hex8(a)}-${hex8(b).slice(0, 4)}-4${hex8(b).slice(5, 8)}-${"89ab"[c & 3]}${hex8(c).slice(1, 4)}-${hex8(c).slice(4, 8)}${hex8(d)}`;
}

/** A string (e.g. a persona name) as a 32-bit word for `hash32`. */
export function wordOf(text: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
  return h >>> 0;
}
