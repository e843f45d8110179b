import { describe, expect, it } from "vitest";
import {
  MOA_NODES,
  PAPER_PROPOSERS,
  PRESETS,
  configToParams,
  createMixtureOfAgents,
  parseMoaConfig,
} from "../../../src/index.js";
import { FakeChatModel } from "../../../src/testing/index.js";

describe("presets", () => {
  it("reproduce the paper's configurations", () => {
    expect(PAPER_PROPOSERS).toHaveLength(6);
    expect(PRESETS.moa).toMatchObject({
      layers: 3,
      aggregator: "together:Qwen/Qwen1.5-110B-Chat",
      temperature: 0.7,
    });
    expect(PRESETS["moa-lite"]).toMatchObject({
      layers: 2,
      aggregator: "together:Qwen/Qwen1.5-72B-Chat",
    });
    expect(PRESETS["moa-gpt-4o"]).toMatchObject({ layers: 3, aggregator: "openai:gpt-4o" });
    expect(PRESETS["self-moa"]).toMatchObject({
      proposers: ["together:Qwen/Qwen1.5-110B-Chat"],
      samples: 6,
    });
    expect(PRESETS["llm-ranker"]).toMatchObject({ aggregation: "rank", layers: 3 });
  });

  it.each(Object.keys(PRESETS))(
    "%s builds a graph, loading each distinct model once",
    async (preset) => {
      const loaded: string[] = [];
      const params = configToParams(parseMoaConfig({ preset }, "test"), (spec, sampling) => {
        loaded.push(spec);
        return new FakeChatModel({
          model: spec,
          temperature: sampling.temperature,
          maxTokens: sampling.maxTokens,
        });
      });
      expect(new Set(loaded).size).toBe(loaded.length);
      const graph = createMixtureOfAgents(params).compile();
      const nodes = Object.keys(graph.getGraph().nodes);
      expect(nodes).toContain(
        PRESETS[preset as keyof typeof PRESETS].aggregation === "rank"
          ? MOA_NODES.rank
          : MOA_NODES.aggregate,
      );
      const result = await graph.invoke({ messages: [{ role: "user", content: "hi" }] });
      const expected = PRESETS[preset as keyof typeof PRESETS];
      expect(result.proposals).toHaveLength(
        (expected.layers - 1) * expected.proposers.length * expected.samples,
      );
    },
  );

  it("makes overriding one part of a preset easy", () => {
    const params = configToParams(
      parseMoaConfig({ preset: "moa", aggregator: "openai:gpt-4o" }, "test"),
      (spec) => new FakeChatModel({ model: spec }),
    );
    expect((params.aggregator as { id: string }).id).toBe("gpt-4o");
    expect(params.proposers).toHaveLength(6);
  });
});
