import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { CachingChatModel } from "../../../src/ablation/caching-chat-model.js";
import { ABLATION_RUN_METADATA_KEY, CallCache } from "../../../src/ablation/call-cache.js";
import { InvalidArgumentError } from "../../../src/errors/index.js";
import { createMixtureOfAgents } from "../../../src/graph/create-mixture-of-agents.js";
import { withSampling } from "../../../src/models/with-sampling.js";
import { FakeChatModel } from "../../../src/testing/index.js";

async function tempFile(name: string): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "moa-cache-")), name);
}

const ask = (text: string) => [new HumanMessage(text)];
const sampleCall = (sample: number) => ({
  metadata: { moa_role: "proposer", moa_layer: 1, moa_proposer_id: "a", moa_sample: sample },
});

describe("CachingChatModel", () => {
  it("answers an identical call from the cache with the original text and usage", async () => {
    const inner = new FakeChatModel({ model: "a", temperature: 0.7 });
    const cache = await CallCache.open();
    const model = new CachingChatModel({ model: inner, callCache: cache, modelId: "fake:a" });

    const first = await model.invoke(ask("hi"));
    const second = await model.invoke(ask("hi"));

    expect(inner.recorder.count).toBe(1);
    expect(second.content).toBe(first.content);
    expect(second.usage_metadata).toEqual(first.usage_metadata);
    expect(second.usage_metadata?.output_tokens).toBeGreaterThan(0);
    expect(first.response_metadata.moa_cache).toBe("miss");
    expect(second.response_metadata.moa_cache).toBe("hit");
    expect(cache.stats).toMatchObject({ calls: 2, hits: 1, misses: 1, hitRate: 0.5, entries: 1 });
  });

  it("keeps the samples of one proposer apart (the sample index is in the key)", async () => {
    const inner = new FakeChatModel({ model: "a" });
    const model = new CachingChatModel({ model: inner, callCache: await CallCache.open() });
    const a = await model.invoke(ask("hi"), sampleCall(0));
    const b = await model.invoke(ask("hi"), sampleCall(1));
    const again = await model.invoke(ask("hi"), sampleCall(1));
    expect(inner.recorder.count).toBe(2);
    expect(a.content).not.toBe(b.content);
    expect(again.content).toBe(b.content);
  });

  it("keys on messages, temperature, output cap and model id", async () => {
    const cache = await CallCache.open();
    const base = new FakeChatModel({ model: "a", temperature: 0.7, maxTokens: 100 });
    const wrap = (inner: FakeChatModel, modelId = "fake:a") =>
      new CachingChatModel({ model: inner, callCache: cache, modelId });
    const reference = wrap(base).cacheKey(ask("hi"), 0);
    expect(wrap(base).cacheKey(ask("hi"), 0)).toBe(reference);
    expect(wrap(base).cacheKey(ask("hello"), 0)).not.toBe(reference);
    expect(wrap(base).cacheKey([new SystemMessage("s"), ...ask("hi")], 0)).not.toBe(reference);
    expect(
      wrap(new FakeChatModel({ model: "a", temperature: 0.2, maxTokens: 100 })).cacheKey(
        ask("hi"),
        0,
      ),
    ).not.toBe(reference);
    expect(
      wrap(new FakeChatModel({ model: "a", temperature: 0.7, maxTokens: 50 })).cacheKey(
        ask("hi"),
        0,
      ),
    ).not.toBe(reference);
    expect(wrap(base, "other:a").cacheKey(ask("hi"), 0)).not.toBe(reference);
  });

  it("makes one request for identical calls in flight at once", async () => {
    const inner = new FakeChatModel({ model: "a", latencyMs: 30 });
    const cache = await CallCache.open();
    const model = new CachingChatModel({ model: inner, callCache: cache });
    const replies = await Promise.all([1, 2, 3].map(() => model.invoke(ask("same"))));
    expect(inner.recorder.count).toBe(1);
    expect(new Set(replies.map((reply) => reply.content)).size).toBe(1);
    expect(cache.stats).toMatchObject({ hits: 2, misses: 1 });
  });

  it("never stores failed calls or empty replies", async () => {
    let fail = true;
    const inner = new FakeChatModel({
      model: "a",
      fail: () => (fail ? new Error("boom") : undefined),
      reply: ({ call }) => (call === 1 ? "" : `answer ${call}`),
    });
    const model = new CachingChatModel({ model: inner, callCache: await CallCache.open() });
    await expect(model.invoke(ask("q"))).rejects.toThrow("boom");
    fail = false;
    expect((await model.invoke(ask("q"))).content).toBe("");
    expect((await model.invoke(ask("q"))).content).toBe("answer 2");
    expect((await model.invoke(ask("q"))).content).toBe("answer 2");
    expect(inner.recorder.count).toBe(3);
  });

  it("persists replies in a JSON Lines file that a reopened cache reads", async () => {
    const path = await tempFile("calls.jsonl");
    const first = new FakeChatModel({ model: "a" });
    await new CachingChatModel({
      model: first,
      callCache: await CallCache.open(path),
    }).invoke(ask("hi"));
    const second = new FakeChatModel({ model: "a" });
    const reopened = await CallCache.open(path);
    const reply = await new CachingChatModel({ model: second, callCache: reopened }).invoke(
      ask("hi"),
    );
    expect(second.recorder.count).toBe(0);
    expect(reply.content).toBe("a answer 0");
    expect(reopened.stats).toMatchObject({ hits: 1, misses: 0, entries: 1 });
    const lines = (await readFile(path, "utf8")).trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!).value).toMatchObject({ text: "a answer 0", modelId: "fake:a" });
  });

  it("mirrors the inner model's name and settings, and survives withSampling", async () => {
    const cache = await CallCache.open();
    const inner = new FakeChatModel({ model: "qwen", temperature: 0.7, maxTokens: 64 });
    const model = new CachingChatModel({ model: inner, callCache: cache });
    expect(model).toMatchObject({ model: "qwen", temperature: 0.7, maxTokens: 64 });
    const resampled = withSampling(model, { temperature: 0.1 }, "proposers[0]");
    expect(resampled).toBeInstanceOf(CachingChatModel);
    expect(resampled).toMatchObject({ model: "qwen", temperature: 0.1, maxTokens: 64 });
    expect((resampled as CachingChatModel).callCache).toBe(cache);
  });

  it("logs every call of a tagged graph run with its role, layer, sample and usage", async () => {
    const cache = await CallCache.open();
    const a = new FakeChatModel({ model: "a" });
    const b = new FakeChatModel({ model: "b" });
    const wrap = (inner: FakeChatModel) =>
      new CachingChatModel({ model: inner, callCache: cache, modelId: `fake:${inner.model}` });
    const graph = createMixtureOfAgents({
      proposers: [wrap(a), { model: wrap(b), samples: 2 }],
      aggregator: wrap(a),
      layers: 2,
    }).compile();
    const run = async (runId: string) => {
      await graph.invoke(
        { messages: ask("q") },
        { metadata: { [ABLATION_RUN_METADATA_KEY]: runId } },
      );
      return cache.takeRecords(runId);
    };
    const first = await run("first");
    const second = await run("second");

    const slots = (records: typeof first) =>
      records
        .map((record) => `${record.role}:${record.layer}:${record.proposerId}#${record.sample}`)
        .sort();
    expect(slots(first)).toEqual([
      "aggregator:2:a#0",
      "proposer:1:a#0",
      "proposer:1:b#0",
      "proposer:1:b#1",
    ]);
    expect(first.every((record) => !record.cached && record.usage !== undefined)).toBe(true);
    expect(second.every((record) => record.cached)).toBe(true);
    expect(second.map((record) => record.latencyMs).sort()).toEqual(
      first.map((record) => record.latencyMs).sort(),
    );
    expect(a.recorder.count + b.recorder.count).toBe(4);
    expect(cache.takeRecords("first")).toEqual([]);
  });

  it("rejects a missing model or cache before any call", async () => {
    const cache = await CallCache.open();
    expect(() => new CachingChatModel({ model: {} as never, callCache: cache })).toThrow(
      InvalidArgumentError,
    );
    expect(
      () => new CachingChatModel({ model: new FakeChatModel(), callCache: {} as never }),
    ).toThrow(/callCache/);
  });
});

describe("CachingChatModel namespaces", () => {
  it("keeps replies of another backend (the simulator) apart in a shared cache", async () => {
    const cache = await CallCache.open();
    const simulated = new FakeChatModel({ model: "a", reply: "synthetic" });
    const real = new FakeChatModel({ model: "a", reply: "real" });
    await new CachingChatModel({
      model: simulated,
      callCache: cache,
      modelId: "x:a",
      namespace: "simulated",
    }).invoke(ask("q"));
    const reply = await new CachingChatModel({
      model: real,
      callCache: cache,
      modelId: "x:a",
    }).invoke(ask("q"));
    expect(reply.content).toBe("real");
    expect(real.recorder.count).toBe(1);
  });
});
