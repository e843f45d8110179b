import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, SystemMessage, ToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { z } from "zod";
import { proposerView } from "../../../src/graph/proposer-view.js";
import { createMixtureOfAgents } from "../../../src/index.js";
import { FakeChatModel } from "../../../src/testing/index.js";
import { ToolCallingFake } from "../chat-model/support.js";

const call = new AIMessage({
  content: "Let me check.",
  tool_calls: [{ id: "call_1", name: "get_weather", args: { city: "Paris" } }],
});
const result = new ToolMessage({ content: "18°C", tool_call_id: "call_1" });

describe("proposerView", () => {
  it("returns a conversation without tool messages as is", () => {
    const messages = [new SystemMessage("s"), new HumanMessage("hi"), new AIMessage("hello")];
    expect(proposerView(messages)).toBe(messages);
  });

  it("renders tool calls and tool results as text, naming the tool from its call", () => {
    const view = proposerView([new HumanMessage("Weather?"), call, result]);
    expect(view.map((m) => m.getType())).toEqual(["human", "ai", "human"]);
    expect(view[1]!.content).toBe(
      'Let me check.\n[assistant called tool get_weather({"city":"Paris"})]',
    );
    expect((view[1] as AIMessage).tool_calls ?? []).toEqual([]);
    expect(view[2]!.content).toBe("[tool get_weather returned: 18°C]");
  });
});

describe("aggregatorTools", () => {
  const getWeather = tool(async () => "18°C", {
    name: "get_weather",
    description: "weather",
    schema: z.object({ city: z.string() }),
  });

  it("binds the tools to the aggregator only; the answer keeps its tool_calls", async () => {
    const proposer = new FakeChatModel({ model: "p", reply: "look it up" });
    const aggregator = new ToolCallingFake(
      () =>
        new AIMessage({
          content: "",
          tool_calls: [{ id: "call_2", name: "get_weather", args: { city: "Rome" } }],
        }),
    );
    const graph = createMixtureOfAgents({
      proposers: [proposer],
      aggregator,
      layers: 2,
      aggregatorTools: [getWeather],
    }).compile();
    const state = await graph.invoke({
      messages: [new HumanMessage("Weather?"), call, result, new HumanMessage("And Rome?")],
    });
    expect((state.messages.at(-1) as AIMessage).tool_calls).toEqual([
      expect.objectContaining({ id: "call_2", name: "get_weather" }),
    ]);
    expect(aggregator.calls[0]!.tools).toEqual(["get_weather"]);
    expect(aggregator.calls[0]!.messages.map((m) => m.getType())).toEqual([
      "system",
      "human",
      "ai",
      "tool",
      "human",
    ]);
    const seen = proposer.recorder.calls[0]!.messages.map((m) => m.getType());
    expect(seen).toEqual(["human", "ai", "human", "human"]);
  });
});
