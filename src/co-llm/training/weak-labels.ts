/**
 * Co-LLM training, step 2: weak labels ("method a" of the reference code).
 *
 * @module
 */
import type { ScoredToken } from "./score-sequences.js";

/**
 * `Ẑ_t = 1` iff the assistant's argmax is the gold token and the base's is not (the tokens where
 * deferring would help), else 0; one label per scored token.
 *
 * @example
 * ```ts
 * weakLabels(scored); // [0, 0, 0, 1, 0, 0]: only the answer number needs the assistant
 * ```
 */
export function weakLabels(
  scored: readonly Pick<ScoredToken, "baseIsRight" | "assistantIsRight">[],
): Array<0 | 1> {
  return scored.map((token) => (token.assistantIsRight && !token.baseIsRight ? 1 : 0));
}
