import { HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { MemorySaver, MessagesAnnotation, StateGraph } from "@langchain/langgraph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMixtureOfAgents, loadChatModel } from "../../src/index.js";
import { parseSyntheticReply, startSimulator, type Simulator } from "../../src/testing/index.js";
import { simulatorEnvironment } from "../fixtures/platform/dev-server.js";

// A provider that answers every request with the same completion id (ids that restart with a
// process look the same across runs of a thread).
const SAME_ID = "chatcmpl-always-the-same";
const TURNS = 5;

let simulator: Simulator;
let env: Record<string, string>;

beforeAll(async () => {
  simulator = await startSimulator({ completionId: SAME_ID });
  env = simulatorEnvironment(simulator.url);
});

afterAll(async () => {
  await simulator?.close();
});

function moa() {
  return createMixtureOfAgents({
    proposers: ["openai:a", "openai:b"].map((spec) => loadChatModel(spec, { env })),
    aggregator: loadChatModel("openai:judge", { env }),
    layers: 2,
  });
}

function expectEveryTurnKept(messages: readonly BaseMessage[]): void {
  expect(messages.map((message) => message.getType())).toEqual(
    Array.from({ length: TURNS }, () => ["human", "ai"]).flat(),
  );
  expect(new Set(messages.map((message) => message.id)).size).toBe(2 * TURNS);
  messages.forEach((message, index) => {
    if (index % 2 === 0) expect(message.content).toBe(`question ${index / 2 + 1}`);
    else {
      expect(parseSyntheticReply(String(message.content))).toMatchObject({
        model: "judge",
        references: 2,
        turns: (index + 1) / 2,
      });
      expect((message.response_metadata as Record<string, unknown>).providerMessageId).toBe(
        SAME_ID,
      );
    }
  });
}

describe("a thread against a provider that repeats completion ids", () => {
  it("keeps all five turns, alternating human and the aggregator's answers", async () => {
    const graph = moa().compile({ checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "same-ids" } };
    for (let turn = 1; turn <= TURNS; turn++) {
      const result = await graph.invoke(
        { messages: [new HumanMessage(`question ${turn}`)] },
        config,
      );
      expect(parseSyntheticReply(String(result.messages.at(-1)!.content))?.model).toBe("judge");
    }
    expectEveryTurnKept((await graph.getState(config)).values.messages as BaseMessage[]);
  });

  it("keeps all five turns in a parent StateGraph(MessagesAnnotation) with MoA as a node", async () => {
    const parent = new StateGraph(MessagesAnnotation)
      .addNode("moa", moa().compile())
      .addEdge("__start__", "moa")
      .addEdge("moa", "__end__")
      .compile({ checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "same-ids-parent" } };
    for (let turn = 1; turn <= TURNS; turn++) {
      await parent.invoke({ messages: [new HumanMessage(`question ${turn}`)] }, config);
    }
    expectEveryTurnKept((await parent.getState(config)).values.messages);
  });
});
