import { HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { MemorySaver } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { createMixtureOfAgents } from "../../../../src/graph/create-mixture-of-agents.js";
import { InvalidInputError, createConfigurableMixtureOfAgents } from "../../../../src/index.js";
import { FakeChatModel, type FakeReplyContext } from "../../../../src/testing/index.js";
import { callsOfLayer, transcript } from "../support.js";

/** Replies name the turn (the number of user messages seen), so stale proposals stand out. */
const turnReply =
  (name: string) =>
  ({ messages, metadata }: FakeReplyContext): string =>
    `${name} turn ${messages.filter((message: BaseMessage) => message.getType() === "human").length} L${String(metadata.moa_layer)}`;

describe("turn node (threads)", () => {
  it("keeps the history on a thread and resets the per-turn fields", async () => {
    const proposers = ["a", "b"].map(
      (name) => new FakeChatModel({ model: name, reply: turnReply(name) }),
    );
    const judge = new FakeChatModel({ model: "judge", reply: turnReply("judge") });
    const graph = createMixtureOfAgents({ proposers, aggregator: judge, layers: 3 }).compile({
      checkpointer: new MemorySaver(),
    });
    const config = { configurable: { thread_id: "thread-1" } };

    const first = await graph.invoke({ messages: [new HumanMessage("first question")] }, config);
    const second = await graph.invoke({ messages: [new HumanMessage("second question")] }, config);

    expect(transcript(first.messages)).toEqual([
      ["human", "first question"],
      ["ai", "judge turn 1 L3"],
    ]);
    expect(transcript(second.messages)).toEqual([
      ["human", "first question"],
      ["ai", "judge turn 1 L3"],
      ["human", "second question"],
      ["ai", "judge turn 2 L3"],
    ]);
    // Only this turn's proposals: 2 proposers × 2 layers, all from turn 2.
    expect(second.proposals).toHaveLength(4);
    expect(second.proposals.every((proposal) => proposal.content.includes("turn 2"))).toBe(true);
    expect(second.aggregation?.references).toBe(2);
    const turnTwoUsage = second.proposals.reduce(
      (total, proposal) => total + proposal.usage!.outputTokens,
      0,
    );
    expect(second.usage?.outputTokens).toBe(turnTwoUsage + second.aggregation!.usage!.outputTokens);

    // The second turn's layer-1 proposers see both user turns and the first answer.
    for (const proposer of proposers) {
      const turnTwoLayerOne = callsOfLayer(proposer.recorder.calls, 1)[1]!;
      expect(transcript(turnTwoLayerOne.messages)).toEqual(transcript(second.messages.slice(0, 3)));
    }
    expect(transcript(judge.recorder.calls[1]!.messages).slice(1)).toEqual(
      transcript(second.messages.slice(0, 3)),
    );
  });

  it("starts a clean turn after a turn that failed its quorum", async () => {
    let down = true;
    const flaky = new FakeChatModel({
      model: "flaky",
      fail: () => (down ? new Error("down") : undefined),
    });
    const judge = new FakeChatModel({ model: "judge", reply: "recovered" });
    const graph = createMixtureOfAgents({ proposers: [flaky], aggregator: judge }).compile({
      checkpointer: new MemorySaver(),
    });
    const config = { configurable: { thread_id: "flaky" } };

    await expect(
      graph.invoke({ messages: [new HumanMessage("first")] }, config),
    ).rejects.toMatchObject({ name: "InsufficientProposalsError" });
    down = false;
    const result = await graph.invoke({ messages: [new HumanMessage("second")] }, config);

    expect(result.proposals.map(({ layer, status }) => `${layer}:${status}`)).toEqual([
      "1:ok",
      "2:ok",
    ]);
    expect(transcript(result.messages)).toEqual([
      ["human", "first"],
      ["human", "second"],
      ["ai", "recovered"],
    ]);
  });

  it("keeps threads apart", async () => {
    const judge = new FakeChatModel({ model: "judge", reply: turnReply("judge") });
    const graph = createMixtureOfAgents({
      proposers: [new FakeChatModel({ model: "a" })],
      aggregator: judge,
      layers: 2,
    }).compile({ checkpointer: new MemorySaver() });
    await graph.invoke(
      { messages: [new HumanMessage("one")] },
      { configurable: { thread_id: "x" } },
    );
    const other = await graph.invoke(
      { messages: [new HumanMessage("two")] },
      { configurable: { thread_id: "y" } },
    );
    expect(transcript(other.messages)).toEqual([
      ["human", "two"],
      ["ai", "judge turn 1 L2"],
    ]);
  });
});

describe("turn node (input checks, before any model call)", () => {
  const models = () => ({
    proposers: ["a", "b"].map((name) => new FakeChatModel({ model: name })),
    aggregator: new FakeChatModel({ model: "judge" }),
  });

  it.each<{ name: string; input: Record<string, unknown>; path: string; message: RegExp }>([
    {
      name: "non-string content",
      input: { messages: [{ role: "user", content: 123 }] },
      path: "messages[0].content",
      message: /must be a string or an array of content parts \(got a number\)/,
    },
    {
      name: "a content part that is not a part",
      input: { messages: [{ role: "user", content: [{ type: "text", text: "q" }, 7] }] },
      path: "messages[0].content[1]",
      message: /must be a content part/,
    },
    { name: "messages: []", input: { messages: [] }, path: "messages", message: /is empty/ },
    { name: "{}", input: {}, path: "messages", message: /is empty/ },
    {
      name: "only a system message",
      input: { messages: [{ role: "system", content: "be brief" }] },
      path: "messages",
      message: /has no user message \(only system\)/,
    },
    {
      name: "only a tool message",
      input: { messages: [{ role: "tool", content: "42", tool_call_id: "call-1" }] },
      path: "messages",
      message: /has no user message \(only tool\)/,
    },
  ])("refuses $name with InvalidInputError at `$path`", async ({ input, path, message }) => {
    const { proposers, aggregator } = models();
    const graph = createMixtureOfAgents({ proposers, aggregator, layers: 2 }).compile();
    const error = await graph.invoke(input as never).catch((caught: unknown) => caught);
    expect(InvalidInputError.isInstance(error), String(error)).toBe(true);
    expect((error as InvalidInputError).path).toBe(path);
    expect((error as Error).message).toMatch(message);
    for (const model of [...proposers, aggregator]) expect(model.recorder.count).toBe(0);
  });

  it("accepts content given as an array of text parts", async () => {
    const { proposers, aggregator } = models();
    const graph = createMixtureOfAgents({ proposers, aggregator, layers: 2 }).compile();
    const result = await graph.invoke({
      messages: [
        new SystemMessage("be brief"),
        new HumanMessage({ content: [{ type: "text", text: "Why is the sky blue?" }] }),
      ],
    });
    expect(result.proposals.map((proposal) => proposal.status)).toEqual(["ok", "ok"]);
  });

  it("refuses the same input on the deployed (configurable) graph", async () => {
    const loaded: FakeChatModel[] = [];
    const graph = createConfigurableMixtureOfAgents({
      loadModel: (spec) => {
        const model = new FakeChatModel({ model: spec });
        loaded.push(model);
        return model;
      },
      defaults: { proposers: ["sim:a"], aggregator: "sim:judge", layers: 2 },
    }).compile();
    const error = await graph
      .invoke({ messages: [{ role: "user", content: { text: "q" } }] } as never)
      .catch((caught: unknown) => caught);
    expect(InvalidInputError.isInstance(error), String(error)).toBe(true);
    expect((error as InvalidInputError).path).toBe("messages[0].content");
    expect(loaded.every((model) => model.recorder.count === 0)).toBe(true);
  });
});
