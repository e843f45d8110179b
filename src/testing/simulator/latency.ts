/**
 * Latency of a simulated model: fixed, or drawn from a distribution with a seeded generator so
 * that call `i` of model `m` always gets the same delay (benchmarks are reproducible and tests
 * never depend on luck).
 */
import { seededRandom } from "../../utils/seeded-random.js";

/**
 * Time to first byte of a simulated answer, in milliseconds.
 *
 * - a number: fixed latency;
 * - `{ distribution: "uniform", min, max }`: uniform in `[min, max]`;
 * - `{ distribution: "normal", mean, sd }`: normal, clamped at 0.
 */
export type LatencySpec =
  | number
  | { distribution: "uniform"; min: number; max: number }
  | { distribution: "normal"; mean: number; sd: number };

/** What a latency draw is keyed on; the same key always yields the same delay. */
export interface LatencyDrawKey {
  /** Seed of the simulator. */
  seed: number;
  /** Model name (two models with the same distribution still get different draws). */
  model: string;
  /** 0-based per-model call index. */
  callIndex: number;
}

/**
 * Draws the latency of one call. Deterministic: depends only on `spec` and `key`.
 *
 * @example
 * ```ts
 * sampleLatencyMs({ distribution: "uniform", min: 50, max: 150 }, { seed: 0, model: "a", callIndex: 3 });
 * ```
 */
export function sampleLatencyMs(spec: LatencySpec | undefined, key: LatencyDrawKey): number {
  if (spec === undefined) return 0;
  if (typeof spec === "number") return Math.max(0, spec);
  const random = seededRandom(hashKey(key));
  if (spec.distribution === "uniform") {
    return spec.min + (spec.max - spec.min) * random();
  }
  // Box–Muller: two uniforms in (0, 1] give one standard normal draw.
  const u1 = 1 - random();
  const u2 = random();
  const standard = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return Math.max(0, spec.mean + spec.sd * standard);
}

/**
 * Explains what is wrong with a latency spec, or returns `undefined` when it is valid.
 */
export function describeLatencyProblem(spec: unknown): string | undefined {
  const finite = (value: unknown): value is number =>
    typeof value === "number" && Number.isFinite(value);
  if (spec === undefined) return undefined;
  if (finite(spec)) return spec >= 0 ? undefined : "must be ≥ 0 milliseconds";
  if (typeof spec !== "object" || spec === null) {
    return "must be a number of milliseconds or a { distribution } object";
  }
  const candidate = spec as Record<string, unknown>;
  if (candidate.distribution === "uniform") {
    const { min, max } = candidate;
    if (!finite(min) || !finite(max) || min < 0 || max < min) {
      return "a uniform distribution needs 0 ≤ `min` ≤ `max`";
    }
    return undefined;
  }
  if (candidate.distribution === "normal") {
    const { mean, sd } = candidate;
    if (!finite(mean) || !finite(sd) || sd < 0) {
      return "a normal distribution needs a finite `mean` and `sd` ≥ 0";
    }
    return undefined;
  }
  return '`distribution` must be "uniform" or "normal"';
}

// FNV-1a over the key's parts: cheap, stable across runs and platforms.
function hashKey({ seed, model, callIndex }: LatencyDrawKey): number {
  let hash = 0x811c9dc5;
  for (const character of `${seed}\u0000${model}\u0000${callIndex}`) {
    hash ^= character.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
