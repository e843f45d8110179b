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

  it("rejects a context that breaks the schema with a readable InvalidConfigError before any model is called", async () => {
    // LangGraph's own check of `context` never fails (it would throw the raw ZodError JSON);
    // the turn node reports every field with its fix.
    const { graph, models } = setup();
    const error = await graph
      .invoke({ messages: [new HumanMessage("q")] }, { context: { layers: 0, samples: -1 } })
      .catch((caught: unknown) => caught);
    expect(InvalidConfigError.isInstance(error), String(error)).toBe(true);
    expect((error as Error).message).toMatch(/Invalid context:\n {2}- `layers`: must be ≥ 1/);
    expect((error as Error).message).toMatch(/`samples`: must be ≥ 1/);
    expect(models.size).toBe(0);
  });

  it("keeps the error of a context with a 100 KB string readable and under 4 KB", async () => {
    const { graph, models } = setup();
    const huge = "x".repeat(100_000);
    const error = await graph
      .invoke(
        { messages: [new HumanMessage("q")] },
        { context: { aggregator: huge, proposers: [huge, huge], [huge]: 1 } },
      )
      .catch((caught: unknown) => caught);
    expect(InvalidConfigError.isInstance(error), String(error).slice(0, 300)).toBe(true);
    const { message, issues } = error as InvalidConfigError;
    expect(message.length).toBeLessThan(4_000);
    expect(JSON.stringify(issues).length).toBeLessThan(4_000);
    expect(message).toMatch(/^Invalid context:\n/);
    expect(message).toMatch(/`aggregator`: must be a "provider:model" string/);
    expect(message).toMatch(/unknown option\(s\) `x{10}/);
    expect(message).not.toMatch(/"code"|"origin"/); // no raw ZodError JSON
    expect(models.size).toBe(0);
  });

  it("caps a context's lists and counts at the limits before loading any model", async () => {
    const { graph, models } = setup();
    const proposers = Array.from({ length: 10_000 }, (_, index) => `sim:m${index}`);
    const error = await graph
      .invoke({ messages: [new HumanMessage("q")] }, { context: { proposers, samples: 17 } })
      .catch((caught: unknown) => caught);
    expect(InvalidConfigError.isInstance(error), String(error)).toBe(true);
    expect((error as InvalidConfigError).issues.map(({ path }) => path)).toEqual([
      "proposers",
      "samples",
    ]);
    expect((error as Error).message).toMatch(/`proposers`: at most 64 proposers/);
    expect(models.size).toBe(0);
  });

  it("takes its limits from the deployment owner, never from the context", async () => {
    const models = new Map<string, FakeChatModel>();
    const graph = createConfigurableMixtureOfAgents({
      loadModel: (spec) => {
        const model = new FakeChatModel({ model: spec });
        models.set(spec, model);
        return model;
      },
      defaults: { proposers: ["sim:a"], aggregator: "sim:agg", layers: 2 },
      limits: { maxSamples: 32, maxCallsPerRun: 40 },
    }).compile();
    const raised = await graph.invoke(
      { messages: [new HumanMessage("q")] },
      { context: { samples: 32 } },
    );
    expect(raised.proposals).toHaveLength(32);
    const tooMany = await graph
      .invoke({ messages: [new HumanMessage("q")] }, { context: { samples: 20, layers: 3 } })
      .catch((caught: unknown) => caught);
    expect((tooMany as InvalidConfigError).issues?.[0]?.message).toMatch(/41 model calls.*40/);
    const smuggled = await graph
      .invoke(
        { messages: [new HumanMessage("q")] },
        { context: { limits: { maxSamples: 1_000 }, samples: 1_000 } },
      )
      .catch((caught: unknown) => caught);
    expect(InvalidConfigError.isInstance(smuggled)).toBe(true);
    expect((smuggled as Error).message).toMatch(/`samples`: must be ≤ 32/);
    expect((smuggled as Error).message).toMatch(/unknown option\(s\) `limits`/);
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
