import type { StageProgress } from "../eval/stages/stage-progress.js";
import type { PriceRow } from "../models/price-table.js";
import type { Usage } from "../state/proposal.js";
import type { BenchmarkMetric, BenchmarkScore } from "./benchmark-stages.js";
import type { VariantBudget } from "./budget-analysis.js";
import type { CallCacheStats } from "./call-cache.js";
import type { ParameterRow } from "./model-parameters.js";
import type { PairedComparisons } from "./paired-comparison.js";
import type { BenchmarkName } from "../eval/benchmarks/registry.js";
import type { PaperFigure } from "./paper-figures.js";
import type { AblationVariant, StudyName } from "./studies.js";
import type { VariantSettings } from "./variant-runner.js";

/** One variant's outcome. */
export interface VariantResult {
  variant: AblationVariant;
  /** The benchmark score; `undefined` when nothing could be judged. */
  score?: BenchmarkScore;
  /** The paper's number for the same configuration, when it published one. */
  paper?: PaperFigure;
  /** Tokens, cost, TFLOPs and critical-path latency over the variant's queries. */
  budget: VariantBudget;
  /** Queries of the evaluated instances without a recorded budget (failed generations). */
  missingRuns: number;
  /** Wall time of this variant's generation in this study (cache hits included). */
  generationWallTimeMs: number;
  /** Wall time of its judging. */
  judgeWallTimeMs: number;
  /** Instances still failed after generation and judging (a rerun retries them). */
  failures: number;
  /** The variant's files. */
  files: { directory: string; answers: string; judgments: string; runs: string };
}

/** A rendered plot's files. */
export interface PlotFiles {
  svg: string;
  png: string;
  /** Variants drawn (one point each). */
  points: number;
  /** Variants left out because their budget or score is unknown. */
  omitted: string[];
}

/** Everything a study produced; `study.json` holds it. */
export interface AblationStudyResult {
  study: StudyName;
  benchmark: BenchmarkName;
  metric: BenchmarkMetric;
  /** True when every model and judge was the loopback simulator (synthetic numbers). */
  simulated: boolean;
  /** The judge, `provider:model`. */
  judge: string;
  /** Instances per variant (`undefined`: the whole benchmark). */
  maxInstances?: number;
  settings: VariantSettings;
  variants: VariantResult[];
  /** Proposer and aggregator calls made by this run of the study, and how many the cache served. */
  cache: CallCacheStats;
  /**
   * Over every recorded query of every variant (earlier runs of the study included): calls, and
   * how many were replayed from the shared cache instead of being made again.
   */
  sharing: { calls: number; cachedCalls: number; rate: number };
  /**
   * Each variant against the study's first variant on the same instances (paired bootstrap and
   * sign test); `undefined` when the first variant has no per-instance scores.
   */
  comparisons?: PairedComparisons;
  /** Judge replies served from the shared judgment cache in this study. */
  judgeCacheHits: number;
  /** Judge tokens and list-price cost of this study (cached replies cost nothing). */
  judgeUsage: Usage;
  judgeCostUsd: number;
  /** Price rows used by the budget (every row with its source and date). */
  prices: PriceRow[];
  /** Parameter rows used by the TFLOPs estimates (with their sources). */
  parameters: ParameterRow[];
  /** The files written. */
  files: {
    directory: string;
    markdown: string;
    csv: string;
    json: string;
    callCache?: string;
    judgeCache?: string;
    costPlot?: PlotFiles;
    tflopsPlot?: PlotFiles;
  };
  wallTimeMs: number;
}

/** Progress of a running study. */
export type AblationStudyEvent =
  | { type: "variant-start"; index: number; total: number; variant: AblationVariant }
  | { type: "stage-progress"; variant: AblationVariant; progress: StageProgress }
  | { type: "variant-end"; index: number; total: number; result: VariantResult };
