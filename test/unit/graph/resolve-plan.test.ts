import { describe, expect, it } from "vitest";
import { fanOut, resolvePlan } from "../../../src/graph/resolve-plan.js";
import { FakeChatModel } from "../../../src/testing/index.js";

const named = (model: string) => new FakeChatModel({ model });

describe("resolvePlan", () => {
  it("resolves one proposer list per proposer layer, with positions and sample counts", () => {
    const a = named("a");
    const b = named("b");
    const plan = resolvePlan({
      proposers: [a, { model: b, samples: 3 }],
      aggregator: named("judge"),
    });
    expect(plan.proposerLayers).toHaveLength(2);
    for (const layer of plan.proposerLayers) {
      expect(layer.map(({ id, index, samples }) => ({ id, index, samples }))).toEqual([
        { id: "a", index: 0, samples: 1 },
        { id: "b", index: 1, samples: 3 },
      ]);
      expect(layer[0]!.model).toBe(a);
      expect(fanOut(layer)).toBe(4);
    }
    expect(plan).toMatchObject({
      aggregation: "synthesize",
      minProposals: 1,
      aggregator: { id: "judge", samples: 1 },
    });
  });

  it("returns no proposer layers for layers 1", () => {
    expect(resolvePlan({ aggregator: named("judge"), layers: 1 }).proposerLayers).toEqual([]);
  });

  it.each<{
    name: string;
    specs: () => Parameters<typeof resolvePlan>[0]["proposers"];
    ids: string[];
  }>([
    { name: "distinct names", specs: () => [named("a"), named("b")], ids: ["a", "b"] },
    {
      name: "a repeated name",
      specs: () => [named("a"), named("a"), named("a")],
      ids: ["a", "a-2", "a-3"],
    },
    {
      name: "an unnamed model",
      specs: () => [new FakeChatModel(), new FakeChatModel()],
      ids: ["fake", "fake-2"],
    },
    { name: "trimmed explicit ids", specs: () => [{ model: named("a"), id: "  x " }], ids: ["x"] },
    {
      name: "repeated explicit ids",
      specs: () => [
        { model: named("a"), id: "x" },
        { model: named("b"), id: "x" },
      ],
      ids: ["x", "x-2"],
    },
    {
      name: "an explicit id equal to a suffixed one",
      specs: () => [named("a"), named("a"), { model: named("b"), id: "a-2" }],
      ids: ["a", "a-3", "a-2"],
    },
    {
      name: "an explicit id equal to a later derived one",
      specs: () => [{ model: named("b"), id: "a" }, named("a")],
      ids: ["a", "a-2"],
    },
    {
      name: "an explicit id equal to an earlier derived one",
      specs: () => [named("a"), { model: named("b"), id: "a" }],
      ids: ["a-2", "a"],
    },
  ])("gives unique ids for $name", ({ specs, ids }) => {
    const plan = resolvePlan({ proposers: specs(), aggregator: named("judge"), layers: 2 });
    const resolved = plan.proposerLayers[0]!.map((proposer) => proposer.id);
    expect(resolved).toEqual(ids);
    expect(new Set(resolved).size).toBe(resolved.length);
  });

  it("gives each layer of layerProposers its own ids", () => {
    const plan = resolvePlan({
      layerProposers: [[named("a"), named("a")], [named("a")]],
      aggregator: named("judge"),
    });
    expect(plan.proposerLayers.map((layer) => layer.map((proposer) => proposer.id))).toEqual([
      ["a", "a-2"],
      ["a"],
    ]);
  });

  it("makes a sampling copy that shares the original's recorder and leaves the original alone", () => {
    const base = new FakeChatModel({ model: "base", temperature: 0.5 });
    const plan = resolvePlan({
      proposers: [{ model: base, temperature: 1.2, maxTokens: 7 }],
      aggregator: base,
      layers: 2,
    });
    const copy = plan.proposerLayers[0]![0]!.model as FakeChatModel;
    expect(copy).not.toBe(base);
    expect(copy).toBeInstanceOf(FakeChatModel);
    expect([copy.temperature, copy.maxTokens]).toEqual([1.2, 7]);
    expect([base.temperature, base.maxTokens]).toEqual([0.5, undefined]);
    expect(copy.recorder).toBe(base.recorder);
    expect(plan.aggregator.model).toBe(base);
  });
});
