import { HumanMessage } from "@langchain/core/messages";
import { END, MemorySaver, MessagesAnnotation, START, StateGraph } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { createMixtureOfAgents } from "../../../src/graph/create-mixture-of-agents.js";
import { MOA_NODES } from "../../../src/graph/node-names.js";
import { FakeChatModel, type FakeReplyContext } from "../../../src/testing/index.js";
import { callsOfLayer, transcript } from "./support.js";

const edgesOf = (graph: { edges: { source: string; target: string; conditional?: boolean }[] }) =>
  graph.edges
    .map(({ source, target, conditional }) => `${source} ${conditional ? "-?>" : "->"} ${target}`)
    .sort();

describe("MoA graph shape", () => {
  it.each([
    { aggregation: "synthesize" as const, final: MOA_NODES.aggregate, absent: MOA_NODES.rank },
    { aggregation: "rank" as const, final: MOA_NODES.rank, absent: MOA_NODES.aggregate },
  ])(
    "wires turn → propose ⇄ layer → $final with aggregation $aggregation",
    ({ aggregation, final, absent }) => {
      const drawing = createMixtureOfAgents({
        proposers: [new FakeChatModel({ model: "a" })],
        aggregator: new FakeChatModel({ model: "judge" }),
        aggregation,
      })
        .compile()
        .getGraph();

      expect(Object.keys(drawing.nodes).sort()).toEqual(
        [START, MOA_NODES.turn, MOA_NODES.propose, MOA_NODES.layer, final, END].sort(),
      );
      expect(Object.keys(drawing.nodes)).not.toContain(absent);
      expect(edgesOf(drawing)).toEqual(
        [
          `${START} -> ${MOA_NODES.turn}`,
          `${MOA_NODES.turn} -?> ${MOA_NODES.propose}`,
          `${MOA_NODES.turn} -?> ${final}`,
          `${MOA_NODES.propose} -> ${MOA_NODES.layer}`,
          `${MOA_NODES.layer} -?> ${MOA_NODES.propose}`,
          `${MOA_NODES.layer} -?> ${final}`,
          `${final} -> ${END}`,
        ].sort(),
      );
    },
  );

  it("uses the node-name constants", () => {
    expect(MOA_NODES).toEqual({
      turn: "turn",
      propose: "propose",
      layer: "layer",
      aggregate: "aggregate",
      rank: "rank",
    });
  });
});

describe("MoA graph as a node of a parent graph", () => {
  const humanTurns = ({ messages }: FakeReplyContext) =>
    `answer to ${messages.filter((message) => message.getType() === "human").length} question(s)`;

  function parentWith(moa: ReturnType<typeof createMixtureOfAgents>) {
    return new StateGraph(MessagesAnnotation)
      .addNode("moa", moa.compile())
      .addEdge(START, "moa")
      .addEdge("moa", END);
  }

  it("adds exactly one AI message to the parent's messages", async () => {
    const judge = new FakeChatModel({ model: "judge", reply: humanTurns });
    const moa = createMixtureOfAgents({
      proposers: [new FakeChatModel({ model: "a" })],
      aggregator: judge,
    });
    const result = await parentWith(moa)
      .compile()
      .invoke({ messages: [new HumanMessage("q1")] });
    expect(transcript(result.messages)).toEqual([
      ["human", "q1"],
      ["ai", "answer to 1 question(s)"],
    ]);
  });

  it("adds one AI message per turn on a checkpointed parent thread, without duplicates", async () => {
    const proposer = new FakeChatModel({ model: "a" });
    const judge = new FakeChatModel({ model: "judge", reply: humanTurns });
    const moa = createMixtureOfAgents({ proposers: [proposer], aggregator: judge, layers: 2 });
    const parent = parentWith(moa).compile({ checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "parent" } };

    await parent.invoke({ messages: [new HumanMessage("q1")] }, config);
    const second = await parent.invoke({ messages: [new HumanMessage("q2")] }, config);

    expect(transcript(second.messages)).toEqual([
      ["human", "q1"],
      ["ai", "answer to 1 question(s)"],
      ["human", "q2"],
      ["ai", "answer to 2 question(s)"],
    ]);
    const ids = second.messages.map((message) => message.id);
    expect(new Set(ids).size).toBe(4);
    // The second turn's proposer saw the whole parent history.
    expect(transcript(callsOfLayer(proposer.recorder.calls, 1)[1]!.messages)).toEqual(
      transcript(second.messages.slice(0, 3)),
    );
  });
});
