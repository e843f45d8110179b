import { Command, MemorySaver, interrupt } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { createMixtureOfAgents } from "../../../../src/graph/create-mixture-of-agents.js";
import { FakeChatModel } from "../../../../src/testing/index.js";
import {
  callsOfLayer,
  expectedSystemText,
  systemTextOf,
  taggedReply,
  userTurn,
} from "../support.js";

describe("propose node", () => {
  it("records a failed proposer as an error proposal while its siblings finish", async () => {
    const fast = new FakeChatModel({ model: "fast", reply: taggedReply("fast") });
    const broken = new FakeChatModel({
      model: "broken",
      reply: taggedReply("broken"),
      fail: ({ metadata }) =>
        metadata.moa_layer === 1 ? new Error("429 rate limited") : undefined,
    });
    // Still running when `broken` fails: it must not be cancelled.
    const slow = new FakeChatModel({ model: "slow", reply: taggedReply("slow"), latencyMs: 40 });
    const judge = new FakeChatModel({ model: "judge" });

    const result = await createMixtureOfAgents({
      proposers: [fast, broken, slow],
      aggregator: judge,
    })
      .compile()
      .invoke(userTurn("q"));

    const layerOne = result.proposals.filter((proposal) => proposal.layer === 1);
    expect(layerOne.map(({ proposerId, status }) => [proposerId, status])).toEqual([
      ["fast", "ok"],
      ["broken", "error"],
      ["slow", "ok"],
    ]);
    expect(layerOne[1]).toMatchObject({ content: "", error: "429 rate limited", sample: 0 });
    expect(layerOne[1]!.usage).toBeUndefined();
    expect(typeof layerOne[1]!.latencyMs).toBe("number");
    expect(slow.recorder.calls[0]!.outcome).toBe("ok");
    expect(layerOne[2]!.content).toBe("slow says L1#0");

    // Failed proposals are dropped before numbering: no gap, no placeholder.
    for (const proposer of [fast, broken, slow]) {
      const [call] = callsOfLayer(proposer.recorder.calls, 2);
      expect(systemTextOf(call!)).toBe(expectedSystemText(["fast says L1#0", "slow says L1#0"]));
    }
    expect(
      result.proposals.filter((proposal) => proposal.layer === 2).map((p) => p.status),
    ).toEqual(["ok", "ok", "ok"]);
    expect(systemTextOf(judge.recorder.calls[0]!)).toBe(
      expectedSystemText(["fast says L2#0", "broken says L2#0", "slow says L2#0"]),
    );
  });

  it.each([
    {
      name: "an error's class name",
      error: new TypeError("bad input"),
      expected: "TypeError: bad input",
    },
    {
      name: "only the first line",
      error: new Error("upstream failed\n  at stack frame"),
      expected: "upstream failed",
    },
    {
      name: "no API keys",
      error: new Error("401 for key sk-abcdefghijklmnopqrstuvwxyz"),
      expected: "401 for key sk-***",
    },
  ])("describes the error with $name", async ({ error, expected }) => {
    const failing = new FakeChatModel({ model: "failing", fail: () => error });
    const result = await createMixtureOfAgents({
      proposers: [failing, new FakeChatModel({ model: "ok" })],
      aggregator: new FakeChatModel({ model: "judge" }),
      layers: 2,
    })
      .compile()
      .invoke(userTurn("q"));
    expect(result.proposals[0]).toMatchObject({ status: "error", error: expected });
  });

  it("treats an empty reply as a failed proposal", async () => {
    const blank = new FakeChatModel({ model: "blank", reply: "  \n " });
    const judge = new FakeChatModel({ model: "judge" });
    const result = await createMixtureOfAgents({
      proposers: [blank, new FakeChatModel({ model: "ok", reply: "fine" })],
      aggregator: judge,
      layers: 2,
    })
      .compile()
      .invoke(userTurn("q"));
    expect(result.proposals[0]).toMatchObject({
      status: "error",
      content: "",
      error: "the model returned empty content",
    });
    expect(systemTextOf(judge.recorder.calls[0]!)).toBe(expectedSystemText(["fine"]));
  });

  it("records usage and latency per proposal", async () => {
    const a = new FakeChatModel({ model: "a", reply: "one two three" });
    const result = await createMixtureOfAgents({
      proposers: [{ model: a, samples: 2 }],
      aggregator: new FakeChatModel({ model: "judge" }),
      layers: 2,
    })
      .compile()
      .invoke(userTurn("four words of input"));
    for (const proposal of result.proposals) {
      expect(proposal.usage).toEqual({ inputTokens: 4, outputTokens: 3 });
      expect(proposal.latencyMs).toBeGreaterThanOrEqual(0);
    }
  });

  it("re-throws an interrupt raised inside a proposer instead of recording it, and resumes", async () => {
    const steady = new FakeChatModel({ model: "steady", reply: "steady answer" });
    const asking = new FakeChatModel({
      model: "asking",
      reply: () => String(interrupt({ question: "Which unit?" })),
    });
    const judge = new FakeChatModel({ model: "judge" });
    const graph = createMixtureOfAgents({
      proposers: [steady, asking],
      aggregator: judge,
      layers: 2,
    }).compile({
      checkpointer: new MemorySaver(),
    });
    const config = { configurable: { thread_id: "interrupt" } };

    const paused = await graph.invoke(userTurn("q"), config);
    expect((paused as { __interrupt__?: unknown }).__interrupt__).toEqual([
      expect.objectContaining({ value: { question: "Which unit?" } }),
    ]);
    expect(paused.proposals.some((proposal) => proposal.status === "error")).toBe(false);
    expect(judge.recorder.count).toBe(0);

    const resumed = await graph.invoke(new Command({ resume: "metres" }), config);
    expect(
      resumed.proposals.map(({ proposerId, status, content }) => [proposerId, status, content]),
    ).toEqual([
      ["steady", "ok", "steady answer"],
      ["asking", "ok", "metres"],
    ]);
    // The sibling that had finished is not re-run on resume.
    expect(steady.recorder.count).toBe(1);
    expect(systemTextOf(judge.recorder.calls[0]!)).toBe(
      expectedSystemText(["steady answer", "metres"]),
    );
  });

  it("lets a cancelled run fail instead of recording error proposals", async () => {
    const controller = new AbortController();
    let started = 0;
    const make = (name: string) =>
      new FakeChatModel({
        model: name,
        latencyMs: () => {
          // Abort once every branch of the layer is in flight.
          if (++started === 3) controller.abort(new Error("user cancelled"));
          return 1_000;
        },
      });
    const proposers = [make("a"), make("b"), make("c")];
    const judge = new FakeChatModel({ model: "judge" });
    await expect(
      createMixtureOfAgents({ proposers, aggregator: judge })
        .compile()
        .invoke(userTurn("q"), { signal: controller.signal }),
    ).rejects.toThrow();
    expect(proposers.map((proposer) => proposer.recorder.calls[0]!.outcome)).toEqual([
      "aborted",
      "aborted",
      "aborted",
    ]);
    expect(judge.recorder.count).toBe(0);
  });
});
