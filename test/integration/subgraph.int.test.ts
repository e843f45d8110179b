import type { AIMessageChunk, BaseMessage } from "@langchain/core/messages";
import { MemorySaver } from "@langchain/langgraph";
import { Client } from "@langchain/langgraph-sdk";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { ROUTER_NODES, createRouterGraph, looksHard } from "../../graphs/moa-router.js";
import { MOA_NODES, loadChatModel } from "../../src/index.js";
import { parseSyntheticReply, startSimulator, type Simulator } from "../../src/testing/index.js";
import { simulatorEnvironment, startDevServer } from "../fixtures/platform/dev-server.js";

// MoA as one node of a larger agent: the example router of graphs/moa-router.ts, with real
// ChatOpenAI clients talking to the loopback simulator.
let simulator: Simulator;
let env: Record<string, string>;

const CONTEXT = {
  proposers: ["openai:a", "openai:b", "openai:c"],
  aggregator: "openai:judge",
  layers: 2,
};
const HARD = "Explain why the sky is blue.";
const EASY = "What is the capital of France?";

beforeAll(async () => {
  simulator = await startSimulator();
  env = simulatorEnvironment(simulator.url);
});

beforeEach(() => simulator.reset());

afterAll(async () => {
  await simulator?.close();
});

function routerGraph() {
  return createRouterGraph({
    loadModel: (spec, sampling) => loadChatModel(spec, { env, ...sampling }),
  }).compile({ checkpointer: new MemorySaver() });
}

type Chunk = { namespace: string[]; text: string; metadata: Record<string, unknown> };

async function streamMessages(
  graph: ReturnType<typeof routerGraph>,
  question: string,
  options: { subgraphs: boolean; threadId: string },
): Promise<Chunk[]> {
  const chunks: Chunk[] = [];
  const stream = await graph.stream(
    { messages: [{ role: "user", content: question }] },
    {
      streamMode: "messages",
      subgraphs: options.subgraphs,
      context: CONTEXT,
      configurable: { thread_id: options.threadId },
    },
  );
  for await (const item of stream as AsyncIterable<unknown>) {
    // With `subgraphs: true` each item is [namespace, [chunk, metadata]]; without, [chunk, metadata].
    const [namespace, [chunk, metadata]] = options.subgraphs
      ? (item as [string[], [AIMessageChunk, Record<string, unknown>]])
      : [[], item as [AIMessageChunk, Record<string, unknown>]];
    chunks.push({
      namespace,
      text: typeof chunk.content === "string" ? chunk.content : "",
      metadata,
    });
  }
  return chunks;
}

describe("looksHard (the example's routing rule)", () => {
  it.each([
    [EASY, false],
    ["Hi!", false],
    [HARD, true],
    ["How do vaccines work?", true],
    ["Compare merge sort and quicksort", true],
    ["Please list the twelve months of the year in order starting with January", true],
  ])("%j → %s", (question, hard) => {
    expect(looksHard(question)).toBe(hard);
  });
});

