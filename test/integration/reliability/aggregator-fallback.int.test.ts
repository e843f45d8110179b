// Fault matrix, part 3: the aggregator fails after its own retries. With `aggregatorFallback` a
// second model synthesizes from the same references, or (`"first-proposal"`) the first
// successful last-layer proposal is returned verbatim; the state records which. Without a
// fallback the run rejects with the provider's error, which must not carry the API key.
import { describe, expect, it } from "vitest";
import { ModelCallError } from "../../../src/errors/index.js";
import { countReferences, parseSyntheticReply } from "../../../src/testing/simulator/index.js";
import {
  answerOf,
  keyEchoingRejection,
  proposalOf,
  rejection,
  run,
  useSimulator,
} from "./harness.js";

const { sim, model, systemTextSentTo } = useSimulator();

describe("aggregatorFallback", () => {
  it("lets the fallback model synthesize from the same references after the aggregator's retries", async () => {
    sim.setModel("broken-judge", {
      faults: () => ({ kind: "status", status: 500, message: "judge overloaded" }),
    });
    const state = await run({
      proposers: [model("alpha"), model("beta")],
      aggregator: model("broken-judge", { maxRetries: 1 }),
      aggregatorFallback: { id: "backup", model: model("backup-judge") },
      layers: 2,
    });
    // The aggregator used its retry first; the fallback was called once.
    expect(sim.countRequests({ model: "broken-judge" })).toBe(2);
    expect(sim.countRequests({ model: "backup-judge" })).toBe(1);
    expect(parseSyntheticReply(answerOf(state))).toMatchObject({
      model: "backup-judge",
      references: 2,
      turns: 1,
    });
    expect(systemTextSentTo("backup-judge")).toBe(systemTextSentTo("broken-judge"));
    expect(countReferences(systemTextSentTo("backup-judge"))).toBe(2);
    expect(state.aggregation?.fallback).toEqual({ reason: expect.any(String), used: "backup" });
    expect(state.aggregation?.fallback?.reason).not.toBe("");
    expect(state.messages).toHaveLength(2);
  });

  it('returns the first successful last-layer proposal verbatim with "first-proposal"', async () => {
    sim.setModel("refuses", { faults: () => ({ kind: "status", status: 400 }) });
    sim.setModel("overloaded-judge", { faults: () => ({ kind: "status", status: 503 }) });
    const state = await run({
      proposers: [model("refuses"), model("beta"), model("gamma")],
      aggregator: model("overloaded-judge"),
      aggregatorFallback: "first-proposal",
      layers: 3,
    });
    expect(sim.countRequests({ model: "overloaded-judge" })).toBe(1);
    expect(proposalOf(state, "refuses", 2).status).toBe("error");
    // Layer 2 is the last proposer layer; its first successful proposal is beta's.
    const chosen = proposalOf(state, "beta", 2);
    expect(chosen.status).toBe("ok");
    expect(answerOf(state)).toBe(chosen.content);
    expect(parseSyntheticReply(answerOf(state))).toMatchObject({ model: "beta", references: 2 });
    expect(state.aggregation?.fallback).toEqual({
      reason: expect.any(String),
      used: "first-proposal",
    });
    expect(state.messages).toHaveLength(2);
  });

  it('covers a failing ranker too (aggregation: "rank")', async () => {
    sim.setModel("broken-ranker", { faults: () => ({ kind: "status", status: 500 }) });
    const state = await run({
      proposers: [model("alpha"), model("beta")],
      aggregator: model("broken-ranker"),
      aggregation: "rank",
      aggregatorFallback: "first-proposal",
      layers: 2,
    });
    expect(sim.countRequests({ model: "broken-ranker" })).toBe(1);
    expect(answerOf(state)).toBe(proposalOf(state, "alpha").content);
    expect(state.aggregation?.fallback).toEqual({
      reason: expect.any(String),
      used: "first-proposal",
    });
  });

  it("never calls the fallback when the aggregator succeeds", async () => {
    const state = await run({
      proposers: [model("alpha"), model("beta")],
      aggregator: model("judge"),
      aggregatorFallback: { id: "backup", model: model("idle-backup") },
      layers: 2,
    });
    expect(sim.countRequests({ model: "idle-backup" })).toBe(0);
    expect(parseSyntheticReply(answerOf(state))?.model).toBe("judge");
    expect(state.aggregation?.fallback).toBeUndefined();
  });
});

describe("a failing aggregatorFallback", () => {
  it.each(["synthesize", "rank"] as const)(
    "reports both the aggregator's and the fallback's errors (aggregation: %j)",
    async (aggregation) => {
      sim.setModel(`first-${aggregation}`, {
        faults: () => ({ kind: "status", status: 500, message: "aggregator overloaded" }),
      });
      sim.setModel(`second-${aggregation}`, {
        faults: () => ({ kind: "status", status: 503, message: "fallback unavailable" }),
      });
      const error = await rejection(
        run({
          proposers: [model("alpha"), model("beta")],
          aggregator: model(`first-${aggregation}`),
          aggregation,
          aggregatorFallback: { id: "backup", model: model(`second-${aggregation}`) },
          layers: 2,
        }),
      );
      expect(sim.countRequests({ model: `first-${aggregation}` })).toBe(1);
      expect(sim.countRequests({ model: `second-${aggregation}` })).toBe(1);
      expect(ModelCallError.isInstance(error)).toBe(true);
      const failure = error as ModelCallError;
      expect(failure.message).toMatch(
        new RegExp(
          `first-${aggregation} failed: .*aggregator overloaded.*; then its \`aggregatorFallback\` backup failed too: .*fallback unavailable`,
        ),
      );
      expect(failure).toMatchObject({ modelId: "backup", status: 503 });
      expect(failure.cause).toBe(failure.aggregatorError);
      expect(failure.aggregatorError).toMatchObject({
        modelId: `first-${aggregation}`,
        status: 500,
      });
    },
  );
});

describe("no fallback (the default)", () => {
  it("rejects with the provider's error after the aggregator's retries", async () => {
    sim.setModel("broken-judge", {
      faults: () => ({ kind: "status", status: 500, message: "judge overloaded" }),
    });
    const error = await rejection(
      run({
        proposers: [model("alpha"), model("beta")],
        aggregator: model("broken-judge", { maxRetries: 1 }),
        layers: 2,
      }),
    );
    expect(String((error as Error).message)).toContain("judge overloaded");
    expect(sim.countRequests({ model: "broken-judge" })).toBe(2);
  });

  it("rejects without the API key when the aggregator's provider echoes it", async () => {
    sim.setModel("echoing-judge", { faults: keyEchoingRejection });
    const error = await rejection(
      run({
        proposers: [model("alpha"), model("beta")],
        aggregator: model("echoing-judge"),
        layers: 2,
      }),
    );
    expect(String((error as Error).message)).toContain("Incorrect API key provided");
    expect(sim.countRequests({ model: "echoing-judge" })).toBe(1);
  });
});
