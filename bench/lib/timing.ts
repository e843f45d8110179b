import { performance } from "node:perf_hooks";

/**
 * Milliseconds per call of each body, measured interleaved (a, b, c, a, b, c, …) so that drift
 * in the machine's load hits every body alike: `warmup` untimed rounds, then `iterations` timed
 * ones; returns the mean time per call of each body.
 */
export async function interleavedMsPerCall(
  bodies: readonly (() => Promise<unknown>)[],
  iterations: number,
  warmup = Math.ceil(iterations / 5),
): Promise<number[]> {
  for (let round = 0; round < warmup; round++) for (const body of bodies) await body();
  const totals = bodies.map(() => 0);
  for (let round = 0; round < iterations; round++) {
    for (const [index, body] of bodies.entries()) {
      const started = performance.now();
      await body();
      totals[index]! += performance.now() - started;
    }
  }
  return totals.map((total) => total / iterations);
}