describe("MoA as a subgraph of a router agent (in process)", () => {
  it("draws the parent graph with MoA as one node", async () => {
    const drawn = await routerGraph().getGraphAsync();
    expect(Object.keys(drawn.nodes).sort()).toEqual(
      ["__end__", "__start__", ROUTER_NODES.moa, ROUTER_NODES.single].sort(),
    );
    const xray = await routerGraph().getGraphAsync({ xray: true });
    expect(Object.keys(xray.nodes)).toEqual(
      expect.arrayContaining([`${ROUTER_NODES.moa}:${MOA_NODES.aggregate}`]),
    );
  });

  it("streams MoA's aggregator tokens through the parent with subgraphs: true", async () => {
    const graph = routerGraph();
    const chunks = await streamMessages(graph, HARD, { subgraphs: true, threadId: "hard" });
    const fromMoa = chunks.filter((chunk) =>
      chunk.namespace[0]?.startsWith(`${ROUTER_NODES.moa}:`),
    );
    expect(fromMoa.length).toBeGreaterThan(1);
    // The example keeps proposer tokens out of the stream: only the answer's tokens arrive.
    expect(fromMoa.every((chunk) => chunk.metadata.moa_role === "aggregator")).toBe(true);
    expect(fromMoa.every((chunk) => chunk.metadata.langgraph_node === MOA_NODES.aggregate)).toBe(
      true,
    );
    const streamed = parseSyntheticReply(fromMoa.map((chunk) => chunk.text).join(""));
    expect(streamed).toMatchObject({ model: "judge", references: 3, turns: 1 });

    // The parent's state gets the final AI message once.
    const state = await graph.getState({ configurable: { thread_id: "hard" } });
    const messages = state.values.messages as BaseMessage[];
    expect(messages.map((message) => message.getType())).toEqual(["human", "ai"]);
    expect(parseSyntheticReply(String(messages[1]!.content))).toEqual(streamed);
    expect(simulator.countRequests({ path: "/v1/chat/completions" })).toBe(4); // 3 proposers + aggregator
  });

  it("does not surface subgraph tokens without subgraphs: true (the answer still lands in state)", async () => {
    const graph = routerGraph();
    const chunks = await streamMessages(graph, HARD, { subgraphs: false, threadId: "quiet" });
    expect(chunks.filter((chunk) => chunk.metadata.moa_role === "aggregator")).toEqual([]);
    const state = await graph.getState({ configurable: { thread_id: "quiet" } });
    expect(
      parseSyntheticReply(String((state.values.messages as BaseMessage[]).at(-1)!.content))?.model,
    ).toBe("judge");
  });

  it("answers easy questions with the single model, and keeps a clean conversation across turns", async () => {
    const graph = routerGraph();
    const easy = await streamMessages(graph, EASY, { subgraphs: true, threadId: "mixed" });
    expect(easy.length).toBeGreaterThan(0);
    expect(
      easy.every(
        (chunk) =>
          chunk.namespace.length === 0 && chunk.metadata.langgraph_node === ROUTER_NODES.single,
      ),
    ).toBe(true);
    expect(parseSyntheticReply(easy.map((chunk) => chunk.text).join(""))).toMatchObject({
      model: "judge",
      references: 0,
    });
    expect(simulator.countRequests({ path: "/v1/chat/completions" })).toBe(1);

    await streamMessages(graph, HARD, { subgraphs: true, threadId: "mixed" });
    const state = await graph.getState({ configurable: { thread_id: "mixed" } });
    const messages = state.values.messages as BaseMessage[];
    expect(messages.map((message) => message.getType())).toEqual(["human", "ai", "human", "ai"]);
    expect(new Set(messages.map((message) => message.id)).size).toBe(4);
    expect(parseSyntheticReply(String(messages[3]!.content))).toMatchObject({
      references: 3,
      turns: 2,
    });
  });
});

describe("graph `moa-router` on the dev server", () => {
  it("streams MoA's aggregator tokens to an SDK client with streamSubgraphs", async () => {
    const server = await startDevServer({ env });
    try {
      const client = new Client({ apiUrl: server.url });
      const tokens: string[] = [];
      const events = new Set<string>();
      for await (const part of client.runs.stream(null, "moa-router", {
        input: { messages: [{ role: "user", content: HARD }] },
        context: CONTEXT,
        streamMode: "messages-tuple",
        streamSubgraphs: true,
      })) {
        events.add(part.event.split("|")[0]!);
        if (part.event.startsWith("messages|moa:")) {
          const [chunk, metadata] = part.data as [{ content: unknown }, Record<string, unknown>];
          if (metadata.moa_role === "aggregator") tokens.push(String(chunk.content ?? ""));
        }
      }
      expect(events).toContain("messages");
      expect(tokens.filter((token) => token !== "").length).toBeGreaterThan(1);
      expect(parseSyntheticReply(tokens.join(""))).toMatchObject({ model: "judge", references: 3 });
    } finally {
      await server.stop();
    }
  });
});
