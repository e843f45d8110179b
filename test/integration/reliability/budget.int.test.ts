// Fault matrix, part 4: budgets. Before any call the run's upper-bound estimate is checked
// against `budget` (nothing reaches the simulator when it cannot fit, and a `maxCostUsd` never
// guesses the price of an unpriced model); during the run the usage the provider reports is
// tallied, and crossing a cap rejects the run and aborts the calls still in flight.
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { BudgetExceededError } from "../../../src/index.js";
import { parseSyntheticReply } from "../../../src/testing/simulator/index.js";
import { eventually, expectNoCanary, invoke, useSimulator } from "./harness.js";

const PRICE = { inputPerMillion: 1_000, outputPerMillion: 1_000 };

const { sim, model } = useSimulator();

async function budgetError(promise: Promise<unknown>): Promise<BudgetExceededError> {
  try {
    await promise;
  } catch (error) {
    expectNoCanary(error, "thrown error");
    expect(BudgetExceededError.isInstance(error), String(error)).toBe(true);
    return error as BudgetExceededError;
  }
  throw new Error("expected the run to reject with BudgetExceededError");
}

describe("pre-flight check (before any call)", () => {
  it("rejects a run whose token estimate exceeds maxTokens without sending a request", async () => {
    const error = await budgetError(
      invoke({
        proposers: [model("alpha"), model("beta")],
        aggregator: model("judge"),
        layers: 2,
        // The Aggregate-and-Synthesize prompt alone is over 100 tokens.
        budget: { maxTokens: 50, assumedOutputTokens: 100 },
      }),
    );
    expect(error.phase).toBe("preflight");
    expect(error.limit).toMatchObject({ maxTokens: 50 });
    expect(error.estimate).toBeDefined();
    expect(error.estimate!.calls).toBe(3);
    expect(error.estimate!.inputTokens + error.estimate!.outputTokens).toBeGreaterThan(50);
    expect(error.message).toMatch(/maxTokens/);
    expect(sim.requests).toHaveLength(0);
  });

  it("rejects a run whose cost estimate exceeds maxCostUsd without sending a request", async () => {
    const error = await budgetError(
      invoke({
        proposers: [model("alpha"), model("beta")],
        aggregator: model("judge"),
        layers: 2,
        budget: {
          maxCostUsd: 0.01,
          assumedOutputTokens: 500,
          prices: { alpha: PRICE, beta: PRICE, judge: PRICE },
        },
      }),
    );
    expect(error.phase).toBe("preflight");
    expect(error.limit).toMatchObject({ maxCostUsd: 0.01 });
    // At least 3 calls × 500 output tokens at $1000 per million.
    expect(error.estimate!.costUsd).toBeGreaterThanOrEqual(1.5);
    expect(error.message).toMatch(/maxCostUsd/);
    expect(sim.requests).toHaveLength(0);
  });

  it("names the unpriced model instead of guessing its cost when maxCostUsd is set", async () => {
    const error = await budgetError(
      invoke({
        proposers: [model("alpha"), model("beta")],
        aggregator: model("mystery-judge"),
        layers: 2,
        budget: { maxCostUsd: 100, prices: { alpha: PRICE, beta: PRICE } },
      }),
    );
    expect(error.phase).toBe("preflight");
    expect(error.message).toContain("mystery-judge");
    expect(error.estimate?.unpriced).toEqual(["mystery-judge"]);
    expect(sim.requests).toHaveLength(0);
  });

  it("runs normally when the estimate fits", async () => {
    const state = await invoke({
      proposers: [model("alpha"), model("beta")],
      aggregator: model("judge"),
      layers: 2,
      budget: {
        maxTokens: 1_000_000,
        maxCostUsd: 100,
        assumedOutputTokens: 100,
        prices: { alpha: PRICE, beta: PRICE, judge: PRICE },
      },
    });
    expectNoCanary(state, "final state");
    expect(parseSyntheticReply(String(state.messages.at(-1)?.content))?.references).toBe(2);
    expect(sim.countRequests()).toBe(3);
  });
});

describe("during the run", () => {
  it(
    "rejects once reported usage crosses maxTokens, aborts in-flight calls and never starts the next layer",
    { timeout: 20_000 },
    async () => {
      // The estimate assumes 1 output token per call (≈ 800 tokens in all), so the run passes
      // the pre-flight check; then "verbose" reports 2000 output tokens.
      sim.setModel("verbose", { outputTokens: 2_000 });
      sim.setModel("slow-a", { latencyMs: 10_000 });
      sim.setModel("slow-b", { latencyMs: 10_000 });
      const started = performance.now();
      const error = await budgetError(
        invoke({
          proposers: [model("verbose"), model("slow-a"), model("slow-b")],
          aggregator: model("judge"),
          layers: 3,
          budget: { maxTokens: 1_500, assumedOutputTokens: 1 },
        }),
      );
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(error.phase).toBe("run");
      expect(error.limit).toMatchObject({ maxTokens: 1_500 });
      expect(error.spent).toMatchObject({
        inputTokens: expect.any(Number),
        outputTokens: expect.any(Number),
        costUsd: expect.any(Number),
      });
      expect(error.spent!.outputTokens).toBeGreaterThanOrEqual(2_000);
      await eventually(() => sim.countRequests({ aborted: true }) === 2);
      expect(sim.countRequests({ model: "slow-a", aborted: true })).toBe(1);
      expect(sim.countRequests({ model: "slow-b", aborted: true })).toBe(1);
      // Layer 1 only: one call per proposer, no layer-2 call, no aggregator call.
      expect(sim.requests.map((entry) => entry.callIndex)).toEqual([0, 0, 0]);
      expect(sim.countRequests({ model: "judge" })).toBe(0);
    },
  );
});
