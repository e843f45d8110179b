import { HumanMessage, type AIMessageChunk } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { createMixtureOfAgents } from "../../../src/graph/create-mixture-of-agents.js";
import { modelCallConfig } from "../../../src/graph/model-call-config.js";
import { MOA_NODES } from "../../../src/graph/node-names.js";
import { FakeChatModel } from "../../../src/testing/index.js";
import { taggedReply } from "./support.js";

type Metadata = Record<string, unknown>;

async function messageChunks(
  graph: ReturnType<ReturnType<typeof createMixtureOfAgents>["compile"]>,
): Promise<{ text: string; metadata: Metadata }[]> {
  const chunks: { text: string; metadata: Metadata }[] = [];
  const stream = await graph.stream(
    { messages: [new HumanMessage("q")] },
    { streamMode: "messages" },
  );
  for await (const [message, metadata] of stream as AsyncIterable<[AIMessageChunk, Metadata]>) {
    chunks.push({ text: typeof message.content === "string" ? message.content : "", metadata });
  }
  return chunks;
}

function moaGraph(streamProposerTokens?: boolean) {
  const proposers = ["a", "b"].map(
    (name) => new FakeChatModel({ model: name, reply: taggedReply(name), chunkSize: 3 }),
  );
  const judge = new FakeChatModel({
    model: "judge",
    reply: "the final synthesized answer",
    chunkSize: 5,
  });
  return createMixtureOfAgents({
    proposers,
    aggregator: judge,
    layers: 3,
    streamProposerTokens,
  }).compile();
}

describe('streamMode: "messages"', () => {
  it("streams the aggregator's tokens tagged moa_role aggregator", async () => {
    const chunks = await messageChunks(moaGraph());
    const aggregator = chunks.filter((chunk) => chunk.metadata.moa_role === "aggregator");
    expect(aggregator.map((chunk) => chunk.text).join("")).toBe("the final synthesized answer");
    expect(aggregator.filter((chunk) => chunk.text !== "").length).toBeGreaterThan(1);
    for (const { metadata } of aggregator) {
      expect(metadata).toMatchObject({
        moa_layer: 3,
        moa_proposer_id: "judge",
        langgraph_node: MOA_NODES.aggregate,
      });
    }
  });

  it("tags proposer tokens with their layer, proposer and sample", async () => {
    const chunks = await messageChunks(moaGraph());
    const proposer = chunks.filter((chunk) => chunk.metadata.moa_role === "proposer");
    const byBranch = new Map<string, string>();
    for (const { text, metadata } of proposer) {
      expect(metadata.langgraph_node).toBe(MOA_NODES.propose);
      const key = `${String(metadata.moa_proposer_id)}@${String(metadata.moa_layer)}#${String(metadata.moa_sample)}`;
      byBranch.set(key, (byBranch.get(key) ?? "") + text);
    }
    expect(Object.fromEntries([...byBranch].sort())).toEqual({
      "a@1#0": "a says L1#0",
      "a@2#0": "a says L2#0",
      "b@1#0": "b says L1#0",
      "b@2#0": "b says L2#0",
    });
  });

  it("leaves proposer tokens out with streamProposerTokens: false", async () => {
    const chunks = await messageChunks(moaGraph(false));
    expect(chunks.length).toBeGreaterThan(0);
    expect(chunks.every((chunk) => chunk.metadata.moa_role === "aggregator")).toBe(true);
    expect(chunks.map((chunk) => chunk.text).join("")).toBe("the final synthesized answer");
  });

  it("keeps the ranker's reply out of the token stream and emits the chosen answer once", async () => {
    const proposers = ["a", "b"].map(
      (name) => new FakeChatModel({ model: name, reply: taggedReply(name) }),
    );
    const ranker = new FakeChatModel({ model: "ranker", reply: "2" });
    const graph = createMixtureOfAgents({
      proposers,
      aggregator: ranker,
      layers: 2,
      aggregation: "rank",
      streamProposerTokens: false,
    }).compile();
    const chunks = await messageChunks(graph);
    expect(chunks.some((chunk) => chunk.metadata.moa_role === "ranker")).toBe(false);
    expect(chunks.some((chunk) => chunk.text === "2")).toBe(false);
    const fromRank = chunks.filter((chunk) => chunk.metadata.langgraph_node === MOA_NODES.rank);
    expect(fromRank.map((chunk) => chunk.text)).toEqual(["b says L1#0"]);
  });
});

describe("modelCallConfig", () => {
  const call = {
    moa_role: "proposer",
    moa_layer: 2,
    moa_proposer_id: "qwen",
    moa_sample: 1,
  } as const;

  it("keeps the node's config and adds MoA metadata, tags and a run name", () => {
    const signal = new AbortController().signal;
    const config = modelCallConfig(
      { tags: ["parent"], metadata: { thread: "t" }, configurable: { thread_id: "t" }, signal },
      call,
      { stream: true },
    );
    expect(config).toMatchObject({
      runName: "layer 2 · qwen #1",
      tags: ["parent", "moa:proposer", "moa:layer:2", "moa:proposer:qwen", "moa:sample:1"],
      metadata: { thread: "t", ...call },
      configurable: { thread_id: "t" },
    });
    expect(config.signal).toBe(signal);
  });

  it("adds LangGraph's no-stream tag when the call must not stream, and prefers an explicit signal", () => {
    const own = new AbortController().signal;
    const config = modelCallConfig(
      {},
      { ...call, moa_role: "ranker" },
      { stream: false, signal: own },
    );
    expect(config.tags).toContain("langsmith:nostream");
    expect(config.runName).toBe("ranker · qwen");
    expect(config.signal).toBe(own);
  });
});
