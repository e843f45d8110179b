import {
  HumanMessage,
  SystemMessage,
  type AIMessageChunk,
  type BaseMessage,
} from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { withSampling } from "../../../src/models/with-sampling.js";
import { CallRecorder, ConcurrencyProbe, FakeChatModel } from "../../../src/testing/index.js";

const ask = (text: string) => [new HumanMessage(text)];

describe("FakeChatModel", () => {
  it.each<{
    name: string;
    reply: ConstructorParameters<typeof FakeChatModel>[0];
    expected: string[];
  }>([
    {
      name: "a default reply naming the model and call",
      reply: { model: "m" },
      expected: ["m answer 0", "m answer 1", "m answer 2"],
    },
    { name: "a fixed string", reply: { reply: "same" }, expected: ["same", "same", "same"] },
    {
      name: "a list whose last entry repeats",
      reply: { reply: ["one", "two"] },
      expected: ["one", "two", "two"],
    },
    {
      name: "a function of the call",
      reply: { reply: ({ call, messages }) => `${call}:${String(messages.at(-1)!.content)}` },
      expected: ["0:q", "1:q", "2:q"],
    },
  ])("replies with $name", async ({ reply, expected }) => {
    const model = new FakeChatModel(reply);
    const replies: string[] = [];
    for (let index = 0; index < 3; index++)
      replies.push(String((await model.invoke(ask("q"))).content));
    expect(replies).toEqual(expected);
    expect(model.recorder.count).toBe(3);
  });

  it("reports usage as whitespace-separated words", async () => {
    const model = new FakeChatModel({ reply: "a b c" });
    const reply = await model.invoke([new SystemMessage("one two"), new HumanMessage("three")]);
    expect(reply.usage_metadata).toEqual({ input_tokens: 3, output_tokens: 3, total_tokens: 6 });
  });

  it("records a copy of the messages, the sampling settings, metadata and tags", async () => {
    const model = new FakeChatModel({ temperature: 0.4, maxTokens: 9 });
    const messages: BaseMessage[] = ask("q");
    await model.invoke(messages, { metadata: { moa_role: "proposer" }, tags: ["t1"] });
    messages.push(new HumanMessage("added later"));
    const [call] = model.recorder.calls;
    expect(call).toMatchObject({
      index: 0,
      temperature: 0.4,
      maxTokens: 9,
      metadata: { moa_role: "proposer" },
      tags: ["t1"],
      outcome: "ok",
    });
    expect(call!.messages).toHaveLength(1);
  });

  it("injects failures and records them", async () => {
    const model = new FakeChatModel({
      fail: ({ call }) => (call === 0 ? new Error("boom") : undefined),
    });
    await expect(model.invoke(ask("q"))).rejects.toThrow("boom");
    await expect(model.invoke(ask("q"))).resolves.toBeDefined();
    expect(model.recorder.calls.map((call) => call.outcome)).toEqual(["error", "ok"]);
    expect(model.recorder.inFlight).toBe(0);
  });

  it("honours the abort signal during its latency", async () => {
    const model = new FakeChatModel({ latencyMs: 10_000 });
    const controller = new AbortController();
    const pending = model.invoke(ask("q"), { signal: controller.signal });
    // Abort once the call is recorded as running: no timer decides the outcome.
    await expect.poll(() => model.recorder.inFlight).toBe(1);
    controller.abort(new Error("stop"));
    await expect(pending).rejects.toThrow();
    expect(model.recorder.calls[0]!.outcome).toBe("aborted");
    expect(model.recorder.inFlight).toBe(0);
  });

  it("streams the reply in chunks of chunkSize with usage on the last chunk", async () => {
    const model = new FakeChatModel({ reply: "abcdefghij", chunkSize: 4 });
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await model.stream(ask("q"))) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.content)).toEqual(["abcd", "efgh", "ij", ""]);
    expect(chunks.at(-1)!.usage_metadata).toEqual({
      input_tokens: 1,
      output_tokens: 1,
      total_tokens: 2,
    });
    expect(model.recorder.count).toBe(1);
  });

  it("counts concurrent calls per instance and across instances with a shared probe", async () => {
    const probe = new ConcurrencyProbe();
    const a = new FakeChatModel({ probe, latencyMs: 40 });
    const b = new FakeChatModel({ probe, latencyMs: 40 });
    await Promise.all([a.invoke(ask("1")), a.invoke(ask("2")), b.invoke(ask("3"))]);
    expect(a.recorder.peakInFlight).toBe(2);
    expect(b.recorder.peakInFlight).toBe(1);
    expect(probe.peak).toBe(3);
    expect(probe.current).toBe(0);

    await a.invoke(ask("4"));
    await a.invoke(ask("5"));
    expect(a.recorder.peakInFlight).toBe(2);
    expect(a.recorder.count).toBe(4);
  });

  it("shares its recorder and probe with the copies withSampling makes", async () => {
    const recorder = new CallRecorder();
    const probe = new ConcurrencyProbe();
    const original = new FakeChatModel({
      model: "m",
      temperature: 0.1,
      recorder,
      probe,
      reply: "r",
    });
    const copy = withSampling(
      original,
      { temperature: 0.9, maxTokens: 5 },
      "proposers[0]",
    ) as FakeChatModel;
    expect(copy).not.toBe(original);
    expect(copy.recorder).toBe(recorder);
    expect(original.recorder).toBe(recorder);
    await copy.invoke(ask("q"));
    await original.invoke(ask("q"));
    expect(recorder.calls.map((call) => [call.index, call.temperature, call.maxTokens])).toEqual([
      [0, 0.9, 5],
      [1, 0.1, undefined],
    ]);
    expect(probe.peak).toBe(1);
    expect([original.temperature, original.model, copy.model]).toEqual([0.1, "m", "m"]);
  });
});
