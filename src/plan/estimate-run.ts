import { estimateTokens } from "../context/estimate-tokens.js";
import { priceTokens, type TokenPrice } from "../models/price-table.js";
import { AGGREGATE_AND_SYNTHESIZE_PROMPT } from "../prompts/aggregate-and-synthesize-prompt.js";

/** One model's calls in an estimate. */
export interface EstimatedCaller {
  id: string;
  /** Parallel calls of this model in its layer. */
  samples: number;
  /** Output cap of each call (the upper bound assumes every call uses all of it). */
  maxOutputTokens: number;
  price?: TokenPrice;
}

/** Inputs of {@link estimateRun}. */
export interface RunEstimateInput {
  /** Estimated tokens of the conversation sent to layer 1. */
  promptTokens: number;
  /** One list per proposer layer. */
  proposerLayers: readonly (readonly EstimatedCaller[])[];
  aggregator: EstimatedCaller;
  /**
   * Typical output tokens of one call, for an expected-cost estimate: each call writes the
   * smaller of this and its cap. @default each call's `maxOutputTokens` (an upper bound)
   */
  expectedOutputTokens?: number;
}

/** An estimate of one run. */
export interface RunEstimate {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Cost of the calls whose price is known. */
  pricedCostUsd: number;
  /** Ids of models without a known price (their cost is unknown, not zero). */
  unpriced: string[];
  /** Longest chain of calls: one per layer. */
  criticalPathCalls: number;
}

/**
 * Pre-flight estimate of a MoA run before any call. Without `expectedOutputTokens` every call is
 * assumed to write its full `maxOutputTokens`, so the figure is an upper bound; with it, each call
 * writes the smaller of the two, an expectation. Layer 1 calls read the prompt; layer k ≥ 2
 * calls and the aggregator read the prompt, the Aggregate-and-Synthesize text and every answer
 * of the previous layer.
 */
export function estimateRun({
  promptTokens,
  proposerLayers,
  aggregator,
  expectedOutputTokens,
}: RunEstimateInput): RunEstimate {
  const overhead = estimateTokens(AGGREGATE_AND_SYNTHESIZE_PROMPT);
  let calls = 0;
  let inputTokens = 0;
  let outputTokens = 0;
  let pricedCostUsd = 0;
  const unpriced = new Set<string>();
  let previousOutput = 0;
  const layers = [...proposerLayers, [{ ...aggregator, samples: 1 }]];
  layers.forEach((layer, index) => {
    const input = promptTokens + (index === 0 ? 0 : overhead + previousOutput);
    let layerOutput = 0;
    for (const caller of layer) {
      const callInput = input * caller.samples;
      const perCall = Math.min(caller.maxOutputTokens, expectedOutputTokens ?? Infinity);
      const callOutput = perCall * caller.samples;
      calls += caller.samples;
      inputTokens += callInput;
      outputTokens += callOutput;
      layerOutput += callOutput;
      if (caller.price) pricedCostUsd += priceTokens(caller.price, callInput, callOutput);
      else unpriced.add(caller.id);
    }
    previousOutput = layerOutput;
  });
  return {
    calls,
    inputTokens,
    outputTokens,
    pricedCostUsd,
    unpriced: [...unpriced].sort(),
    criticalPathCalls: layers.length,
  };
}
