import { describe, expect, it } from "vitest";
import {
  RANK_REPLY_TOKENS,
  estimatePlan,
  type PlanConfig,
} from "../../../src/ablation/estimate-plan.js";
import { estimateRun } from "../../../src/plan/estimate-run.js";
import { InvalidArgumentError } from "../../../src/errors/index.js";
import { DEFAULT_PRICES, findPrice } from "../../../src/models/price-table.js";
import { PRESETS } from "../../../src/presets/presets.js";

const preset = (name: keyof typeof PRESETS): PlanConfig => ({
  ...PRESETS[name],
  proposers: [...PRESETS[name].proposers],
});

describe("estimatePlan", () => {
  it.each(["moa", "moa-lite", "moa-gpt-4o", "self-moa"] as const)(
    "agrees with the budget's pre-flight estimate (estimateRun) for %s",
    (name) => {
      const config = preset(name);
      const plan = estimatePlan({ config, promptTokens: 120, outputTokens: 300 });
      const price = (spec: string) => {
        const row = findPrice(spec, DEFAULT_PRICES);
        return row
          ? { inputPerMillion: row.inputPerMillion, outputPerMillion: row.outputPerMillion }
          : undefined;
      };
      const caller = (spec: string, samples: number) => ({
        id: spec,
        samples,
        maxOutputTokens: 300,
        price: price(spec),
      });
      const run = estimateRun({
        promptTokens: 120,
        proposerLayers: Array.from({ length: config.layers - 1 }, () =>
          config.proposers.map((spec) => caller(spec, config.samples)),
        ),
        aggregator: caller(config.aggregator, 1),
      });
      expect(plan.calls).toBe(run.calls);
      expect(plan.inputTokens).toBe(run.inputTokens);
      expect(plan.outputTokens).toBe(run.outputTokens);
      expect(plan.pricedCostUsd).toBeCloseTo(run.pricedCostUsd, 12);
      expect(plan.unpriced).toEqual(run.unpriced);
      expect(plan.layers).toHaveLength(config.layers);
    },
  );

  it("computes TFLOPs per layer as the largest parallel call, summed over layers", () => {
    const plan = estimatePlan({ config: preset("moa"), promptTokens: 100, outputTokens: 400 });
    // Layer 1: every proposer reads 100 and writes 400 tokens; Qwen1.5-110B (111B) is the largest.
    expect(plan.layers[0]!.tflops).toBeCloseTo((2 * 111e9 * 500) / 1e12, 9);
    expect(plan.tflops).toBeCloseTo(
      plan.layers.reduce((total, layer) => total + layer.tflops!, 0),
      9,
    );
    expect(plan.layers[2]).toMatchObject({ role: "aggregator", calls: 1 });
  });

  it("estimates latency from time to first token and decoding speed, slowest call per layer", () => {
    const plan = estimatePlan({
      config: preset("moa-lite"),
      promptTokens: 100,
      outputTokens: 200,
      latency: { firstTokenMs: 1000, tokensPerSecond: 100 },
    });
    expect(plan.layers.map((layer) => layer.latencyMs)).toEqual([3000, 3000]);
    expect(plan.criticalPathMs).toBe(6000);
  });

  it("gives the LLM-ranker a one-number reply and the rank prompt as its input", () => {
    const plan = estimatePlan({
      config: preset("llm-ranker"),
      promptTokens: 100,
      outputTokens: 400,
    });
    const final = plan.layers.at(-1)!;
    expect(final).toMatchObject({ role: "ranker", calls: 1, outputTokens: RANK_REPLY_TOKENS });
    expect(final.inputTokens).toBeGreaterThan(100 + 6 * 400);
  });

  it("assumes the output cap when no expected length is given, and says so", () => {
    const plan = estimatePlan({ config: preset("moa"), promptTokens: 100 });
    expect(plan.assumptions).toMatchObject({ outputTokens: 2048, outputIsUpperBound: true });
  });

  it("leaves cost and TFLOPs unknown for models without a price or parameter count", () => {
    const plan = estimatePlan({
      config: preset("moa-gpt-4o"),
      promptTokens: 100,
      outputTokens: 100,
    });
    expect(plan.costUsd).toBeDefined();
    expect(plan.tflops).toBeUndefined();
    expect(plan.unknownParameters).toEqual(["openai:gpt-4o"]);
    expect(plan.layers[1]!.tflops).toBeDefined();
    const custom = estimatePlan({
      config: { ...preset("moa-lite"), aggregator: "openai:my-model" },
      promptTokens: 100,
      outputTokens: 100,
    });
    expect(custom.costUsd).toBeUndefined();
    expect(custom.unpriced).toEqual(["openai:my-model"]);
    expect(custom.pricedCostUsd).toBeGreaterThan(0);
  });

  it("warns when a call outgrows a model's known context window", () => {
    const plan = estimatePlan({ config: preset("moa"), promptTokens: 200, outputTokens: 2048 });
    expect(plan.contextWarnings).toContainEqual(
      expect.objectContaining({
        layer: 2,
        modelId: "together:meta-llama/Llama-3-70b-chat-hf",
        contextWindow: 8192,
      }),
    );
    expect(
      estimatePlan({ config: preset("moa"), promptTokens: 200, outputTokens: 300 }).contextWarnings,
    ).toEqual([]);
  });

  it.each<[string, Parameters<typeof estimatePlan>[0]]>([
    ["a negative prompt", { config: preset("moa"), promptTokens: -1 }],
    ["zero output tokens", { config: preset("moa"), promptTokens: 1, outputTokens: 0 }],
    [
      "zero decoding speed",
      { config: preset("moa"), promptTokens: 1, latency: { tokensPerSecond: 0 } },
    ],
  ])("rejects %s", (_name, input) => {
    expect(() => estimatePlan(input)).toThrow(InvalidArgumentError);
  });
});
