import { HumanMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import {
  BudgetExceededError,
  InvalidArgumentError,
  createMixtureOfAgents,
  type CreateMixtureOfAgentsParams,
} from "../../../../src/index.js";
import { TRUNCATION_MARKER } from "../../../../src/context/fit-references.js";
import { FakeChatModel } from "../../../../src/testing/index.js";

const question = () => ({ messages: [new HumanMessage("What is entropy?")] });

function run(params: CreateMixtureOfAgentsParams) {
  return createMixtureOfAgents(params).compile().invoke(question());
}

describe("whole-call timeout (callTimeoutMs)", () => {
  it("records a proposer that exceeds it as a timeout error and goes on", async () => {
    const slow = new FakeChatModel({ model: "slow", latencyMs: 5_000 });
    const fast = new FakeChatModel({ model: "fast" });
    const result = await run({
      proposers: [fast, slow],
      aggregator: new FakeChatModel({ model: "agg" }),
      layers: 2,
      callTimeoutMs: 50,
    });
    const proposal = result.proposals.find((candidate) => candidate.proposerId === "slow")!;
    expect(proposal.status).toBe("error");
    expect(proposal.error).toMatch(/^timeout: the call did not finish within 50 ms/);
    expect(slow.recorder.calls[0]!.outcome).toBe("aborted");
    expect(result.aggregation?.references).toBe(1);
  });

  it("fails the run with a clear message when the aggregator times out", async () => {
    const error = await run({
      proposers: [new FakeChatModel()],
      aggregator: new FakeChatModel({ model: "agg", latencyMs: 5_000 }),
      layers: 2,
      callTimeoutMs: 50,
    }).catch((caught: Error) => caught);
    expect(String(error)).toMatch(/aggregator agg: timeout/);
  });
});

describe("straggler cut-off (stragglerGraceMs)", () => {
  it("cancels the calls still running once the quorum is met, and the layer goes on", async () => {
    const straggler = new FakeChatModel({ model: "straggler", latencyMs: 10_000 });
    const started = Date.now();
    const result = await run({
      proposers: [new FakeChatModel({ model: "a" }), new FakeChatModel({ model: "b" }), straggler],
      aggregator: new FakeChatModel({ model: "agg" }),
      layers: 3,
      minProposals: 2,
      stragglerGraceMs: 20,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    const cut = result.proposals.filter((proposal) => proposal.proposerId === "straggler");
    expect(cut).toHaveLength(2); // one per proposer layer
    for (const proposal of cut) {
      expect(proposal.status).toBe("error");
      expect(proposal.error).toMatch(
        /^cancelled: straggler cut-off \(quorum of 2 met, 20 ms grace elapsed\)/,
      );
    }
    expect(straggler.recorder.calls.map((call) => call.outcome)).toEqual(["aborted", "aborted"]);
    expect(result.aggregation?.references).toBe(2);
  });

  it("never cuts anyone before the quorum is met", async () => {
    const slow = new FakeChatModel({ model: "slow", latencyMs: 80 });
    const result = await run({
      proposers: [new FakeChatModel({ model: "a" }), slow],
      aggregator: new FakeChatModel(),
      layers: 2,
      minProposals: 2,
      stragglerGraceMs: 0,
    });
    expect(result.proposals.every((proposal) => proposal.status === "ok")).toBe(true);
  });
});

describe("aggregator fallback", () => {
  const failing = () => new FakeChatModel({ model: "agg", fail: () => new Error("upstream 500") });

  it("lets another model synthesize and records it", async () => {
    const backup = new FakeChatModel({ model: "backup", reply: "from backup" });
    const result = await run({
      proposers: [new FakeChatModel()],
      aggregator: failing(),
      layers: 2,
      aggregatorFallback: backup,
    });
    expect(result.messages.at(-1)!.content).toBe("from backup");
    expect(result.aggregation).toMatchObject({
      aggregatorId: "backup",
      fallback: { used: "backup", reason: "aggregator agg: upstream 500" },
    });
    expect(backup.recorder.calls[0]!.messages[0]!.content).toMatch(/Responses from models:\n1\. /);
  });

  it('returns the first successful proposal with "first-proposal"', async () => {
    const result = await run({
      proposers: [
        new FakeChatModel({ model: "x", fail: () => new Error("no") }),
        new FakeChatModel({ model: "y", reply: "y says" }),
      ],
      aggregator: failing(),
      layers: 2,
      aggregatorFallback: "first-proposal",
    });
    expect(result.messages.at(-1)!.content).toBe("y says");
    expect(result.aggregation?.fallback).toEqual({
      reason: "aggregator agg: upstream 500",
      used: "first-proposal",
    });
  });

  it("is off by default: the aggregator's error fails the run", async () => {
    await expect(
      run({ proposers: [new FakeChatModel()], aggregator: failing(), layers: 2 }),
    ).rejects.toThrow("upstream 500");
  });

  it("also covers the ranker", async () => {
    const result = await run({
      proposers: [new FakeChatModel({ model: "p", reply: "the answer" })],
      aggregator: failing(),
      layers: 2,
      aggregation: "rank",
      aggregatorFallback: "first-proposal",
    });
    expect(result.messages.at(-1)!.content).toBe("the answer");
    expect(result.aggregation).toMatchObject({
      mode: "rank",
      fallback: { used: "first-proposal" },
      ranking: { fallback: true },
    });
  });
});

describe("budgets", () => {
  const prices = { agg: { inputPerMillion: 0, outputPerMillion: 0 } };

  it("refuses a run whose pre-flight estimate cannot fit, before any call", async () => {
    const proposer = new FakeChatModel({ model: "p", maxTokens: 500 });
    const error = await run({
      proposers: [proposer],
      aggregator: new FakeChatModel({ model: "agg", maxTokens: 500 }),
      layers: 3,
      budget: { maxTokens: 1000 },
    }).catch((caught) => caught);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(error.phase).toBe("preflight");
    expect(error.estimate.calls).toBe(3);
    expect(error.estimate.outputTokens).toBe(1500);
    expect(error.message).toMatch(/is expected to use \d+ tokens over 3 calls/);
    expect(proposer.recorder.count).toBe(0);
  });

  it("refuses to guess an unknown price when a cost cap is set", async () => {
    const error = await run({
      proposers: [new FakeChatModel({ model: "mystery" })],
      aggregator: new FakeChatModel({ model: "agg" }),
      layers: 2,
      budget: { maxCostUsd: 1, prices },
    }).catch((caught) => caught);
    expect(BudgetExceededError.isInstance(error)).toBe(true);
    expect(error.message).toMatch(/no price for mystery/);
  });

  it("stops the run with the spend so far as soon as the cap is crossed", async () => {
    // The pre-flight estimate trusts `maxTokens: 1` (2 proposer calls × $1 ≤ $5), but the model
    // writes 8 words (= 8 tokens for the fakes) at $1 per output token: layer 1 crosses $5.
    const outputPrices = {
      p: { inputPerMillion: 0, outputPerMillion: 1_000_000 },
      agg: { inputPerMillion: 0, outputPerMillion: 0 },
    };
    const verbose = new FakeChatModel({
      model: "p",
      reply: "one two three four five six seven eight",
      maxTokens: 1,
    });
    const aggregator = new FakeChatModel({ model: "agg", maxTokens: 1 });
    const error = await run({
      proposers: [verbose],
      aggregator,
      layers: 3,
      budget: { maxCostUsd: 5, prices: outputPrices },
    }).catch((caught) => caught);
    expect(BudgetExceededError.isInstance(error), String(error)).toBe(true);
    expect(error.phase).toBe("run");
    expect(error.spent).toMatchObject({ outputTokens: 8, costUsd: 8 });
    expect(error.message).toMatch(/crossed its budget.*\$8\.000000.*maxCostUsd \$5/);
    expect(verbose.recorder.count).toBe(1); // layer 2 was never requested
    expect(aggregator.recorder.count).toBe(0);
  });

  it.each([
    [{ budget: {} }, "budget"],
    [{ budget: { maxCostUsd: -1 } }, "budget.maxCostUsd"],
    [{ budget: { maxTokens: 0 } }, "budget.maxTokens"],
    [
      { budget: { maxCostUsd: 1, prices: { x: { inputPerMillion: -1, outputPerMillion: 0 } } } },
      "budget.prices.x",
    ],
    [{ callTimeoutMs: 0 }, "callTimeoutMs"],
    [{ stragglerGraceMs: -5 }, "stragglerGraceMs"],
    [{ contextWindows: { x: 0 } }, "contextWindows.x"],
    [{ aggregatorFallback: "first-proposal", layers: 1 }, "aggregatorFallback"],
    [{ aggregatorFallback: "nope" }, "aggregatorFallback"],
  ])("rejects %j naming %s", (extra, parameter) => {
    try {
      createMixtureOfAgents({
        proposers: [new FakeChatModel()],
        aggregator: new FakeChatModel(),
        ...(extra as object),
      });
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).parameter).toBe(parameter);
    }
  });
});

describe("context guard", () => {
  const long = Array.from({ length: 3000 }, (_, index) => `w${index}`).join(" ");

  it("shortens references fairly for a proposer with a small window and records it", async () => {
    const small = new FakeChatModel({ model: "small", maxTokens: 256 });
    const result = await run({
      proposers: [
        new FakeChatModel({ model: "a", reply: long }),
        new FakeChatModel({ model: "b", reply: long }),
        { model: small, contextWindow: 2048 },
      ],
      aggregator: new FakeChatModel({ model: "agg" }),
      layers: 3,
    });
    const layer2Call = small.recorder.calls[1]!;
    const system = String(layer2Call.messages[0]!.content);
    expect(system.split(TRUNCATION_MARKER).length - 1).toBeGreaterThanOrEqual(2);
    expect(layer2Call.messages.at(-1)!.content).toBe("What is entropy?"); // the user turn is intact
    expect(
      result.proposals.find((proposal) => proposal.layer === 2 && proposal.proposerId === "small")!
        .referencesTruncated,
    ).toBe(true);
    expect(
      result.proposals.find((proposal) => proposal.layer === 2 && proposal.proposerId === "a")!
        .referencesTruncated,
    ).toBeUndefined();
  });

  it("shortens the aggregator's references when its window is known and records it", async () => {
    const result = await run({
      proposers: [
        new FakeChatModel({ model: "a", reply: long }),
        new FakeChatModel({ model: "b", reply: long }),
      ],
      aggregator: { model: new FakeChatModel({ model: "agg" }), contextWindow: 3000 },
      layers: 2,
    });
    expect(result.aggregation?.referencesTruncated).toBe(true);
  });
});
