/**
 * mulberry32: a tiny, well-distributed 32-bit generator, seeded, so draws repeat across runs and
 * platforms (latency jitter, random deferral, fixture question sets).
 *
 * @param seed - Any 32-bit integer.
 * @returns A function returning uniform numbers in `[0, 1)`.
 * @example
 * ```ts
 * const random = seededRandom(7);
 * random(); // the same number on every run
 * ```
 */
export function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
