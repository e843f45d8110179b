import { describe, expect, it } from "vitest";
import { InsufficientProposalsError, MoaError } from "../../../../src/errors/index.js";
import { createMixtureOfAgents } from "../../../../src/graph/create-mixture-of-agents.js";
import { FakeChatModel, type FakeReplyContext } from "../../../../src/testing/index.js";
import { expectedSystemText, systemTextOf, taggedReply, userTurn } from "../support.js";

/** A proposer that fails in the given layers with `${name} down`. */
function proposer(name: string, failInLayers: number[] = []) {
  return new FakeChatModel({
    model: name,
    reply: taggedReply(name),
    fail: ({ metadata }: FakeReplyContext) =>
      failInLayers.includes(Number(metadata.moa_layer)) ? new Error(`${name} down`) : undefined,
  });
}

async function caught(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the run to fail");
}

describe("layer node (quorum)", () => {
  it("fails the run with InsufficientProposalsError when a layer falls below minProposals", async () => {
    const a = proposer("a");
    const b = proposer("b", [1]);
    const c = proposer("c", [1]);
    const judge = new FakeChatModel({ model: "judge" });
    const error = await caught(
      createMixtureOfAgents({ proposers: [a, b, c], aggregator: judge, minProposals: 2 })
        .compile()
        .invoke(userTurn("q")),
    );

    expect(InsufficientProposalsError.isInstance(error)).toBe(true);
    expect(MoaError.isInstance(error)).toBe(true);
    const { layer, succeeded, required, failures, message } = error as InsufficientProposalsError;
    expect({ layer, succeeded, required }).toEqual({ layer: 1, succeeded: 1, required: 2 });
    expect(failures).toEqual([
      { proposerId: "b", sample: 0, error: "b down" },
      { proposerId: "c", sample: 0, error: "c down" },
    ]);
    expect(message).toContain("b#0: b down");
    // Nothing runs after the failed layer.
    expect([a.recorder.count, b.recorder.count, c.recorder.count, judge.recorder.count]).toEqual([
      1, 1, 1, 0,
    ]);
  });

  it("checks the quorum of every layer, not only the first", async () => {
    const judge = new FakeChatModel({ model: "judge" });
    const error = await caught(
      createMixtureOfAgents({
        proposers: [proposer("a", [2]), proposer("b", [2])],
        aggregator: judge,
        layers: 3,
      })
        .compile()
        .invoke(userTurn("q")),
    );
    expect(InsufficientProposalsError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ layer: 2, succeeded: 0, required: 1 });
    expect(
      (error as InsufficientProposalsError).failures.map((failure) => failure.proposerId),
    ).toEqual(["a", "b"]);
    expect(judge.recorder.count).toBe(0);
  });

  it("names the failing samples of a sampled proposer", async () => {
    const flaky = new FakeChatModel({
      model: "flaky",
      fail: ({ metadata }) => (metadata.moa_sample !== 1 ? new Error("overloaded") : undefined),
    });
    const error = await caught(
      createMixtureOfAgents({
        proposers: [{ model: flaky, samples: 3 }],
        aggregator: new FakeChatModel({ model: "judge" }),
        minProposals: 2,
        layers: 2,
      })
        .compile()
        .invoke(userTurn("q")),
    );
    expect(error).toMatchObject({ layer: 1, succeeded: 1, required: 2 });
    expect((error as InsufficientProposalsError).failures).toEqual([
      { proposerId: "flaky", sample: 0, error: "overloaded" },
      { proposerId: "flaky", sample: 2, error: "overloaded" },
    ]);
  });

  it("goes on when exactly minProposals succeed", async () => {
    const judge = new FakeChatModel({ model: "judge" });
    const result = await createMixtureOfAgents({
      proposers: [proposer("a"), proposer("b", [1]), proposer("c")],
      aggregator: judge,
      minProposals: 2,
      layers: 2,
    })
      .compile()
      .invoke(userTurn("q"));
    expect(result.proposals.map((proposal) => proposal.status)).toEqual(["ok", "error", "ok"]);
    expect(systemTextOf(judge.recorder.calls[0]!)).toBe(
      expectedSystemText(["a says L1#0", "c says L1#0"]),
    );
  });
});
