import { describe, expect, it } from "vitest";
import { buildStudy, shortName, slug, type StudyName } from "../../../src/ablation/studies.js";
import { InvalidArgumentError, ModelSpecError } from "../../../src/errors/index.js";
import { PAPER_PROPOSERS } from "../../../src/presets/presets.js";

const models = ["together:org/a-1", "together:org/b-2", "together:org/c-3"];

describe("buildStudy", () => {
  it.each<[StudyName, number | undefined, string[]]>([
    ["ranker", undefined, ["alone", "aggregator-l2", "ranker-l2", "aggregator-l3", "ranker-l3"]],
    ["ranker", 2, ["alone", "aggregator-l2", "ranker-l2"]],
    ["layers", undefined, ["l1", "l2", "l3"]],
    ["layers", 4, ["l1", "l2", "l3", "l4"]],
    ["proposers", undefined, ["n1", "multi-n2", "single-n2", "multi-n3", "single-n3"]],
    [
      "roles",
      undefined,
      [
        "aggregator-a-1",
        "aggregator-b-2",
        "aggregator-c-3",
        "proposer-a-1",
        "proposer-b-2",
        "proposer-c-3",
      ],
    ],
  ])("builds the complete %s grid (layers %s)", (study, layers, ids) => {
    const variants = buildStudy(study, { models, ...(layers ? { layers } : {}) });
    expect(variants.map((variant) => variant.id)).toEqual(ids);
  });

  it("builds the paper's proposer counts 1, 2, 3, 6 for the six paper models", () => {
    const ids = buildStudy("proposers").map((variant) => variant.id);
    expect(ids).toEqual([
      "n1",
      "multi-n2",
      "single-n2",
      "multi-n3",
      "single-n3",
      "multi-n6",
      "single-n6",
    ]);
  });

  it("adds the full model count when it is not one of 1, 2, 3, 6", () => {
    const four = [...models, "together:org/d-4"];
    expect(
      buildStudy("proposers", { models: four })
        .map((variant) => variant.id)
        .slice(-2),
    ).toEqual(["multi-n4", "single-n4"]);
  });

  it("configures the ranker study: same proposers and aggregator, synthesize vs rank per layer count", () => {
    const variants = buildStudy("ranker", { models });
    expect(variants[0]!.config).toEqual({
      proposers: [],
      samples: 1,
      aggregator: models[0],
      layers: 1,
      aggregation: "synthesize",
    });
    expect(variants.find((variant) => variant.id === "ranker-l3")!.config).toEqual({
      proposers: models,
      samples: 1,
      aggregator: models[0],
      layers: 3,
      aggregation: "rank",
    });
  });

  it("configures the proposers study: first n models vs the first model sampled n times, 2 layers", () => {
    const variants = Object.fromEntries(
      buildStudy("proposers", { models }).map((variant) => [variant.id, variant.config]),
    );
    expect(variants["multi-n2"]).toMatchObject({
      proposers: models.slice(0, 2),
      samples: 1,
      layers: 2,
    });
    expect(variants["single-n3"]).toMatchObject({ proposers: [models[0]], samples: 3, layers: 2 });
    expect(variants.n1).toMatchObject({ proposers: [models[0]], samples: 1 });
  });

  it("configures the roles study: each model aggregates all, or proposes alone ×n to the fixed aggregator", () => {
    const variants = Object.fromEntries(
      buildStudy("roles", { models, aggregator: models[2] }).map((variant) => [
        variant.id,
        variant.config,
      ]),
    );
    expect(variants["aggregator-b-2"]).toMatchObject({
      proposers: models,
      aggregator: models[1],
      samples: 1,
    });
    expect(variants["proposer-b-2"]).toMatchObject({
      proposers: [models[1]],
      aggregator: models[2],
      samples: 3,
    });
  });

  it("defaults to the paper's six models with Qwen1.5-110B-Chat aggregating", () => {
    const [alone] = buildStudy("layers");
    expect(alone!.config.aggregator).toBe(PAPER_PROPOSERS[0]);
    expect(buildStudy("layers")[1]!.config.proposers).toEqual([...PAPER_PROPOSERS]);
  });

  it.each<[string, () => unknown, string]>([
    ["an unknown study", () => buildStudy("bogus" as StudyName), "study"],
    ["no models", () => buildStudy("layers", { models: [] }), "models"],
    [
      "a repeated model",
      () => buildStudy("layers", { models: [models[0]!, models[0]!] }),
      "models",
    ],
    [
      "two models with one short name",
      () => buildStudy("roles", { models: ["together:a/x", "groq:b/x"] }),
      "models",
    ],
    ["ranker with 1 layer", () => buildStudy("ranker", { models, layers: 1 }), "layers"],
    ["proposers with 1 layer", () => buildStudy("proposers", { models, layers: 1 }), "layers"],
    ["a fractional layer count", () => buildStudy("layers", { models, layers: 2.5 }), "layers"],
  ])("rejects %s naming the option", (_name, build, parameter) => {
    try {
      build();
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).parameter).toBe(parameter);
    }
  });

  it("rejects a malformed model string", () => {
    expect(() => buildStudy("layers", { models: ["no-provider"] })).toThrow(ModelSpecError);
  });
});

describe("names", () => {
  it.each([
    ["together:Qwen/Qwen1.5-110B-Chat", "Qwen1.5-110B-Chat", "qwen1.5-110b-chat"],
    ["openai:gpt-4o", "gpt-4o", "gpt-4o"],
    ["ollama:llama3:8b", "llama3:8b", "llama3-8b"],
  ])("%s → %s, %s", (spec, short, id) => {
    expect(shortName(spec)).toBe(short);
    expect(slug(spec)).toBe(id);
  });
});
