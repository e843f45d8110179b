import type { AggregationStrategy } from "../plan/proposer-spec.js";
import type { VariantConfig } from "./studies.js";
import { splitModelSpec } from "../models/parse-model-spec.js";

import { BENCHMARK_NAMES, type BenchmarkName } from "../eval/benchmarks/registry.js";

/**
 * The benchmarks an ablation study can score variants on: every benchmark of the registry.
 * @deprecated use `BENCHMARK_NAMES` from the eval entry (kept so existing imports work).
 */
export const ABLATION_BENCHMARKS: readonly BenchmarkName[] = BENCHMARK_NAMES;

/**
 * One of {@link ABLATION_BENCHMARKS}.
 * @deprecated use `BenchmarkName` from the eval entry.
 */
export type AblationBenchmark = BenchmarkName;

/** A number the paper published for a configuration. */
export interface PaperFigure {
  /** The published value, in the unit of the benchmark's score; absent for figure-only results. */
  value?: number;
  /** Where it is published, e.g. `Table 3`. */
  source: string;
  /** What to keep in mind when comparing (e.g. an unnamed subset of models). */
  note?: string;
}

const PAPER = "Wang et al. 2024 (arXiv:2406.04692)";
const QWEN_110B = "Qwen/Qwen1.5-110B-Chat";
const QWEN_72B = "Qwen/Qwen1.5-72B-Chat";
const WIZARD = "microsoft/WizardLM-2-8x22B";
const LLAMA = "meta-llama/Llama-3-70b-chat-hf";
const MIXTRAL = "mistralai/Mixtral-8x22B-Instruct-v0.1";
const DBRX = "databricks/dbrx-instruct";
/** The paper's six proposers, as model ids (provider prefixes dropped). */
const SIX = [QWEN_110B, QWEN_72B, WIZARD, LLAMA, MIXTRAL, DBRX];

interface FigureRow {
  benchmark: AblationBenchmark;
  /** Model ids of the proposers (any order), or `{ subsetOf, size }` for unnamed subsets. */
  proposers: readonly string[] | { subsetOf: readonly string[]; size: number };
  samples: number;
  aggregator: string | readonly string[];
  layers: number;
  aggregation: AggregationStrategy;
  figure: PaperFigure;
}

const single = (
  benchmark: AblationBenchmark,
  aggregator: string | readonly string[],
  value: number,
  source: string,
  note?: string,
): FigureRow => ({
  benchmark,
  proposers: [],
  samples: 1,
  aggregator,
  layers: 1,
  aggregation: "synthesize",
  figure: { value, source: `${PAPER}, ${source}`, ...(note ? { note } : {}) },
});

const moa = (
  benchmark: AblationBenchmark,
  proposers: FigureRow["proposers"],
  samples: number,
  aggregator: string,
  layers: number,
  figure: PaperFigure,
  aggregation: AggregationStrategy = "synthesize",
): FigureRow => ({
  benchmark,
  proposers,
  samples,
  aggregator,
  layers,
  aggregation,
  figure: { ...figure, source: `${PAPER}, ${figure.source}` },
});

const GPT_4O = ["gpt-4o", "gpt-4o-2024-05-13"];

/**
 * Published numbers of the paper (see `numbers.md` of the project's shared data): AlpacaEval 2.0
 * LC win rate (%), MT-Bench average score (GPT-4 judge). FLASK is published as a radar chart
 * only, and the LLM-ranker comparison as a figure only.
 */
