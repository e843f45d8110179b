import { HumanMessage, type AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { MemorySaver, MessagesAnnotation, StateGraph } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import {
  createMixtureOfAgents,
  type CreateMixtureOfAgentsParams,
} from "../../../src/graph/create-mixture-of-agents.js";
import { FakeChatModel } from "../../../src/testing/index.js";

// Every fake answers with the same id, like a provider whose completion ids repeat.
const SAME_ID = "chatcmpl-constant";
const TURNS = 5;

function fake(model: string, extra: Partial<ConstructorParameters<typeof FakeChatModel>[0]> = {}) {
  return new FakeChatModel({
    model,
    messageId: SAME_ID,
    reply: ({ messages }) =>
      `${model} on ${String(messages.filter((message) => message.getType() === "human").at(-1)?.content)}`,
    ...extra,
  });
}

type Variant = [string, () => Omit<CreateMixtureOfAgentsParams, "layers">];

const VARIANTS: Variant[] = [
  ["aggregate", () => ({ proposers: [fake("a"), fake("b")], aggregator: fake("judge") })],
  [
    "aggregator fallback model",
    () => ({
      proposers: [fake("a")],
      aggregator: fake("judge", { fail: () => new Error("down") }),
      aggregatorFallback: fake("judge"),
    }),
  ],
  [
    "first-proposal fallback",
    () => ({
      proposers: [fake("judge")],
      aggregator: fake("broken", { fail: () => new Error("down") }),
      aggregatorFallback: "first-proposal",
    }),
  ],
  [
    "rank",
    () => ({
      proposers: [fake("judge")],
      aggregator: fake("ranker", { reply: "1" }),
      aggregation: "rank",
    }),
  ],
];

function expectAlternatingHistory(messages: readonly BaseMessage[]): void {
  expect(messages.map((message) => message.getType())).toEqual(
    Array.from({ length: TURNS }, () => ["human", "ai"]).flat(),
  );
  expect(new Set(messages.map((message) => message.id)).size).toBe(2 * TURNS);
  messages.forEach((message, index) => {
    const turn = Math.floor(index / 2) + 1;
    expect(String(message.content)).toBe(
      index % 2 === 0 ? `question ${turn}` : `judge on question ${turn}`,
    );
  });
}

describe("answer message ids", () => {
  it.each(VARIANTS)(
    "keeps every turn of a thread when the provider repeats ids (%s)",
    async (_name, params) => {
      const graph = createMixtureOfAgents({ ...params(), layers: 2 }).compile({
        checkpointer: new MemorySaver(),
      });
      const config = { configurable: { thread_id: "t" } };
      let answer = "";
      for (let turn = 1; turn <= TURNS; turn++) {
        const result = await graph.invoke(
          { messages: [new HumanMessage(`question ${turn}`)] },
          config,
        );
        answer = String(result.messages.at(-1)!.content);
        expect(answer).toBe(`judge on question ${turn}`);
      }
      const state = await graph.getState(config);
      expectAlternatingHistory(state.values.messages as BaseMessage[]);
    },
  );

  it("keeps the provider's id in response_metadata.providerMessageId", async () => {
    const result = await createMixtureOfAgents({
      proposers: [fake("a")],
      aggregator: fake("judge"),
      layers: 2,
    })
      .compile()
      .invoke({ messages: [new HumanMessage("question 1")] });
    const answer = result.messages.at(-1)!;
    expect(answer.id).toMatch(/^moa-answer-[0-9a-f-]{36}$/);
    expect((answer.response_metadata as Record<string, unknown>).providerMessageId).toBe(SAME_ID);
  });

  it("streams the answer's tokens under the stored id, and emits it once", async () => {
    const graph = createMixtureOfAgents({
      proposers: [fake("a")],
      aggregator: fake("judge"),
      layers: 2,
      streamProposerTokens: false,
    }).compile({ checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "s" }, streamMode: "messages" as const };
    const ids = new Set<string | undefined>();
    let text = "";
    for await (const [chunk, metadata] of await graph.stream(
      { messages: [new HumanMessage("question 1")] },
      config,
    )) {
      ids.add((chunk as AIMessageChunk).id);
      expect((metadata as Record<string, unknown>).moa_role).toBe("aggregator");
      text += String((chunk as AIMessageChunk).content);
    }
    const stored = (await graph.getState(config)).values.messages as BaseMessage[];
    expect([...ids]).toEqual([stored.at(-1)!.id]);
    expect(text).toBe("judge on question 1");
  });

  it("keeps every turn in a parent StateGraph(MessagesAnnotation) with MoA as a node", async () => {
    const moa = createMixtureOfAgents({
      proposers: [fake("a"), fake("b")],
      aggregator: fake("judge"),
      layers: 2,
    }).compile();
    const parent = new StateGraph(MessagesAnnotation)
      .addNode("moa", moa)
      .addEdge("__start__", "moa")
      .addEdge("moa", "__end__")
      .compile({ checkpointer: new MemorySaver() });
    const config = { configurable: { thread_id: "p" } };
    for (let turn = 1; turn <= TURNS; turn++) {
      await parent.invoke({ messages: [new HumanMessage(`question ${turn}`)] }, config);
    }
    expectAlternatingHistory((await parent.getState(config)).values.messages);
  });
});
