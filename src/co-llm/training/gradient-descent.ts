/**
 * The deterministic full-batch gradient descent both gate fits use: the loss is a sum over
 * scored tokens of a function of the logit `w · h_t`, so its gradient is
 * `Σ_t ∂ℓ/∂logit_t · h_t`; the step is `learningRate / mean‖h_t‖²` (the same default suits any
 * hidden-state scale) times the mean gradient.
 *
 * @module
 */
import { gateProbability, type CoLlmGate } from "../gate.js";

/** Settings of a fit. */
export interface GateFitOptions {
  /** Step size, relative to `1 / mean‖h_t‖²`. @default 1 */
  learningRate?: number;
  /** Full passes over the scored tokens. @default 500 */
  epochs?: number;
}

/**
 * Minimises a per-token loss over `w` (the bias stays as given).
 *
 * @param slope - `∂ℓ_t/∂logit_t` at token `t` given its current `g_t`.
 */
export function descend(
  gate: CoLlmGate,
  hidden: readonly Float32Array[],
  slope: (g: number, index: number) => number,
  options: GateFitOptions,
): CoLlmGate {
  const learningRate = options.learningRate ?? 1;
  const epochs = options.epochs ?? 500;
  const size = gate.hiddenSize;
  const weights = Array.from(gate.weights);
  const current: CoLlmGate = { ...gate, weights };
  const meanSquaredNorm =
    hidden.reduce((sum, h) => sum + h.reduce((s, value) => s + value * value, 0), 0) /
    Math.max(1, hidden.length);
  const step = learningRate / Math.max(meanSquaredNorm, 1e-12) / Math.max(1, hidden.length);
  const gradient = new Float64Array(size);
  for (let epoch = 0; epoch < epochs; epoch++) {
    gradient.fill(0);
    hidden.forEach((h, index) => {
      const factor = slope(gateProbability(current, h), index);
      for (let dimension = 0; dimension < size; dimension++) {
        gradient[dimension]! += factor * h[dimension]!;
      }
    });
    for (let dimension = 0; dimension < size; dimension++) {
      weights[dimension]! -= step * gradient[dimension]!;
    }
  }
  return { ...gate, weights: Float32Array.from(weights) };
}
