import { HumanMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { estimateBudgetedRun } from "../../../src/budget/run-spend.js";
import { resolvePlan } from "../../../src/plan/resolve-plan.js";
import {
  BudgetExceededError,
  DEFAULT_BUDGET_CHECK,
  DEFAULT_EXPECTED_OUTPUT_TOKENS,
  InvalidArgumentError,
  createMixtureOfAgents,
  type RunBudget,
} from "../../../src/index.js";
import { FakeChatModel } from "../../../src/testing/index.js";

const PRICE = { inputPerMillion: 1, outputPerMillion: 2 };
const messages = [new HumanMessage("Why is the sky blue?")];

function params(budget: RunBudget) {
  const model = (name: string) => new FakeChatModel({ model: name, maxTokens: 2048 });
  return {
    proposers: [model("alpha"), model("beta"), model("gamma")],
    aggregator: model("judge"),
    layers: 3,
    budget: { prices: { alpha: PRICE, beta: PRICE, gamma: PRICE, judge: PRICE }, ...budget },
  };
}

// A cost cap between the expected estimate and the upper bound of the same run.
function capBetweenEstimates(): number {
  const plan = resolvePlan(params({ maxCostUsd: 1 }));
  const { upper, expected } = estimateBudgetedRun(plan, plan.budget!, messages);
  expect(upper.pricedCostUsd).toBeGreaterThan(3 * expected.pricedCostUsd);
  return (upper.pricedCostUsd + expected.pricedCostUsd) / 2;
}

describe("the pre-flight budget check", () => {
  it("defaults to the expected estimate at 500 output tokens per call", () => {
    expect(DEFAULT_BUDGET_CHECK).toBe("expected");
    expect(DEFAULT_EXPECTED_OUTPUT_TOKENS).toBe(500);
    const plan = resolvePlan(params({ maxTokens: 1 }));
    expect(plan.budget).toMatchObject({ check: "expected", expectedOutputTokens: 500 });
    const { upper, expected } = estimateBudgetedRun(plan, plan.budget!, messages);
    expect(upper.outputTokens).toBe(7 * 2048);
    expect(expected.outputTokens).toBe(7 * 500);
  });

  it("runs a budget that fits the expected cost but not the upper bound (default check)", async () => {
    const maxCostUsd = capBetweenEstimates();
    const graph = createMixtureOfAgents(params({ maxCostUsd })).compile();
    const state = await graph.invoke({ messages });
    expect(String(state.messages.at(-1)?.content)).toMatch(/judge answer/);
  });

  it('refuses the same budget before any call with `check: "upper"`', async () => {
    const maxCostUsd = capBetweenEstimates();
    const run = params({ maxCostUsd, check: "upper" });
    const graph = createMixtureOfAgents(run).compile();
    const error = await graph.invoke({ messages }).catch((caught: unknown) => caught);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect((error as BudgetExceededError).phase).toBe("preflight");
    expect((error as Error).message).toMatch(/full output cap.*budget\.check/);
    expect(run.proposers[0]!.recorder.count).toBe(0);
  });

  it("refuses with the expected estimate when even typical answers cannot fit", async () => {
    const graph = createMixtureOfAgents(
      params({ maxTokens: 4_000, expectedOutputTokens: 1_000 }),
    ).compile();
    const error = await graph.invoke({ messages }).catch((caught: unknown) => caught);
    expect((error as BudgetExceededError).phase).toBe("preflight");
    expect((error as Error).message).toMatch(/1000 output tokens per call.*"expected"/);
  });

  it.each<[RunBudget, RegExp]>([
    [{ maxCostUsd: 1, check: "lower" as "upper" }, /budget\.check/],
    [{ maxCostUsd: 1, expectedOutputTokens: 0 }, /budget\.expectedOutputTokens/],
  ])("rejects %j naming the option", (budget, message) => {
    const error = (() => {
      try {
        resolvePlan(params(budget));
      } catch (caught) {
        return caught;
      }
    })();
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  });
});
