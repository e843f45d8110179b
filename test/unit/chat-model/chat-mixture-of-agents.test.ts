import { describe, expect, it } from "vitest";
import { AIMessage, AIMessageChunk, HumanMessage, ToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { z } from "zod";
import {
  ChatMixtureOfAgents,
  MOA_PROPOSAL_EVENT,
  createMixtureOfAgents,
  InvalidArgumentError,
  type MoaRunDetails,
} from "../../../src/index.js";
import { FakeChatModel } from "../../../src/testing/index.js";
import { ToolCallingFake } from "./support.js";

const getWeather = tool(async ({ city }: { city: string }) => `18°C and sunny in ${city}`, {
  name: "get_weather",
  description: "Current weather of a city",
  schema: z.object({ city: z.string() }),
});

function panel() {
  const a = new FakeChatModel({ model: "a", reply: "alpha says blue" });
  const b = new FakeChatModel({ model: "b", reply: "beta says blue too" });
  const judge = new FakeChatModel({ model: "judge", reply: "The sky is blue." });
  return { a, b, judge };
}

describe("ChatMixtureOfAgents", () => {
  it("invoke answers with the aggregator's reply, summed usage and per-proposal details", async () => {
    const { a, b, judge } = panel();
    const moa = new ChatMixtureOfAgents({ proposers: [a, b], aggregator: judge, layers: 2 });
    const reply = await moa.invoke([new HumanMessage("Why is the sky blue?")]);
    expect(reply.content).toBe("The sky is blue.");
    const details = reply.response_metadata.moa as MoaRunDetails;
    expect(details.proposals).toHaveLength(2);
    expect(details.proposals[0]).toMatchObject({
      layer: 1,
      proposerId: "a",
      sample: 0,
      status: "ok",
    });
    expect(details.proposals[0].tokens).toBeGreaterThan(0);
    expect(details.proposals[0].latencyMs).toBeGreaterThanOrEqual(0);
    expect(details.aggregation).toMatchObject({ mode: "synthesize", aggregatorId: "judge" });
    const total = details.usage.inputTokens + details.usage.outputTokens;
    const perCall =
      details.proposals.reduce((sum, p) => sum + (p.tokens ?? 0), 0) +
      details.aggregation!.usage!.inputTokens +
      details.aggregation!.usage!.outputTokens;
    expect(total).toBe(perCall);
    expect(reply.usage_metadata?.total_tokens).toBe(total);
  });

  it("batch runs one MoA per input", async () => {
    const { a, b, judge } = panel();
    const moa = new ChatMixtureOfAgents({ proposers: [a, b], aggregator: judge, layers: 2 });
    const replies = await moa.batch(["one?", "two?"]);
    expect(replies.map((reply) => reply.content)).toEqual(["The sky is blue.", "The sky is blue."]);
    expect(judge.recorder.count).toBe(2);
  });

  it("stream yields only the aggregator's tokens, then the summed usage", async () => {
    const a = new FakeChatModel({ model: "a", reply: "PROPOSER-TEXT" });
    const judge = new FakeChatModel({ model: "judge", reply: "The sky is blue.", chunkSize: 3 });
    const moa = new ChatMixtureOfAgents({ proposers: [a], aggregator: judge, layers: 2 });
    const events: unknown[] = [];
    const stream = await moa.stream("Why?", {
      callbacks: [
        { handleCustomEvent: (name: string, data: unknown) => void events.push([name, data]) },
      ],
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(2);
    const text = chunks.map((chunk) => chunk.content).join("");
    expect(text).toBe("The sky is blue.");
    const usages = chunks.filter((chunk) => chunk.usage_metadata);
    expect(usages).toHaveLength(1);
    expect((usages[0]!.response_metadata.moa as MoaRunDetails).proposals).toHaveLength(1);
    expect(events.map((event) => (event as [string, { type: string }])[1].type)).toEqual([
      "proposal-start",
      "proposal-end",
    ]);
    expect((events[0] as [string])[0]).toBe(MOA_PROPOSAL_EVENT);
  });

  it("stream delivers a reply that never streamed (rank mode) in the last chunk", async () => {
    const a = new FakeChatModel({ model: "a", reply: "answer A" });
    const b = new FakeChatModel({ model: "b", reply: "answer B" });
    const ranker = new FakeChatModel({ model: "ranker", reply: "2" });
    const moa = new ChatMixtureOfAgents({
      proposers: [a, b],
      aggregator: ranker,
      layers: 2,
      aggregation: "rank",
    });
    const chunks = [];
    for await (const chunk of await moa.stream("Which?")) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.content).join("")).toBe("answer B");
    expect((await moa.invoke("Which?")).content).toBe("answer B");
  });

  it("bindTools gives the tools to the aggregator only and returns its tool calls", async () => {
    const proposer = new ToolCallingFake(() => "check the weather");
    const aggregator = new ToolCallingFake(
      () =>
        new AIMessage({
          content: "",
          tool_calls: [{ id: "call_1", name: "get_weather", args: { city: "Paris" } }],
        }),
    );
    const moa = new ChatMixtureOfAgents({ proposers: [proposer], aggregator, layers: 2 });
    const reply = await moa.bindTools([getWeather]).invoke("Weather in Paris?");
    expect(reply.tool_calls).toEqual([
      expect.objectContaining({ id: "call_1", name: "get_weather", args: { city: "Paris" } }),
    ]);
    expect(proposer.calls.map((call) => call.tools)).toEqual([[]]);
    expect(aggregator.calls.map((call) => call.tools)).toEqual([["get_weather"]]);
  });

  it("bindTools forwards tool_choice to the aggregator's bindTools, never to proposers", async () => {
    const proposer = new ToolCallingFake(() => "check the weather");
    const aggregator = new ToolCallingFake(() => "sunny");
    const moa = new ChatMixtureOfAgents({ proposers: [proposer], aggregator, layers: 2 });
    await moa.bindTools([getWeather], { tool_choice: "required" }).invoke("Weather?");
    expect(aggregator.calls.map((call) => call.toolChoice)).toEqual(["required"]);
    expect(proposer.calls.map((call) => call.toolChoice)).toEqual([undefined]);
    // Binding again without a choice drops the earlier one.
    await moa
      .bindTools([getWeather], { tool_choice: "required" })
      .bindTools([getWeather])
      .invoke("Weather again?");
    expect(aggregator.calls.at(-1)!.toolChoice).toBeUndefined();
  });

  it("refuses aggregatorToolChoice without aggregatorTools, naming the option", () => {
    const aggregator = new ToolCallingFake(() => "x");
    expect(() =>
      createMixtureOfAgents({ aggregator, layers: 1, aggregatorToolChoice: "required" }),
    ).toThrow(/aggregatorToolChoice.*give `aggregatorTools`/);
  });

  it("streams the aggregator's tool calls as tool call chunks", async () => {
    const aggregator = new ToolCallingFake(
      () =>
        new AIMessage({
          content: "",
          tool_calls: [{ id: "call_1", name: "get_weather", args: { city: "Paris" } }],
        }),
    );
    const moa = new ChatMixtureOfAgents({ aggregator, layers: 1 }).bindTools([getWeather]);
    let merged: AIMessageChunk | undefined;
    for await (const chunk of await moa.stream("Weather?"))
      merged = merged ? merged.concat(chunk) : chunk;
    expect(merged!.tool_calls).toEqual([
      expect.objectContaining({ name: "get_weather", args: { city: "Paris" } }),
    ]);
  });

  it("withStructuredOutput parses the aggregator's tool call", async () => {
    const aggregator = new ToolCallingFake(
      (_messages, tools) =>
        new AIMessage({
          content: "",
          tool_calls: [{ id: "c", name: tools[0]!, args: { color: "blue" } }],
        }),
    );
    const proposer = new FakeChatModel({ model: "p", reply: "blue" });
    const moa = new ChatMixtureOfAgents({ proposers: [proposer], aggregator, layers: 2 });
    const structured = moa.withStructuredOutput(z.object({ color: z.string() }), { name: "sky" });
    expect(await structured.invoke("Colour of the sky?")).toEqual({ color: "blue" });
  });

  it("works as a proposer of another MoA", async () => {
    const { a, b, judge } = panel();
    const inner = new ChatMixtureOfAgents({ proposers: [a, b], aggregator: judge, layers: 2 });
    const outerJudge = new FakeChatModel({ model: "outer", reply: "final" });
    const outer = createMixtureOfAgents({
      proposers: [{ id: "inner-moa", model: inner }, new FakeChatModel({ model: "c" })],
      aggregator: outerJudge,
      layers: 2,
    }).compile();
    const state = await outer.invoke({ messages: [new HumanMessage("Why?")] });
    expect(state.messages.at(-1)?.content).toBe("final");
    const innerProposal = state.proposals.find((p) => p.proposerId === "inner-moa");
    expect(innerProposal).toMatchObject({ status: "ok", content: "The sky is blue." });
    expect(String(outerJudge.recorder.calls[0]!.messages[0]!.content)).toContain(
      "The sky is blue.",
    );
  });

  it("the caller's signal cancels the run", async () => {
    const slow = new FakeChatModel({ model: "slow", latencyMs: 10_000 });
    const moa = new ChatMixtureOfAgents({
      proposers: [slow],
      aggregator: panel().judge,
      layers: 2,
    });
    const started = performance.now();
    await expect(moa.invoke("Why?", { signal: AbortSignal.timeout(50) })).rejects.toThrow();
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it("fails at construction with the graph's own argument errors", () => {
    expect(() => new ChatMixtureOfAgents({ aggregator: panel().judge, layers: 2 })).toThrow(
      InvalidArgumentError,
    );
  });

  it("bindTools on an aggregator without bindTools names `aggregatorTools`", () => {
    const moa = new ChatMixtureOfAgents({ aggregator: panel().judge, layers: 1 });
    expect(() => moa.bindTools([getWeather])).toThrow(/aggregatorTools/);
  });

  it("drives a ReAct agent: the aggregator calls the tool, proposers read the result as text", async () => {
    const proposer = new ToolCallingFake((messages) =>
      messages.some((m) => m.getType() === "tool") ? "tool output seen" : "need the weather",
    );
    const aggregator = new ToolCallingFake((messages) =>
      messages.at(-1)?.getType() === "tool"
        ? "It is 18°C and sunny in Paris."
        : new AIMessage({
            content: "",
            tool_calls: [{ id: "call_1", name: "get_weather", args: { city: "Paris" } }],
          }),
    );
    const llm = new ChatMixtureOfAgents({ proposers: [proposer], aggregator, layers: 2 });
    const agent = createReactAgent({ llm, tools: [getWeather] });
    const result = await agent.invoke({ messages: [new HumanMessage("Weather in Paris?")] });
    const types = result.messages.map((m) => m.getType());
    expect(types).toEqual(["human", "ai", "tool", "ai"]);
    expect(result.messages.at(-1)?.content).toBe("It is 18°C and sunny in Paris.");
    expect((result.messages[2] as ToolMessage).content).toBe("18°C and sunny in Paris");
    // Second turn: the proposer saw the call and the result as text, never as tool messages.
    const seen = proposer.calls[1]!.messages;
    expect(seen.map((m) => m.getType())).toEqual(["human", "ai", "human"]);
    expect(seen[1]!.content).toBe('[assistant called tool get_weather({"city":"Paris"})]');
    expect(seen[2]!.content).toBe("[tool get_weather returned: 18°C and sunny in Paris]");
    expect(proposer.calls.every((call) => call.tools.length === 0)).toBe(true);
    // The aggregator saw the real tool messages (plus the references).
    const aggregatorSeen = aggregator.calls[1]!.messages.map((m) => m.getType());
    expect(aggregatorSeen).toEqual(["system", "human", "ai", "tool"]);
  });
});
