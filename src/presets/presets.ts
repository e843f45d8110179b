import type { AggregationStrategy } from "../plan/proposer-spec.js";

/** A named, serializable MoA configuration with "provider:model" strings. */
export interface MoaPreset {
  /** What the preset reproduces. */
  description: string;
  proposers: readonly string[];
  aggregator: string;
  layers: number;
  aggregation: AggregationStrategy;
  /** Samples per proposer (6 for Self-MoA). */
  samples: number;
  /** Sampling temperature of every call (the paper: 0.7). */
  temperature: number;
  /** Output cap of every call (the reference code: 2048). */
  maxTokens: number;
}

/** The six open models of the paper's MoA, as Together AI model ids. */
export const PAPER_PROPOSERS: readonly string[] = [
  "together:Qwen/Qwen1.5-110B-Chat",
  "together:Qwen/Qwen1.5-72B-Chat",
  "together:microsoft/WizardLM-2-8x22B",
  "together:meta-llama/Llama-3-70b-chat-hf",
  "together:mistralai/Mixtral-8x22B-Instruct-v0.1",
  "together:databricks/dbrx-instruct",
];

const PAPER_SAMPLING = { samples: 1, temperature: 0.7, maxTokens: 2048 } as const;

/**
 * The presets: the paper's three configurations (Table 2: MoA, MoA-Lite, MoA w/ GPT-4o), the
 * single-proposer ablation (Self-MoA: one model sampled six times), and the LLM-ranker ablation.
 */
export const PRESETS = {
  moa: {
    description:
      "The paper's MoA: 3 layers, 6 open proposers, Qwen1.5-110B-Chat aggregator (65.1% LC on AlpacaEval 2.0).",
    proposers: [...PAPER_PROPOSERS],
    aggregator: "together:Qwen/Qwen1.5-110B-Chat",
    layers: 3,
    aggregation: "synthesize",
    ...PAPER_SAMPLING,
  },
  "moa-lite": {
    description: "MoA-Lite: 2 layers, 6 open proposers, Qwen1.5-72B-Chat aggregator (59.3% LC).",
    proposers: [...PAPER_PROPOSERS],
    aggregator: "together:Qwen/Qwen1.5-72B-Chat",
    layers: 2,
    aggregation: "synthesize",
    ...PAPER_SAMPLING,
  },
  "moa-gpt-4o": {
    description: "MoA w/ GPT-4o: 3 layers, 6 open proposers, GPT-4o aggregator (65.7% LC).",
    proposers: [...PAPER_PROPOSERS],
    aggregator: "openai:gpt-4o",
    layers: 3,
    aggregation: "synthesize",
    ...PAPER_SAMPLING,
  },
  "self-moa": {
    description:
      "Single-proposer MoA: Qwen1.5-110B-Chat sampled 6 times at T=0.7, aggregated by itself (2 layers; 56.7% LC in the paper's ablation).",
    proposers: ["together:Qwen/Qwen1.5-110B-Chat"],
    aggregator: "together:Qwen/Qwen1.5-110B-Chat",
    layers: 2,
    aggregation: "synthesize",
    ...PAPER_SAMPLING,
    samples: 6,
  },
  "llm-ranker": {
    description:
      "LLM-ranker ablation: the MoA preset, but Qwen1.5-110B-Chat picks the best last-layer answer instead of synthesizing.",
    proposers: [...PAPER_PROPOSERS],
    aggregator: "together:Qwen/Qwen1.5-110B-Chat",
    layers: 3,
    aggregation: "rank",
    ...PAPER_SAMPLING,
  },
} as const satisfies Record<string, MoaPreset>;

/** Names of the built-in presets. */
export type PresetName = keyof typeof PRESETS;

/** The preset names, for help texts and validation. */
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** The default preset of the CLI and of deployed graphs. */
export const DEFAULT_PRESET: PresetName = "moa";
