import { describe, expect, it } from "vitest";
import { analyzeRunBudget, summarizeVariantBudget } from "../../../src/ablation/budget-analysis.js";
import type { CallRecord } from "../../../src/ablation/call-cache.js";
import type { ParameterRow } from "../../../src/ablation/model-parameters.js";
import type { PriceRow } from "../../../src/models/price-table.js";

const prices: PriceRow[] = [
  {
    provider: "x",
    model: "big",
    inputPerMillion: 2,
    outputPerMillion: 4,
    source: "test",
    date: "2024-01-01",
  },
  {
    provider: "x",
    model: "small",
    inputPerMillion: 1,
    outputPerMillion: 1,
    source: "test",
    date: "2024-01-01",
  },
];
const parameters: ParameterRow[] = [
  { model: "big", activeParametersB: 100, totalParametersB: 100, source: "test" },
  { model: "small", activeParametersB: 10, totalParametersB: 40, source: "test" },
];
const tables = { prices, parameters };

function call(overrides: Partial<CallRecord>): CallRecord {
  return {
    role: "proposer",
    layer: 1,
    proposerId: "big",
    sample: 0,
    modelId: "x:big",
    status: "ok",
    usage: { inputTokens: 100, outputTokens: 400 },
    latencyMs: 1000,
    cached: false,
    key: "k",
    ...overrides,
  };
}

// A 2-layer run: layer 1 = big (500 tokens, 1 s) and small ×2 (1000 tokens, 3 s and 2 s);
// layer 2 = big aggregating (2000 tokens, 1.5 s).
const run: CallRecord[] = [
  call({}),
  call({
    proposerId: "small",
    modelId: "x:small",
    usage: { inputTokens: 100, outputTokens: 900 },
    latencyMs: 3000,
  }),
  call({
    proposerId: "small",
    modelId: "x:small",
    sample: 1,
    usage: { inputTokens: 100, outputTokens: 900 },
    latencyMs: 2000,
    cached: true,
  }),
  call({
    role: "aggregator",
    layer: 2,
    usage: { inputTokens: 1500, outputTokens: 500 },
    latencyMs: 1500,
  }),
];

describe("analyzeRunBudget", () => {
  const budget = analyzeRunBudget(run, tables);

  it("prices every call and sums tokens and cost per layer and in total", () => {
    expect(budget.calls.map((entry) => entry.costUsd)).toEqual([
      (100 * 2 + 400 * 4) / 1e6,
      1000 / 1e6,
      1000 / 1e6,
      (1500 * 2 + 500 * 4) / 1e6,
    ]);
    expect(
      budget.layers.map((layer) => [
        layer.layer,
        layer.role,
        layer.calls,
        layer.inputTokens,
        layer.outputTokens,
      ]),
    ).toEqual([
      [1, "proposer", 3, 300, 2200],
      [2, "aggregator", 1, 1500, 500],
    ]);
    expect(budget.inputTokens).toBe(1800);
    expect(budget.outputTokens).toBe(2700);
    expect(budget.costUsd).toBeCloseTo(0.0018 + 0.002 + 0.005, 12);
    expect(budget.cachedCalls).toBe(1);
  });

  it("takes the largest parallel call per layer for TFLOPs and sums the layers (the paper's definition)", () => {
    // Layer 1: max(2·100e9·500, 2·10e9·1000) = 1e14 FLOPs = 100 TFLOPs; layer 2: 2·100e9·2000 = 400.
    expect(budget.layers.map((layer) => layer.tflops)).toEqual([100, 400]);
    expect(budget.tflops).toBe(500);
  });

  it("takes the slowest call per layer for the critical path", () => {
    expect(budget.layers.map((layer) => layer.criticalPathMs)).toEqual([3000, 1500]);
    expect(budget.criticalPathMs).toBe(4500);
  });

  it("adds up the calls of one slot, which run one after the other (the ranker's retry)", () => {
    const ranked = analyzeRunBudget(
      [
        call({ proposerId: "small", modelId: "x:small", latencyMs: 800 }),
        call({
          role: "ranker",
          layer: 2,
          usage: { inputTokens: 900, outputTokens: 100 },
          latencyMs: 300,
        }),
        call({
          role: "ranker",
          layer: 2,
          usage: { inputTokens: 900, outputTokens: 100 },
          latencyMs: 400,
        }),
      ],
      tables,
    );
    expect(ranked.layers[1]).toMatchObject({
      role: "ranker",
      calls: 2,
      criticalPathMs: 700,
      tflops: 400,
    });
  });

  it.each<[string, Partial<typeof tables>, "costUsd" | "tflops", "unpriced" | "unknownParameters"]>(
    [
      [
        "a missing price makes the cost unknown, never zero",
        { prices: [prices[0]!] },
        "costUsd",
        "unpriced",
      ],
      [
        "a missing parameter count makes TFLOPs unknown",
        { parameters: [parameters[0]!] },
        "tflops",
        "unknownParameters",
      ],
    ],
  )("%s", (_name, override, field, list) => {
    const partial = analyzeRunBudget(run, { ...tables, ...override });
    expect(partial[field]).toBeUndefined();
    expect(partial.layers[0]![field]).toBeUndefined();
    expect(partial.layers[1]![field]).toBeDefined();
    expect(partial[list]).toEqual(["x:small"]);
  });

  it("keeps the known part of a partly priced run", () => {
    const partial = analyzeRunBudget(run, { ...tables, prices: [prices[0]!] });
    expect(partial.pricedCostUsd).toBeCloseTo(0.0018 + 0.005, 12);
  });

  it("counts a failed call's time but not tokens it never reported", () => {
    const failed = analyzeRunBudget(
      [call({ status: "error", usage: undefined, latencyMs: 5000 })],
      tables,
    );
    expect(failed).toMatchObject({
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      tflops: 0,
      criticalPathMs: 5000,
    });
  });
});

describe("summarizeVariantBudget", () => {
  it("totals tokens and cost over runs and averages cost, TFLOPs and latency per run and layer", () => {
    const one = analyzeRunBudget(run, tables);
    const two = analyzeRunBudget(
      run.map((record) => ({ ...record, latencyMs: record.latencyMs * 2 })),
      tables,
    );
    const summary = summarizeVariantBudget([one, two]);
    expect(summary).toMatchObject({
      runs: 2,
      calls: 8,
      cachedCalls: 2,
      inputTokens: 3600,
      outputTokens: 5400,
      meanTflops: 500,
      meanCriticalPathMs: 6750,
    });
    expect(summary.costUsd).toBeCloseTo(2 * one.costUsd!, 12);
    expect(summary.meanCostUsd).toBeCloseTo(one.costUsd!, 12);
    expect(summary.layers.map((layer) => layer.criticalPathMs)).toEqual([4500, 2250]);
  });

  it("reports no cost or TFLOPs for zero runs", () => {
    const summary = summarizeVariantBudget([]);
    expect(summary).toMatchObject({ runs: 0, calls: 0, meanCriticalPathMs: 0 });
    expect(summary.meanCostUsd).toBeUndefined();
    expect(summary.meanTflops).toBeUndefined();
  });
});
