/** The sign test of paired differences. */
export interface SignTestResult {
  /** Pairs where the variant scored higher (difference > 0). */
  wins: number;
  /** Pairs where it scored lower. */
  losses: number;
  /** Pairs with equal scores (left out of the test, as usual). */
  ties: number;
  /**
   * Exact two-sided p-value: `min(1, 2 · P(X ≤ min(wins, losses)))` with X ~ Binomial(wins +
   * losses, ½); 1 when every pair is tied.
   */
  pValue: number;
}

/**
 * The exact two-sided sign test of paired differences (variant − reference per instance): does
 * the variant win more often than it loses? Ties are dropped. Works in log space, so thousands of
 * pairs do not underflow.
 *
 * @example
 * ```ts
 * signTest([1, 1, 1, 1, 1, -1]).pValue; // 2 · (1 + 6) / 64 = 0.21875
 * ```
 */
export function signTest(differences: readonly number[]): SignTestResult {
  const wins = differences.filter((difference) => difference > 0).length;
  const losses = differences.filter((difference) => difference < 0).length;
  const ties = differences.length - wins - losses;
  const n = wins + losses;
  const k = Math.min(wins, losses);
  // log C(n, i) − n log 2, summed over i = 0…k with log-sum-exp.
  const logHalf = -n * Math.LN2;
  let logCoefficient = 0;
  const terms: number[] = [];
  for (let i = 0; i <= k; i += 1) {
    if (i > 0) logCoefficient += Math.log(n - i + 1) - Math.log(i);
    terms.push(logCoefficient + logHalf);
  }
  const largest = Math.max(...terms);
  const tail = Math.exp(largest) * terms.reduce((sum, term) => sum + Math.exp(term - largest), 0);
  return { wins, losses, ties, pValue: n === 0 ? 1 : Math.min(1, 2 * tail) };
}
