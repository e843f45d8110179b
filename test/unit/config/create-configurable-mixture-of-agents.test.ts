import { HumanMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import {
  InvalidConfigError,
  MOA_NODES,
  createConfigurableMixtureOfAgents,
} from "../../../src/index.js";
import { FakeChatModel } from "../../../src/testing/index.js";

function setup() {
  const models = new Map<string, FakeChatModel>();
  const graph = createConfigurableMixtureOfAgents({
    loadModel: (spec, sampling) => {
      const model = new FakeChatModel({ model: spec, temperature: sampling.temperature });
      models.set(spec, model);
      return model;
    },
    defaults: { proposers: ["sim:a", "sim:b"], aggregator: "sim:agg", layers: 2 },
  }).compile();
  return { graph, models };
}

describe("createConfigurableMixtureOfAgents", () => {
  it("contains both final nodes so a run's context can pick either", () => {
    const nodes = Object.keys(setup().graph.getGraph().nodes);
    expect(nodes).toEqual(expect.arrayContaining([MOA_NODES.aggregate, MOA_NODES.rank]));
  });

  it("takes its models from the run's context, over the defaults", async () => {
    const { graph, models } = setup();
    const result = await graph.invoke(
      { messages: [new HumanMessage("q")] },
      { context: { proposers: ["sim:x", "sim:y", "sim:z"], layers: 3, temperature: 0.2 } },
    );
    expect(result.proposals.map((proposal) => proposal.proposerId)).toEqual([
      "x",
      "y",
      "z",
      "x",
      "y",
      "z",
    ]);
    expect(models.get("sim:x")!.recorder.count).toBe(2);
    expect(models.get("sim:x")!.temperature).toBe(0.2);
    expect(models.get("sim:agg")!.recorder.count).toBe(1);
    expect(models.has("sim:a")).toBe(false);
  });

  it("renders references in delimited tags when the context asks for it", async () => {
    const { graph, models } = setup();
    await graph.invoke(
      { messages: [new HumanMessage("q")] },
      { context: { referenceFormat: "delimited" } },
    );
    const system = String(models.get("sim:agg")!.recorder.calls[0]!.messages[0]!.content);
    expect(system.match(/^<reference index="\d">$/gm)).toEqual([
      '<reference index="1">',
      '<reference index="2">',
    ]);
  });

  it("runs the ranker when the context asks for it", async () => {
    const { graph } = setup();
    const result = await graph.invoke(
      { messages: [new HumanMessage("q")] },
      { context: { aggregation: "rank" } },
    );
    expect(result.aggregation?.mode).toBe("rank");
  });

  it("rejects a context that breaks the schema before any model is called", async () => {
    // LangGraph validates `context` against the graph's context schema itself (a ZodError
    // carrying our per-field messages); nothing runs.
    const { graph, models } = setup();
    const error = await graph
      .invoke({ messages: [new HumanMessage("q")] }, { context: { layers: 0, samples: -1 } })
      .catch((caught: unknown) => caught);
    expect(String((error as Error).message)).toMatch(/"layers"[\s\S]*must be ≥ 1/);
    expect(String((error as Error).message)).toMatch(/"samples"/);
    expect(models.size).toBe(0);
  });

  it("rejects a context whose fields conflict with a typed error before any model is called", async () => {
    const { graph, models } = setup();
    const error = await graph
      .invoke({ messages: [new HumanMessage("q")] }, { context: { minProposals: 5 } })
      .catch((caught: unknown) => caught);
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    expect((error as InvalidConfigError).issues[0]!.path).toBe("minProposals");
    expect((error as Error).message).toMatch(/Invalid context/);
    expect(models.size).toBe(0);
  });

  it("reuses the models of an identical context across runs", async () => {
    const { graph, models } = setup();
    await graph.invoke({ messages: [new HumanMessage("1")] }, { context: {} });
    const first = models.get("sim:a");
    await graph.invoke({ messages: [new HumanMessage("2")] }, { context: {} });
    expect(models.get("sim:a")).toBe(first);
    expect(first!.recorder.count).toBe(2);
  });
});
