import { pairedBootstrap, type PairedBootstrapOptions } from "./paired-bootstrap.js";
import { signTest, type SignTestResult } from "./sign-test.js";

/** One variant against the reference variant, on the instances both were judged on. */
export interface PairedComparison {
  /** The compared variant's id. */
  variant: string;
  /** Instances judged for both variants (the pairs). */
  pairs: number;
  /** Mean per-instance score difference, variant − reference. */
  difference: number;
  /** 95 % paired-bootstrap interval of `difference`. */
  low: number;
  high: number;
  /** Paired-bootstrap two-sided p-value. */
  pValue: number;
  /** The sign test of the same pairs. */
  signTest: SignTestResult;
}

/** Every variant against one reference variant. */
export interface PairedComparisons {
  /** The reference variant's id (the study's first variant). */
  reference: string;
  /** What a per-instance score is, e.g. `win (%) against the AlpacaEval reference output`. */
  instanceScore: string;
  /** Bootstrap resamples and seed used. */
  resamples: number;
  seed: string;
  comparisons: PairedComparison[];
}

/** A variant with its per-instance scores (instance id → score). */
export interface ScoredVariant {
  id: string;
  instances?: Readonly<Record<string, number>>;
}

/**
 * Compares each variant with `reference` on the same instances: the mean per-instance difference
 * with its paired-bootstrap 95 % interval and p-value, and the sign test. Variants without
 * per-instance scores are left out; instances only one side has are ignored.
 *
 * @example
 * ```ts
 * comparePairedVariants(
 *   { id: "l1", instances: { a: 0, b: 50, c: 100 } },
 *   [{ id: "l2", instances: { a: 100, b: 100, c: 100 } }],
 * ).comparisons[0]; // { variant: "l2", pairs: 3, difference: 50, … }
 * ```
 */
export function comparePairedVariants(
  reference: ScoredVariant,
  variants: readonly ScoredVariant[],
  options: PairedBootstrapOptions & { instanceScore?: string } = {},
): PairedComparisons {
  const seed = options.seed ?? "moa-ablation";
  const resamples = options.resamples ?? 10_000;
  const base = reference.instances ?? {};
  const comparisons = variants.flatMap((variant): PairedComparison[] => {
    if (variant.id === reference.id || variant.instances === undefined) return [];
    const scores = variant.instances;
    // Sorted ids: the bootstrap draws the same pairs whatever order the files were read in.
    const shared = Object.keys(scores)
      .filter((id) => Object.hasOwn(base, id))
      .sort();
    const differences = shared.map((id) => scores[id]! - base[id]!);
    const bootstrap = pairedBootstrap(differences, { ...options, seed, resamples });
    return [
      {
        variant: variant.id,
        pairs: differences.length,
        difference: bootstrap.difference,
        low: bootstrap.low,
        high: bootstrap.high,
        pValue: bootstrap.pValue,
        signTest: signTest(differences),
      },
    ];
  });
  return {
    reference: reference.id,
    instanceScore: options.instanceScore ?? "score",
    resamples,
    seed,
    comparisons,
  };
}
