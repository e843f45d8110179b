import { describe, expect, it } from "vitest";
import { findPaperFigure } from "../../../src/ablation/paper-figures.js";
import { buildStudy, type VariantConfig } from "../../../src/ablation/studies.js";
import { PAPER_PROPOSERS } from "../../../src/presets/presets.js";

const [QWEN_110B, QWEN_72B, WIZARD, LLAMA, MIXTRAL, DBRX] = PAPER_PROPOSERS as [
  string,
  string,
  string,
  string,
  string,
  string,
];

const config = (overrides: Partial<VariantConfig>): VariantConfig => ({
  proposers: [...PAPER_PROPOSERS],
  samples: 1,
  aggregator: QWEN_110B,
  layers: 2,
  aggregation: "synthesize",
  ...overrides,
});

describe("findPaperFigure", () => {
  it.each<[string, VariantConfig, number | undefined]>([
    ["MoA (Table 2a)", config({ layers: 3 }), 65.1],
    ["MoA-Lite (Table 2a)", config({ aggregator: QWEN_72B }), 59.3],
    ["MoA w/ GPT-4o", config({ layers: 3, aggregator: "openai:gpt-4o" }), 65.7],
    ["six proposers, 2 layers (Tables 3 and 4)", config({}), 61.3],
    ["Qwen1.5-110B alone", config({ proposers: [], layers: 1 }), 43.9],
    ["GPT-4o alone", config({ proposers: [], layers: 1, aggregator: "openai:gpt-4o" }), 57.5],
    ["n = 1", config({ proposers: [QWEN_110B] }), 47.8],
    ["Qwen sampled 2 times", config({ proposers: [QWEN_110B], samples: 2 }), 54.5],
    ["Qwen sampled 3 times", config({ proposers: [QWEN_110B], samples: 3 }), 56.1],
    ["any two paper models", config({ proposers: [LLAMA, DBRX] }), 58.8],
    ["any three paper models", config({ proposers: [WIZARD, MIXTRAL, QWEN_72B] }), 58.0],
    ["Llama aggregating all six", config({ aggregator: LLAMA }), 45.0],
    ["WizardLM as only proposer ×6", config({ proposers: [WIZARD], samples: 6 }), 63.8],
    [
      "proposers in another order",
      config({ proposers: [...PAPER_PROPOSERS].reverse(), layers: 3 }),
      65.1,
    ],
    [
      "the same models under another provider prefix",
      config({
        proposers: PAPER_PROPOSERS.map((spec) => spec.replace("together:", "openai:")),
        layers: 3,
      }),
      65.1,
    ],
  ])("finds %s", (_name, variant, value) => {
    expect(findPaperFigure("alpaca-eval", variant)?.value).toBe(value);
  });

  it.each<[string, VariantConfig]>([
    ["a model outside the paper", config({ proposers: [QWEN_110B, "openai:gpt-4o-mini"] })],
    ["WizardLM sampled twice (not published)", config({ proposers: [WIZARD], samples: 2 })],
    ["four layers", config({ layers: 4 })],
    ["dbrx alone (no row)", config({ proposers: [], layers: 1, aggregator: DBRX })],
  ])("has nothing for %s", (_name, variant) => {
    expect(findPaperFigure("alpaca-eval", variant)).toBeUndefined();
  });

  it("marks the LLM-ranker as figure-only and names unnamed subsets", () => {
    const ranker = findPaperFigure("alpaca-eval", config({ layers: 3, aggregation: "rank" }));
    expect(ranker).toMatchObject({ source: expect.stringContaining("Figure 4a") });
    expect(ranker?.value).toBeUndefined();
    expect(findPaperFigure("alpaca-eval", config({ proposers: [LLAMA, DBRX] }))?.note).toMatch(
      /does not name/,
    );
  });

  it("has MT-Bench figures for MoA, MoA-Lite and single models, and none for FLASK", () => {
    expect(findPaperFigure("mt-bench", config({ layers: 3 }))?.value).toBe(9.25);
    expect(findPaperFigure("mt-bench", config({ aggregator: QWEN_72B }))?.value).toBe(9.18);
    expect(findPaperFigure("mt-bench", config({ proposers: [], layers: 1 }))?.value).toBe(8.96);
    expect(findPaperFigure("flask", config({ layers: 3 }))).toBeUndefined();
  });

  it("places a published figure next to every variant of the paper's own studies", () => {
    const proposers = buildStudy("proposers").map(
      (variant) => findPaperFigure("alpaca-eval", variant.config)?.value,
    );
    expect(proposers).toEqual([47.8, 58.8, 54.5, 58.0, 56.1, 61.3, 56.7]);
    const roles = buildStudy("roles").map(
      (variant) => findPaperFigure("alpaca-eval", variant.config)?.value,
    );
    expect(roles).toEqual([61.3, 59.3, 52.9, 45.0, 48.4, 41.5, 56.7, 53.3, 63.8, 60.6, 54.8, 55.1]);
  });
});
