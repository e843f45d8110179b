/**
 * Ablations and budget analysis of Mixture-of-Agents (Wang et al. 2024): the paper's studies
 * (LLM-ranker vs aggregator, number of proposers, model roles, layers) on any benchmark of the
 * evaluation harness, with one shared call cache so a study costs a fraction of running each
 * variant from scratch; per-call and per-layer token, cost, TFLOPs and latency accounting; and
 * score-versus-budget plots with their Pareto fronts (Vega-Lite, rendered server-side).
 *
 * @example
 * ```ts
 * import { runAblationStudy } from "langgraph-moa/ablation";
 *
 * const result = await runAblationStudy({ study: "proposers", benchmark: "alpaca-eval", out: "runs/proposers", loadModel, judge, judgeSpec, maxInstances: 50 });
 * console.log(result.cache.hitRate, result.files.markdown);
 * ```
 *
 * @module
 */
export {
  ABLATION_RUN_METADATA_KEY,
  CallCache,
  type CachedReply,
  type CallCacheStats,
  type CallRecord,
} from "./call-cache.js";
export { CachingChatModel, type CachingChatModelParams } from "./caching-chat-model.js";
export {
  DEFAULT_PARAMETERS,
  callTflops,
  findParameters,
  type ParameterRow,
} from "./model-parameters.js";
export {
  analyzeRunBudget,
  summarizeVariantBudget,
  type BudgetTables,
  type CallBudget,
  type LayerBudget,
  type LayerTotals,
  type BudgetTotals,
  type RunBudgetAnalysis,
  type VariantBudget,
} from "./budget-analysis.js";
export {
  RANK_REPLY_TOKENS,
  estimatePlan,
  type EstimatePlanInput,
  type LatencyAssumptions,
  type PlanConfig,
  type PlanEstimate,
  type PlannedCalls,
  type PlannedLayer,
} from "./estimate-plan.js";
export {
  PROPOSER_COUNTS,
  STUDY_NAMES,
  buildStudy,
  shortName,
  slug,
  type AblationVariant,
  type StudyName,
  type StudyOptions,
  type VariantConfig,
} from "./studies.js";
export {
  ABLATION_BENCHMARKS,
  findPaperFigure,
  type AblationBenchmark,
  type PaperFigure,
} from "./paper-figures.js";
export { paretoFront, type BudgetPoint } from "./pareto-front.js";
export { signTest, type SignTestResult } from "./sign-test.js";
export {
  placeLabels,
  type LabelAnchor,
  type LabelPlacement,
  type Segment,
} from "./label-placement.js";
export {
  pairedBootstrap,
  type PairedBootstrapOptions,
  type PairedBootstrapResult,
} from "./paired-bootstrap.js";
export {
  comparePairedVariants,
  type PairedComparison,
  type PairedComparisons,
  type ScoredVariant,
} from "./paired-comparison.js";
export { PlottingUnavailableError } from "./plotting-unavailable-error.js";
export {
  PNG_SCALE,
  POINT_LAYER_NAME,
  renderScorePlot,
  scorePlotSpec,
  type RenderedScorePlot,
  type ScorePlotParams,
  type ScorePlotPoint,
} from "./score-plot.js";
export {
  RESULTS_CSV_COLUMNS,
  describeConfig,
  formatResultsCsv,
  formatResultsMarkdown,
} from "./results-table.js";
export {
  createVariantRunner,
  type CreateVariantRunnerParams,
  type VariantAnswer,
  type VariantRunner,
  type VariantSettings,
} from "./variant-runner.js";
export {
  BENCHMARK_STAGES,
  variantStages,
  type VariantStageContext,
  type BenchmarkData,
  type BenchmarkMetric,
  type BenchmarkScore,
  type BenchmarkStages,
} from "./benchmark-stages.js";
export { runAblationStudy, type RunAblationStudyParams } from "./run-ablation-study.js";
export type {
  AblationStudyEvent,
  AblationStudyResult,
  PlotFiles,
  VariantResult,
} from "./study-result.js";
