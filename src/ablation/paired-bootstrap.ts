import { PythonRandom } from "../eval/python/seeded-random.js";

/** Options of {@link pairedBootstrap}. */
export interface PairedBootstrapOptions {
  /** Bootstrap resamples. @default 10_000 */
  resamples?: number;
  /** Seed of the resampling (the same seed gives the same interval). @default "moa-ablation" */
  seed?: string;
  /** Coverage of the percentile interval. @default 0.95 */
  confidence?: number;
}

/** A bootstrap estimate of a mean paired difference. */
export interface PairedBootstrapResult {
  /** Mean of the differences (variant − reference). */
  difference: number;
  /** Percentile confidence interval of the mean difference. */
  low: number;
  high: number;
  /**
   * Two-sided bootstrap p-value of "no difference": `2 · min(#means ≤ 0, #means ≥ 0)`, plus one,
   * over resamples plus one (never 0), capped at 1.
   */
  pValue: number;
  resamples: number;
}

/**
 * The paired bootstrap of per-instance differences (variant − reference on the same
 * instructions): resamples the instances with replacement, seeded, and reports the mean
 * difference with its percentile interval and p-value. Pairing removes the instance-to-instance
 * variance both variants share, so it separates variants an unpaired comparison cannot.
 *
 * @example
 * ```ts
 * const { difference, low, high, pValue } = pairedBootstrap([10, 0, 5, -5, 20]);
 * ```
 */
export function pairedBootstrap(
  differences: readonly number[],
  options: PairedBootstrapOptions = {},
): PairedBootstrapResult {
  const resamples = options.resamples ?? 10_000;
  const confidence = options.confidence ?? 0.95;
  const n = differences.length;
  if (n === 0) {
    return { difference: Number.NaN, low: Number.NaN, high: Number.NaN, pValue: 1, resamples };
  }
  const random = new PythonRandom(options.seed ?? "moa-ablation");
  const means = new Float64Array(resamples);
  for (let resample = 0; resample < resamples; resample += 1) {
    let sum = 0;
    for (let draw = 0; draw < n; draw += 1) {
      sum += differences[Math.floor(random.random() * n)]!;
    }
    means[resample] = sum / n;
  }
  means.sort();
  const atOrBelow = means.filter((mean) => mean <= 0).length;
  const atOrAbove = means.filter((mean) => mean >= 0).length;
  const tail = (1 - confidence) / 2;
  return {
    difference: differences.reduce((sum, value) => sum + value, 0) / n,
    low: quantile(means, tail),
    high: quantile(means, 1 - tail),
    pValue: Math.min(1, (2 * (Math.min(atOrBelow, atOrAbove) + 1)) / (resamples + 1)),
    resamples,
  };
}

/** Linear-interpolation quantile of sorted values (NumPy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}
