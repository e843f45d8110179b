/**
 * Co-LLM training, step 3: initialise the gate from the weak labels by weighted binary
 * cross-entropy of `g_t = sigmoid(w · h_t)` against `Ẑ_t` (positive-class weight 8), the base
 * frozen.
 *
 * Differences from the reference code: it starts `w` at the mean of the base's output-embedding
 * rows; a {@link TokenModel} does not expose the output matrix (node-llama-cpp has no public
 * tensor access), so `w` starts at zeros (`g = 0.5` everywhere: no side favoured) unless
 * `initialWeights` is given. And it uses AdamW at lr 2e-5 over a large model; here plain
 * full-batch gradient descent (deterministic, see {@link GateFitOptions}) fits the one vector.
 *
 * @module
 */
import { InvalidArgumentError } from "../../errors/invalid-argument-error.js";
import type { CoLlmGate } from "../gate.js";
import { descend, type GateFitOptions } from "./gradient-descent.js";
import type { ScoredToken } from "./score-sequences.js";
import { weakLabels } from "./weak-labels.js";

/** Parameters of {@link initializeGate}. */
export interface InitializeGateParams extends GateFitOptions {
  /** Identity of the base the tokens were scored on (the gate records it). */
  baseModel: string;
  /** Scored training tokens ({@link scoreSequences}). */
  scored: readonly Pick<ScoredToken, "baseIsRight" | "assistantIsRight" | "hidden">[];
  /** Labels per scored token. @default weakLabels(scored) */
  labels?: readonly (0 | 1)[];
  /** Weight of a positive (defer) label in the loss. @default 8 */
  positiveWeight?: number;
  /** Starting `w`. @default zeros */
  initialWeights?: ArrayLike<number>;
  /** `η` of the returned gate (search it with {@link searchThreshold}). @default 0.5 */
  threshold?: number;
}

/**
 * Fits `w` by weighted BCE: loss `Σ_t −c_t [Ẑ_t log g_t + (1 − Ẑ_t) log(1 − g_t)]` with
 * `c_t = positiveWeight` on positives, 1 otherwise; its gradient is `Σ_t c_t (g_t − Ẑ_t) h_t`.
 * The bias stays 0 (llama heads have none; a constant hidden feature plays its part).
 *
 * @example
 * ```ts
 * const gate = initializeGate({ baseModel: base.identity, scored });
 * ```
 */
export function initializeGate(params: InitializeGateParams): CoLlmGate {
  const { scored } = params;
  const labels = params.labels ?? weakLabels(scored);
  const positiveWeight = params.positiveWeight ?? 8;
  const hiddenSize = scored[0]?.hidden.length ?? 0;
  if (scored.length === 0 || hiddenSize === 0) {
    throw new InvalidArgumentError({
      parameter: "scored",
      value: scored.length,
      message: "`scored` needs at least one scored token with a hidden state (see scoreSequences).",
    });
  }
  if (labels.length !== scored.length) {
    throw new InvalidArgumentError({
      parameter: "labels",
      value: labels.length,
      message: `\`labels\` has one label per scored token: ${labels.length} labels for ${scored.length} tokens.`,
    });
  }
  const weights = new Float32Array(hiddenSize);
  if (params.initialWeights !== undefined) weights.set(Array.from(params.initialWeights));
  const start: CoLlmGate = {
    baseModel: params.baseModel,
    hiddenSize,
    weights,
    bias: 0,
    threshold: params.threshold ?? 0.5,
  };
  return descend(
    start,
    scored.map((token) => token.hidden),
    (g, index) => (labels[index] === 1 ? positiveWeight * (g - 1) : g),
    params,
  );
}
