import { AIMessage, HumanMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { createMixtureOfAgents } from "../../../../src/graph/create-mixture-of-agents.js";
import { sumUsage } from "../../../../src/state/proposal.js";
import { FakeChatModel } from "../../../../src/testing/index.js";
import { expectedSystemText, systemTextOf, taggedReply, transcript, userTurn } from "../support.js";

describe("aggregate node", () => {
  it("gives the aggregator the LAST proposer layer's answers and the whole conversation", async () => {
    const proposers = ["a", "b"].map(
      (name) => new FakeChatModel({ model: name, reply: taggedReply(name) }),
    );
    const judge = new FakeChatModel({ model: "judge", reply: "synthesized" });
    const input = [
      new HumanMessage("Hi"),
      new AIMessage("Hello"),
      new HumanMessage("Explain MoA."),
    ];
    const result = await createMixtureOfAgents({ proposers, aggregator: judge, layers: 4 })
      .compile()
      .invoke({ messages: input });

    expect(judge.recorder.count).toBe(1);
    const [call] = judge.recorder.calls;
    expect(transcript(call!.messages)).toEqual([
      ["system", expectedSystemText(["a says L3#0", "b says L3#0"])],
      ["human", "Hi"],
      ["ai", "Hello"],
      ["human", "Explain MoA."],
    ]);
    expect(call!.metadata).toMatchObject({
      moa_role: "aggregator",
      moa_layer: 4,
      moa_proposer_id: "judge",
    });
    expect(result.aggregation).toMatchObject({
      mode: "synthesize",
      aggregatorId: "judge",
      references: 2,
    });
    expect(result.aggregation?.ranking).toBeUndefined();
    expect(transcript(result.messages)).toEqual([...transcript(input), ["ai", "synthesized"]]);
  });

  it("drops the last layer's failed proposals from the aggregator's references", async () => {
    const a = new FakeChatModel({ model: "a", reply: taggedReply("a") });
    const b = new FakeChatModel({
      model: "b",
      fail: ({ metadata }) => (metadata.moa_layer === 2 ? new Error("b down") : undefined),
    });
    const c = new FakeChatModel({ model: "c", reply: taggedReply("c") });
    const judge = new FakeChatModel({ model: "judge" });
    const result = await createMixtureOfAgents({ proposers: [a, b, c], aggregator: judge })
      .compile()
      .invoke(userTurn("q"));
    expect(systemTextOf(judge.recorder.calls[0]!)).toBe(
      expectedSystemText(["a says L2#0", "c says L2#0"]),
    );
    expect(result.aggregation?.references).toBe(2);
  });

  it("records the aggregator's usage and the turn's token totals in state", async () => {
    const proposers = ["a", "b"].map(
      (name) => new FakeChatModel({ model: name, reply: "two words" }),
    );
    const judge = new FakeChatModel({ model: "judge", reply: "the final three" });
    const result = await createMixtureOfAgents({ proposers, aggregator: judge, layers: 3 })
      .compile()
      .invoke(userTurn("one two three four"));

    const layerOne = result.proposals.filter((proposal) => proposal.layer === 1);
    expect(layerOne.map((proposal) => proposal.usage)).toEqual([
      { inputTokens: 4, outputTokens: 2 },
      { inputTokens: 4, outputTokens: 2 },
    ]);
    const aggregatorUsage = result.aggregation?.usage;
    expect(aggregatorUsage?.outputTokens).toBe(3);
    expect(aggregatorUsage?.inputTokens).toBeGreaterThan(4);
    const final = result.messages.at(-1) as AIMessage;
    expect(final.usage_metadata).toMatchObject({
      input_tokens: aggregatorUsage?.inputTokens,
      output_tokens: 3,
    });
    expect(result.usage).toEqual(
      sumUsage([...result.proposals.map((proposal) => proposal.usage), aggregatorUsage]),
    );
    expect(result.usage?.outputTokens).toBe(4 * 2 + 3);
  });
});