const FIGURES: readonly FigureRow[] = [
  // AlpacaEval 2.0, Table 2a: single models and the three MoA configurations.
  single("alpaca-eval", QWEN_110B, 43.9, "Table 2a"),
  single("alpaca-eval", QWEN_72B, 36.6, "Table 2a"),
  single("alpaca-eval", LLAMA, 34.4, "Table 2a"),
  single("alpaca-eval", MIXTRAL, 30.9, "Table 2a"),
  single("alpaca-eval", WIZARD, 51.3, "Table 2a", "the authors' own run of WizardLM 8x22B"),
  single("alpaca-eval", GPT_4O, 57.5, "Table 2a"),
  single("alpaca-eval", "gpt-4-turbo-2024-04-09", 55.0, "Table 2a"),
  single("alpaca-eval", "gpt-4-1106-preview", 50.0, "Table 2a"),
  single("alpaca-eval", "gpt-4-0314", 35.3, "Table 2a"),
  moa("alpaca-eval", SIX, 1, QWEN_110B, 3, { value: 65.1, source: "Table 2a (MoA)" }),
  moa("alpaca-eval", SIX, 1, "gpt-4o", 3, { value: 65.7, source: "Table 2a (MoA w/ GPT-4o)" }),
  moa("alpaca-eval", SIX, 1, "gpt-4o-2024-05-13", 3, {
    value: 65.7,
    source: "Table 2a (MoA w/ GPT-4o)",
  }),
  // Table 3 (2 layers, Qwen1.5-110B aggregates): n different models / Qwen sampled n times.
  moa("alpaca-eval", SIX, 1, QWEN_110B, 2, { value: 61.3, source: "Table 3 (n = 6) and Table 4" }),
  moa("alpaca-eval", { subsetOf: SIX, size: 3 }, 1, QWEN_110B, 2, {
    value: 58.0,
    source: "Table 3 (n = 3, multiple proposers)",
    note: "the paper does not name its three models",
  }),
  moa("alpaca-eval", { subsetOf: SIX, size: 2 }, 1, QWEN_110B, 2, {
    value: 58.8,
    source: "Table 3 (n = 2, multiple proposers)",
    note: "the paper does not name its two models",
  }),
  moa("alpaca-eval", [QWEN_110B], 1, QWEN_110B, 2, { value: 47.8, source: "Table 3 (n = 1)" }),
  moa("alpaca-eval", [QWEN_110B], 2, QWEN_110B, 2, {
    value: 54.5,
    source: "Table 3 (n = 2, single proposer)",
  }),
  moa("alpaca-eval", [QWEN_110B], 3, QWEN_110B, 2, {
    value: 56.1,
    source: "Table 3 (n = 3, single proposer)",
  }),
  // Table 4: each model as aggregator (all six propose) / as the only proposer (6 samples).
  ...(
    [
      [QWEN_72B, 59.3],
      [LLAMA, 45.0],
      [WIZARD, 52.9],
      [MIXTRAL, 48.4],
      [DBRX, 41.5],
    ] as const
  ).map(([model, value]) =>
    moa("alpaca-eval", SIX, 1, model, 2, { value, source: "Table 4 (as aggregator)" }),
  ),
  ...(
    [
      [QWEN_110B, 56.7],
      [QWEN_72B, 53.3],
      [LLAMA, 60.6],
      [WIZARD, 63.8],
      [MIXTRAL, 54.8],
      [DBRX, 55.1],
    ] as const
  ).map(([model, value]) =>
    moa("alpaca-eval", [model], 6, QWEN_110B, 2, { value, source: "Table 4 (as only proposer)" }),
  ),
  // Figure 4a: the LLM-ranker against the aggregator, published as a figure only.
  ...[2, 3, 4].map((layers) =>
    moa(
      "alpaca-eval",
      SIX,
      1,
      QWEN_110B,
      layers,
      {
        source: "Figure 4a",
        note: "figure only: the aggregator beats the ranker at every layer count",
      },
      "rank",
    ),
  ),
  // MT-Bench, Table 2b (average of both turns).
  single("mt-bench", QWEN_110B, 8.96, "Table 2b"),
  single("mt-bench", LLAMA, 8.94, "Table 2b"),
  single("mt-bench", MIXTRAL, 8.78, "Table 2b"),
  single("mt-bench", WIZARD, 8.78, "Table 2b"),
  single("mt-bench", QWEN_72B, 8.44, "Table 2b"),
  single("mt-bench", GPT_4O, 9.19, "Table 2b"),
  single("mt-bench", "gpt-4-turbo-2024-04-09", 9.31, "Table 2b"),
  single("mt-bench", "gpt-4-1106-preview", 9.2, "Table 2b"),
  single("mt-bench", ["gpt-4-0613", "gpt-4"], 8.84, "Table 2b"),
  moa("mt-bench", SIX, 1, QWEN_110B, 3, { value: 9.25, source: "Table 2b (MoA)" }),
  moa("mt-bench", SIX, 1, "gpt-4o", 3, { value: 9.4, source: "Table 2b (MoA w/ GPT-4o)" }),
  moa("mt-bench", SIX, 1, "gpt-4o-2024-05-13", 3, {
    value: 9.4,
    source: "Table 2b (MoA w/ GPT-4o)",
  }),
  moa("mt-bench", SIX, 1, QWEN_72B, 2, { value: 9.18, source: "Table 2b (MoA-Lite)" }),
];

/**
 * The paper's published number for a configuration on a benchmark, when there is one. Models
 * are compared by model id (the provider prefix is ignored, so simulated and real runs of the
 * paper's models match alike); proposers in any order.
 *
 * @example
 * ```ts
 * findPaperFigure("alpaca-eval", { proposers: ["together:Qwen/Qwen1.5-110B-Chat"], samples: 6,
 *   aggregator: "together:Qwen/Qwen1.5-110B-Chat", layers: 2, aggregation: "synthesize" })?.value; // 56.7
 * ```
 */
export function findPaperFigure(
  benchmark: AblationBenchmark,
  config: VariantConfig,
): PaperFigure | undefined {
  const proposers = config.layers > 1 ? config.proposers.map(modelId) : [];
  const aggregator = modelId(config.aggregator);
  const samples = config.layers > 1 ? config.samples : 1;
  const row = FIGURES.find(
    (figure) =>
      figure.benchmark === benchmark &&
      figure.layers === config.layers &&
      figure.aggregation === config.aggregation &&
      figure.samples === samples &&
      (typeof figure.aggregator === "string"
        ? figure.aggregator === aggregator
        : figure.aggregator.includes(aggregator)) &&
      proposersMatch(figure.proposers, proposers),
  );
  return row?.figure;
}

function proposersMatch(expected: FigureRow["proposers"], actual: readonly string[]): boolean {
  if (!Array.isArray(expected)) {
    const { subsetOf, size } = expected as { subsetOf: readonly string[]; size: number };
    return (
      actual.length === size &&
      new Set(actual).size === size &&
      actual.every((model) => subsetOf.includes(model))
    );
  }
  const list = expected as readonly string[];
  return (
    list.length === actual.length && [...list].sort().join("\n") === [...actual].sort().join("\n")
  );
}

function modelId(spec: string): string {
  return splitModelSpec(spec).model;
}
