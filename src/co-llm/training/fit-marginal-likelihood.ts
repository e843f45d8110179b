/**
 * Co-LLM training, step 4: maximise the marginal likelihood of the gold tokens,
 * `Σ_t log((1 − g_t) · P_base(x_t) + g_t · P_asst(x_t))`, over `w` only.
 *
 * Difference from the paper: it also fine-tunes the whole base in this step; here both models
 * stay frozen (their log probabilities are precomputed by {@link scoreSequences}) and only the
 * gate vector is learned: an EM-like fit whose gradient is `Σ_t (r_t − g_t) · h_t`, with `r_t`
 * the assistant's posterior responsibility for token t.
 *
 * @module
 */
import { gateProbability, type CoLlmGate } from "../gate.js";
import { descend, type GateFitOptions } from "./gradient-descent.js";
import type { ScoredToken } from "./score-sequences.js";

type Scores = Pick<ScoredToken, "baseLogProbability" | "assistantLogProbability" | "hidden">;

/** Parameters of {@link fitMarginalLikelihood}. */
export interface FitMarginalLikelihoodParams extends GateFitOptions {
  /** The starting gate (from {@link initializeGate}). */
  gate: CoLlmGate;
  /** Scored training tokens. */
  scored: readonly Scores[];
}

/**
 * `r_t = g·P_asst / ((1 − g)·P_base + g·P_asst)`: the posterior probability that the assistant
 * wrote the gold token (computed from log probabilities, stable when both are tiny).
 */
export function assistantResponsibility(
  g: number,
  baseLogProbability: number,
  assistantLogProbability: number,
): number {
  const logBase = Math.log1p(-g) + baseLogProbability;
  const logAssistant = Math.log(g) + assistantLogProbability;
  // Neither explains the token (both terms −∞): the posterior is the prior.
  if (logBase === Number.NEGATIVE_INFINITY && logAssistant === Number.NEGATIVE_INFINITY) return g;
  return 1 / (1 + Math.exp(logBase - logAssistant));
}

/** `Σ_t log((1 − g_t)·P_base(x_t) + g_t·P_asst(x_t))` under `gate`. */
export function marginalLogLikelihood(gate: CoLlmGate, scored: readonly Scores[]): number {
  return scored.reduce((sum, token) => {
    const g = gateProbability(gate, token.hidden);
    const logBase = Math.log1p(-g) + token.baseLogProbability;
    const logAssistant = Math.log(g) + token.assistantLogProbability;
    const top = Math.max(logBase, logAssistant);
    return sum + top + Math.log(Math.exp(logBase - top) + Math.exp(logAssistant - top));
  }, 0);
}

/**
 * Gradient ascent on the marginal log likelihood from `gate` (the bias and `η` kept).
 *
 * @example
 * ```ts
 * const fitted = fitMarginalLikelihood({ gate: initializeGate({ baseModel, scored }), scored });
 * marginalLogLikelihood(fitted, scored) >= marginalLogLikelihood(initial, scored); // true
 * ```
 */
export function fitMarginalLikelihood(params: FitMarginalLikelihoodParams): CoLlmGate {
  const { scored } = params;
  return descend(
    params.gate,
    scored.map((token) => token.hidden),
    (g, index) =>
      // Minimising the negative log likelihood: ∂(−log m_t)/∂logit_t = g_t − r_t.
      g -
      assistantResponsibility(
        g,
        scored[index]!.baseLogProbability,
        scored[index]!.assistantLogProbability,
      ),
    params,
  );
}
