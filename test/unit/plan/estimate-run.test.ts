import { describe, expect, it } from "vitest";
import { estimateTokens } from "../../../src/context/estimate-tokens.js";
import { estimateRun } from "../../../src/plan/estimate-run.js";
import { priceTokens } from "../../../src/models/price-table.js";
import { AGGREGATE_AND_SYNTHESIZE_PROMPT } from "../../../src/index.js";

const price = { inputPerMillion: 1, outputPerMillion: 2 };

describe("estimateRun", () => {
  it("counts every call of every layer and bounds the tokens from above", () => {
    const caller = (id: string, samples = 1) => ({ id, samples, maxOutputTokens: 100, price });
    const estimate = estimateRun({
      promptTokens: 50,
      proposerLayers: [
        [caller("a"), caller("b", 2)],
        [caller("a"), caller("b", 2)],
      ],
      aggregator: caller("agg"),
    });
    const overhead = estimateTokens(AGGREGATE_AND_SYNTHESIZE_PROMPT);
    expect(estimate.calls).toBe(7);
    expect(estimate.criticalPathCalls).toBe(3);
    expect(estimate.outputTokens).toBe(700);
    // layer 1: 3 × 50; layer 2: 3 × (50 + overhead + 300); aggregator: 50 + overhead + 300
    expect(estimate.inputTokens).toBe(3 * 50 + 4 * (50 + overhead + 300));
    expect(estimate.pricedCostUsd).toBeCloseTo(priceTokens(price, estimate.inputTokens, 700), 12);
    expect(estimate.unpriced).toEqual([]);
  });

  it("reports unpriced models instead of guessing", () => {
    const estimate = estimateRun({
      promptTokens: 10,
      proposerLayers: [[{ id: "mystery", samples: 1, maxOutputTokens: 10 }]],
      aggregator: { id: "agg", samples: 1, maxOutputTokens: 10, price },
    });
    expect(estimate.unpriced).toEqual(["mystery"]);
    expect(estimate.pricedCostUsd).toBeGreaterThan(0);
  });

  it("estimates the aggregator alone for layers = 1", () => {
    const estimate = estimateRun({
      promptTokens: 10,
      proposerLayers: [],
      aggregator: { id: "a", samples: 1, maxOutputTokens: 5, price },
    });
    expect(estimate).toMatchObject({
      calls: 1,
      inputTokens: 10,
      outputTokens: 5,
      criticalPathCalls: 1,
    });
  });
});
