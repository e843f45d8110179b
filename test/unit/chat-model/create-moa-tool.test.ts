import { describe, expect, it } from "vitest";
import { AIMessage, HumanMessage, type ToolMessage } from "@langchain/core/messages";
import { createReactAgent } from "@langchain/langgraph/prebuilt";
import { createMoaTool, type MoaRunDetails } from "../../../src/index.js";
import { FakeChatModel } from "../../../src/testing/index.js";
import { ToolCallingFake } from "./support.js";

describe("createMoaTool", () => {
  it("answers { question, context } with the MoA answer and the run's details as artifact", async () => {
    const a = new FakeChatModel({ model: "a", reply: "blue" });
    const judge = new FakeChatModel({ model: "judge", reply: "Blue, from Rayleigh scattering." });
    const moaTool = createMoaTool({ proposers: [a], aggregator: judge, layers: 2 });
    expect(moaTool.name).toBe("mixture_of_agents");
    const message = (await moaTool.invoke({
      type: "tool_call",
      id: "t1",
      name: moaTool.name,
      args: { question: "Sky colour?", context: "It is noon." },
    })) as ToolMessage;
    expect(message.content).toBe("Blue, from Rayleigh scattering.");
    const artifact = message.artifact as MoaRunDetails;
    expect(artifact.proposals).toEqual([
      expect.objectContaining({ layer: 1, proposerId: "a", status: "ok" }),
    ]);
    expect(artifact.aggregation).toMatchObject({ aggregatorId: "judge", references: 1 });
    expect(artifact.usage.inputTokens).toBeGreaterThan(0);
    const seen = a.recorder.calls[0]!.messages;
    expect(seen.map((m) => m.getType())).toEqual(["system", "human"]);
    expect(seen[0]!.content).toBe("Context:\nIt is noon.");
  });

  it("is called by a ReAct agent, whose ToolMessage carries the artifact", async () => {
    const judge = new FakeChatModel({ model: "judge", reply: "Paris." });
    const moaTool = createMoaTool({
      proposers: [new FakeChatModel({ model: "a", reply: "Paris" })],
      aggregator: judge,
      layers: 2,
      name: "ask_panel",
    });
    const planner = new ToolCallingFake((messages, tools) =>
      messages.at(-1)?.getType() === "tool"
        ? `The panel says: ${String(messages.at(-1)!.content)}`
        : new AIMessage({
            content: "",
            tool_calls: [{ id: "c1", name: tools[0]!, args: { question: "Capital of France?" } }],
          }),
    );
    const agent = createReactAgent({ llm: planner, tools: [moaTool] });
    const result = await agent.invoke({ messages: [new HumanMessage("Capital of France?")] });
    expect(result.messages.map((m) => m.getType())).toEqual(["human", "ai", "tool", "ai"]);
    const toolMessage = result.messages[2] as ToolMessage;
    expect(toolMessage.content).toBe("Paris.");
    expect((toolMessage.artifact as MoaRunDetails).proposals).toHaveLength(1);
    expect(result.messages.at(-1)?.content).toBe("The panel says: Paris.");
    expect(planner.calls[0]!.tools).toEqual(["ask_panel"]);
  });
});
