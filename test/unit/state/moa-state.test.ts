import { HumanMessage } from "@langchain/core/messages";
import {
  getInputTypeSchema,
  getOutputTypeSchema,
  getStateTypeSchema,
} from "@langchain/langgraph/zod/schema";
import { describe, expect, it } from "vitest";
import { createConfigurableMixtureOfAgents } from "../../../src/config/create-configurable-mixture-of-agents.js";
import { createMixtureOfAgents } from "../../../src/graph/create-mixture-of-agents.js";
import { MoaInputSchema, MoaStateSchema, moaStateChannels } from "../../../src/state/moa-state.js";
import { reduceProposals } from "../../../src/state/proposal.js";
import { FakeChatModel } from "../../../src/testing/index.js";

const propertiesOf = (schema: unknown) =>
  (schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};

const STATE_FIELDS = ["messages", "proposals", "aggregation", "usage", "turnId"];

function graphWith(options: { failing?: boolean; aggregation?: "synthesize" | "rank" } = {}) {
  return createMixtureOfAgents({
    proposers: [
      new FakeChatModel({ model: "a" }),
      options.failing
        ? new FakeChatModel({ model: "b", fail: () => new Error("provider down") })
        : new FakeChatModel({ model: "b" }),
    ],
    aggregator: new FakeChatModel({ model: "judge", reply: "1" }),
    layers: 3,
    aggregation: options.aggregation ?? "synthesize",
  });
}

describe("MoaStateSchema and the channels the graph runs on", () => {
  it("derives the same channels LangGraph derives from the schema (reducers and defaults)", () => {
    const channels = moaStateChannels();
    expect(Object.keys(channels)).toEqual(STATE_FIELDS);
    const proposals = channels.proposals as { operator?: unknown };
    expect(proposals.operator).toBe(reduceProposals);
  });

  it.each([
    { name: "a successful run", options: {} },
    { name: "a run with a failed proposer", options: { failing: true } },
    { name: "a ranker run", options: { aggregation: "rank" as const } },
  ])("writes a final state that MoaStateSchema accepts: $name", async ({ options }) => {
    // The library graph does not re-validate node writes (LangGraph's per-write check costs a
    // fifth of its orchestration time), so this is where our nodes' output is checked.
    const result = await graphWith(options)
      .compile()
      .invoke({ messages: [new HumanMessage("why is the sky blue?")] });
    const parsed = MoaStateSchema.safeParse(result);
    expect(parsed.error?.issues).toBeUndefined();
    if (options.failing) {
      expect(result.proposals.filter((proposal) => proposal.status === "error")).toHaveLength(2);
    }
    expect(Object.keys(result).sort()).toEqual([...STATE_FIELDS].sort());
  });

  it("still validates a run's input, naming the field", async () => {
    const graph = graphWith().compile();
    await expect(graph.invoke({ messages: 42 } as never)).rejects.toThrow(/messages/);
    await expect(
      graph.invoke({ messages: [new HumanMessage("q")], proposals: [{ layer: "one" }] } as never),
    ).rejects.toThrow(/proposals/);
  });

  it("accepts message-likes as input, as a zod state's input does", async () => {
    expect(MoaInputSchema.safeParse({ messages: [{ role: "user", content: "hi" }] }).success).toBe(
      true,
    );
    expect(MoaInputSchema.safeParse({}).success).toBe(true);
    const result = await graphWith()
      .compile()
      .invoke({ messages: [{ role: "user", content: "why is the sky blue?" }] } as never);
    expect(result.messages.map((message) => message.getType())).toEqual(["human", "ai"]);
  });

  it("exposes input and output schemas from the library graph, and the state schema only from the deployed graph", () => {
    const library = graphWith().compile();
    expect(Object.keys(propertiesOf(getInputTypeSchema(library)))).toEqual(STATE_FIELDS);
    expect(Object.keys(propertiesOf(getOutputTypeSchema(library)))).toEqual(STATE_FIELDS);
    expect(getStateTypeSchema(library)).toBeUndefined();

    const deployed = createConfigurableMixtureOfAgents({
      loadModel: (spec) => new FakeChatModel({ model: spec }),
    }).compile();
    expect(Object.keys(propertiesOf(getStateTypeSchema(deployed)))).toEqual(STATE_FIELDS);
    expect(propertiesOf(getInputTypeSchema(deployed)).messages).toMatchObject({
      langgraph_type: "messages",
    });
  });
});
