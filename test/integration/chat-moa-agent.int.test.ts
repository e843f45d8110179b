import { HumanMessage, type AIMessage, type ToolMessage } from "@langchain/core/messages";
import { tool } from "@langchain/core/tools";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { ChatMixtureOfAgents, loadChatModel, type MoaRunDetails } from "../../src/index.js";
import { startSimulator, type Simulator } from "../../src/testing/index.js";
import { simulatorEnvironment } from "../fixtures/platform/dev-server.js";

// ChatMixtureOfAgents as the llm of a ReAct agent, over real HTTP: ChatOpenAI clients talk to
// the loopback simulator, whose "judge" model calls the first tool it is offered (`callTools`).
let simulator: Simulator;
let env: Record<string, string>;

beforeAll(async () => {
  simulator = await startSimulator({ models: { judge: { callTools: true } } });
  env = simulatorEnvironment(simulator.url);
});

beforeEach(() => simulator.reset());

afterAll(async () => {
  await simulator?.close();
});

const cities: string[] = [];
const getWeather = tool(
  async ({ city }: { city: string }) => {
    cities.push(city);
    return "18°C and sunny";
  },
  { name: "get_weather", description: "Weather of a city", schema: z.object({ city: z.string() }) },
);

describe("ChatMixtureOfAgents over HTTP", () => {
  it("drives a ReAct agent: the aggregator calls the tool, then answers from its result", async () => {
    const model = (name: string) => loadChatModel(`openai:${name}`, { env });
    const llm = new ChatMixtureOfAgents({
      proposers: [model("a"), model("b")],
      aggregator: model("judge"),
      layers: 2,
    });
    const agent = createReactAgent({ llm, tools: [getWeather] });
    const result = await agent.invoke({ messages: [new HumanMessage("Weather in Paris?")] });

    expect(result.messages.map((m) => m.getType())).toEqual(["human", "ai", "tool", "ai"]);
    expect(cities).toEqual(["Weather in Paris?"]);
    expect((result.messages[2] as ToolMessage).content).toBe("18°C and sunny");
    const answer = result.messages[3] as AIMessage;
    expect(String(answer.content).length).toBeGreaterThan(0);
    expect((answer.response_metadata.moa as MoaRunDetails).proposals).toHaveLength(2);

    const requests = simulator.requests.filter((r) => r.body?.messages !== undefined);
    const proposerRequests = requests.filter((r) => r.model !== "judge");
    const judgeRequests = requests.filter((r) => r.model === "judge");
    expect(proposerRequests).toHaveLength(4);
    expect(judgeRequests).toHaveLength(2);
    // Proposers never get tool schemas, and read the call and its result as text.
    expect(proposerRequests.every((r) => r.body!.tools === undefined)).toBe(true);
    const secondTurn = proposerRequests.at(-1)!.body!.messages.map((m: { role: string }) => m.role);
    expect(secondTurn).toEqual(["user", "assistant", "user"]);
    // The aggregator gets the tools and the real tool messages.
    expect(judgeRequests.every((r) => Array.isArray(r.body!.tools))).toBe(true);
    expect(judgeRequests[1]!.body!.messages.map((m: { role: string }) => m.role)).toEqual([
      "system",
      "user",
      "assistant",
      "tool",
    ]);
  });
});

describe("ChatMixtureOfAgents streaming inside an agent", () => {
  it("the agent's messages stream carries the aggregator's tokens once, no proposer tokens", async () => {
    const model = (name: string) => loadChatModel(`openai:${name}`, { env });
    const llm = new ChatMixtureOfAgents({
      proposers: [model("a")],
      aggregator: model("judge"),
      layers: 2,
    });
    const agent = createReactAgent({ llm, tools: [getWeather] });
    const stream = await agent.stream(
      { messages: [new HumanMessage("Weather in Rome?")] },
      { streamMode: ["messages", "values"] },
    );
    let text = "";
    let final: { messages: AIMessage[] } | undefined;
    const roles = new Set<unknown>();
    for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
      if (mode === "values") {
        final = chunk as { messages: AIMessage[] };
        continue;
      }
      const [token, metadata] = chunk as [AIMessage, Record<string, unknown>];
      roles.add(metadata.moa_role);
      if (token.getType() === "ai" && metadata.langgraph_node === "agent") {
        text += typeof token.content === "string" ? token.content : "";
      }
    }
    const answer = final!.messages.at(-1)!;
    expect(String(answer.content).length).toBeGreaterThan(0);
    expect(text).toBe(answer.content);
    // No inner call leaked into the agent's stream (they carry `moa_role` metadata).
    expect([...roles]).toEqual([undefined]);
  });
});
