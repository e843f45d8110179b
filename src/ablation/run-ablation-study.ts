import { mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { ModelLoader } from "../config/config-to-params.js";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { canonicalJson } from "../eval/content-hash.js";
import { appendJsonl, readJsonl } from "../eval/io/jsonl-file.js";
import { writeFileAtomic } from "../eval/io/write-file-atomic.js";
import type { StageOptions, StageSummary } from "../eval/stages/run-stage.js";
import { JudgmentCache } from "../eval/stages/judgment-cache.js";
import { isChatModel } from "../models/model-name.js";
import { DEFAULT_PRICES, findPrice, type PriceRow } from "../models/price-table.js";
import type { Benchmark } from "../eval/benchmarks/benchmark.js";
import { getBenchmark, type BenchmarkName } from "../eval/benchmarks/registry.js";
import {
  variantStages,
  type BenchmarkData,
  type BenchmarkStages,
  type VariantStageContext,
} from "./benchmark-stages.js";
import { summarizeVariantBudget, type RunBudgetAnalysis } from "./budget-analysis.js";
import { CallCache, type CallCacheStats } from "./call-cache.js";
import { DEFAULT_PARAMETERS, findParameters, type ParameterRow } from "./model-parameters.js";
import { findPaperFigure } from "./paper-figures.js";
import { formatResultsCsv, formatResultsMarkdown } from "./results-table.js";
import { comparePairedVariants } from "./paired-comparison.js";
import { loadPlottingStack } from "./plotting-stack.js";
import { renderScorePlot, type ScorePlotPoint } from "./score-plot.js";
import { buildStudy, type AblationVariant, type StudyName, type StudyOptions } from "./studies.js";
import type {
  AblationStudyEvent,
  AblationStudyResult,
  PlotFiles,
  VariantResult,
} from "./study-result.js";
import { createVariantRunner, type VariantRunner, type VariantSettings } from "./variant-runner.js";

/** Parameters of {@link runAblationStudy}. */
export interface RunAblationStudyParams extends StudyOptions {
  /** The study: `ranker`, `proposers`, `roles` or `layers` (see `buildStudy`). */
  study: StudyName;
  /** Run these variants instead of the study's grid (the study name still labels the results). */
  variants?: readonly AblationVariant[];
  /** `alpaca-eval`, `mt-bench` or `flask`. */
  benchmark: BenchmarkName;
  /** The study's directory: results, plots, caches and one directory per variant. */
  out: string;
  /**
   * Builds a model from `"provider:model"` and its settings, e.g.
   * `(spec, settings) => loadChatModel(spec, { env, ...settings })`.
   */
  loadModel: ModelLoader;
  /** The judge, built with the benchmark's official settings (see `moa eval judge`). */
  judge: BaseChatModel;
  /** The judge as `"provider:model"`, for the results. */
  judgeSpec: string;
  /** Judge name written into MT-Bench judgments. @default the judge's model name */
  judgeName?: string;
  /** Prices judge usage for the judge's cost line. */
  judgeCostOf?: StageOptions["costOf"];
  /**
   * The call cache shared by every model of every variant: a `CallCache`, or its file.
   * @default `<out>/call-cache.jsonl`
   */
  callCache?: CallCache | string;
  /** The judgment cache file. @default `<out>/judge-cache.jsonl` */
  judgeCache?: string;
  /** Temperature and output cap of every call. @default { temperature: 0.7, maxTokens: 2048 } */
  settings?: Partial<VariantSettings>;
  /** Price rows (yours first: the first match wins). @default DEFAULT_PRICES */
  prices?: readonly PriceRow[];
  /** Parameter rows (yours first). @default DEFAULT_PARAMETERS */
  parameters?: readonly ParameterRow[];
  /** Benchmark files (FLASK needs them). */
  data?: BenchmarkData;
  /** Only the first N instances of the benchmark (smoke runs). */
  maxInstances?: number;
  /** Instances (and judge calls) at once within a variant. @default 4 */
  concurrency?: number;
  /** Cancels the study; finished work stays on disk and a rerun continues. */
  signal?: AbortSignal;
  /** Progress of the study (variant start and end, stage progress). */
  onEvent?: (event: AblationStudyEvent) => void;
  /**
   * Marks the results as synthetic (every model and the judge were the simulator); simulated
   * replies are cached under their own namespace, so they never answer a real call.
   */
  simulated?: boolean;
}

/**
 * Runs an ablation study of the paper on a benchmark: every variant of the study is generated,
 * judged and scored with the evaluation harness's resumable stages, and every proposer and
 * aggregator call goes through one shared {@link CallCache}, so identical calls (same model,
 * messages, settings and sample index) are made once — the layer-1 proposals of a study, for one,
 * are shared by all its variants. Writes `results.md`, `results.csv`, `study.json`,
 * `score-vs-cost.{svg,png}`, `score-vs-tflops.{svg,png}` and `variants/<id>/…` under `out`.
 * The plots need the optional peer dependencies `vega`, `vega-lite` and `@resvg/resvg-js`;
 * without them the study throws a `PlottingUnavailableError` before making any call.
 *
 * Budgets (tokens, list-price cost, TFLOPs, critical-path latency, per call and per layer) come
 * from the calls each query made, with their original usage and latency when replayed from the
 * cache, so a variant's budget is what it would cost on its own.
 *
 * @example
 * ```ts
 * const result = await runAblationStudy({
 *   study: "layers",
 *   benchmark: "alpaca-eval",
 *   models: ["together:Qwen/Qwen1.5-110B-Chat", "together:Qwen/Qwen1.5-72B-Chat"],
 *   out: "runs/layers",
 *   loadModel: (spec, settings) => loadChatModel(spec, settings),
 *   judge: loadChatModel("openai:gpt-4-1106-preview", { temperature: 1, maxTokens: 1, openAIFields: { logprobs: true, topLogprobs: 5 } }),
 *   judgeSpec: "openai:gpt-4-1106-preview",
 *   maxInstances: 20,
 * });
 * console.log(result.cache.hitRate, result.files.markdown);
 * ```
 */
export async function runAblationStudy(
  params: RunAblationStudyParams,
): Promise<AblationStudyResult> {
  const started = performance.now();
  const study = await prepareStudy(params);
  const judgeTotals: JudgeTotals = {
    cacheHits: 0,
    usage: { inputTokens: 0, outputTokens: 0 },
    costUsd: 0,
  };
  const results: VariantResult[] = [];
  for (const index of study.variants.keys()) {
    results.push(await runVariant(study, index, judgeTotals));
  }
  const result = aggregateStudy(study, results, judgeTotals);
  await plotStudy(study, result);
  result.wallTimeMs = performance.now() - started;
  await writeStudyFiles(result);
  return result;
}

/** Everything a study's variants share, set up (and checked) before any call. */
interface PreparedStudy {
  params: RunAblationStudyParams;
  stages: BenchmarkStages;
  variants: AblationVariant[];
  settings: VariantSettings;
  prices: readonly PriceRow[];
  parameters: readonly ParameterRow[];
  callCache: CallCache;
  statsBefore: CallCacheStats;
  judgeCache: JudgmentCache;
  judgeCachePath: string;
  runners: VariantRunner[];
  directories: string[];
  runIds: string[];
}

/** The judge's calls summed over the variants. */
interface JudgeTotals {
  cacheHits: number;
  usage: { inputTokens: number; outputTokens: number };
  costUsd: number;
}

/**
 * Validates the parameters, checks the plotting stack, opens the caches, builds every runner
 * and claims every variant directory: all that can fail does so before the first call.
 */
async function prepareStudy(params: RunAblationStudyParams): Promise<PreparedStudy> {
  const benchmark = getBenchmark(params.benchmark);
  checkParams(params, benchmark);
  // The study ends with two plots: without the optional plotting packages, fail before any call.
  await loadPlottingStack();
  const stages = variantStages(benchmark);
  const variants = params.variants
    ? [...params.variants]
    : buildStudy(params.study, {
        ...(params.models ? { models: params.models } : {}),
        ...(params.aggregator ? { aggregator: params.aggregator } : {}),
        ...(params.layers !== undefined ? { layers: params.layers } : {}),
      });
  const settings: VariantSettings = {
    temperature: params.settings?.temperature ?? 0.7,
    maxTokens: params.settings?.maxTokens ?? 2048,
    ...(params.settings?.retries !== undefined ? { retries: params.settings.retries } : {}),
    ...(params.settings?.callTimeoutMs !== undefined
      ? { callTimeoutMs: params.settings.callTimeoutMs }
      : {}),
  };
  const prices = params.prices ?? DEFAULT_PRICES;
  const parameters = params.parameters ?? DEFAULT_PARAMETERS;
  const tables = { prices, parameters };
  await mkdir(params.out, { recursive: true });
  const callCache =
    params.callCache instanceof CallCache
      ? params.callCache
      : await CallCache.open(params.callCache ?? join(params.out, "call-cache.jsonl"));
  const judgeCachePath = params.judgeCache ?? join(params.out, "judge-cache.jsonl");
  const judgeCache = await JudgmentCache.open(judgeCachePath);
  const statsBefore = callCache.stats;

  // Every runner (and so every model) is built before any call: a bad model string or a missing
  // API key fails now, not after an hour of generation.
  const runners = variants.map((variant) =>
    createVariantRunner({
      variant,
      loadModel: params.loadModel,
      callCache,
      settings,
      tables,
      ...(params.simulated ? { cacheNamespace: "simulated" } : {}),
    }),
  );
  const directories = variants.map((variant) => join(params.out, "variants", variant.id));
  for (const [index, variant] of variants.entries()) {
    await claimDirectory(directories[index]!, variant, params, settings);
  }
  const runIds = await stages.runIds(params.data ?? {}, params.maxInstances);
  return {
    params,
    stages,
    variants,
    settings,
    prices,
    parameters,
    callCache,
    statsBefore,
    judgeCache,
    judgeCachePath,
    runners,
    directories,
    runIds,
  };
}

/** Generates, judges and scores one variant (resuming its directory); adds to `judgeTotals`. */
async function runVariant(
  study: PreparedStudy,
  index: number,
  judgeTotals: JudgeTotals,
): Promise<VariantResult> {
  const { params, stages, variants, runIds } = study;
  const variant = variants[index]!;
  params.onEvent?.({ type: "variant-start", index, total: variants.length, variant });
  const directory = study.directories[index]!;
  const runsPath = join(directory, "runs.jsonl");
  const runs = new Map<string, RunBudgetAnalysis>();
  for (const line of await readJsonl<{ id: string; budget: RunBudgetAnalysis }>(runsPath, {
    allowMissing: true,
    tolerateTruncatedTail: true,
  })) {
    runs.set(line.id, line.budget);
  }
  const context: VariantStageContext = {
    runner: study.runners[index]!,
    directory,
    generator: `ablation-${params.study}-${variant.id}${params.simulated ? "-simulated" : ""}`,
    judge: params.judge,
    ...(params.judgeName ? { judgeName: params.judgeName } : {}),
    judgeCache: study.judgeCache,
    data: params.data ?? {},
    stage: {
      ...(params.maxInstances !== undefined ? { maxInstances: params.maxInstances } : {}),
      ...(params.concurrency !== undefined ? { concurrency: params.concurrency } : {}),
      ...(params.signal ? { signal: params.signal } : {}),
      onProgress: (progress) => params.onEvent?.({ type: "stage-progress", variant, progress }),
    },
    ...(params.judgeCostOf ? { judgeCostOf: params.judgeCostOf } : {}),
    recordRun: async (id, budget) => {
      runs.set(id, budget);
      await appendJsonl(runsPath, [{ id, budget }]);
    },
  };
  const generationStarted = performance.now();
  const generation = await stages.generate(context);
  const generationWallTimeMs = performance.now() - generationStarted;
  const judgeStarted = performance.now();
  const judgment = await stages.judge(context);
  const judgeWallTimeMs = performance.now() - judgeStarted;
  judgeTotals.cacheHits += judgment.cached;
  judgeTotals.usage.inputTokens += judgment.usage.inputTokens;
  judgeTotals.usage.outputTokens += judgment.usage.outputTokens;
  judgeTotals.costUsd += judgment.costUsd;
  const score = hasRecords(judgment) ? await stages.score(context) : undefined;
  const budgets = runIds.flatMap((id) => {
    const budget = runs.get(id);
    return budget ? [budget] : [];
  });
  const paper = findPaperFigure(params.benchmark, variant.config);
  const result: VariantResult = {
    variant,
    ...(score ? { score } : {}),
    ...(paper ? { paper } : {}),
    budget: summarizeVariantBudget(budgets),
    missingRuns: runIds.length - budgets.length,
    generationWallTimeMs,
    judgeWallTimeMs,
    failures: generation.failures.length + judgment.failures.length,
    files: {
      directory,
      answers: stages.answersPath(directory),
      judgments: stages.judgmentsPath(directory),
      runs: runsPath,
    },
  };
  params.onEvent?.({ type: "variant-end", index, total: variants.length, result });
  return result;
}

/** The study's result: the variants with the cache, sharing, comparisons and judge totals. */
function aggregateStudy(
  study: PreparedStudy,
  results: VariantResult[],
  judgeTotals: JudgeTotals,
): AblationStudyResult {
  const { params, callCache, statsBefore } = study;
  const after = callCache.stats;
  const calls = after.calls - statsBefore.calls;
  const hits = after.hits - statsBefore.hits;
  const models = new Set(
    study.variants.flatMap((variant) => [...variant.config.proposers, variant.config.aggregator]),
  );
  const usedPrices = uniqueRows(
    [...models, params.judgeSpec].map((model) => findPrice(model, study.prices)),
  );
  const usedParameters = uniqueRows(
    [...models].map((model) => findParameters(model, study.parameters)),
  );
  return {
    study: params.study,
    benchmark: params.benchmark,
    metric: study.stages.metric,
    simulated: params.simulated === true,
    judge: params.judgeSpec,
    ...(params.maxInstances !== undefined ? { maxInstances: params.maxInstances } : {}),
    settings: study.settings,
    variants: results,
    cache: {
      calls,
      hits,
      misses: after.misses - statsBefore.misses,
      hitRate: calls === 0 ? 0 : hits / calls,
      entries: after.entries,
    },
    sharing: sharingOf(results),
    ...comparisonsOf(results, study.stages.metric.instanceScore),
    judgeCacheHits: judgeTotals.cacheHits,
    judgeUsage: judgeTotals.usage,
    judgeCostUsd: judgeTotals.costUsd,
    prices: usedPrices,
    parameters: usedParameters,
    files: {
      directory: params.out,
      markdown: join(params.out, "results.md"),
      csv: join(params.out, "results.csv"),
      json: join(params.out, "study.json"),
      ...(callCache.path ? { callCache: callCache.path } : {}),
      judgeCache: study.judgeCachePath,
    },
    wallTimeMs: 0,
  };
}

/** Writes the score-vs-cost and score-vs-TFLOPs plots and records their files in `result`. */
async function plotStudy(study: PreparedStudy, result: AblationStudyResult): Promise<void> {
  const { params, stages } = study;
  const results = result.variants;
  const subtitle = [
    `${params.benchmark}, ${params.maxInstances ?? "all"} instances per variant, judge ${params.judgeSpec}; Pareto front dashed`,
    ...(params.simulated ? ["SIMULATED: synthetic numbers from the loopback simulator"] : []),
  ];
  const costPlot = await writePlot(results, params.out, "score-vs-cost", {
    title: `${params.study} study: ${stages.metric.title} vs cost`,
    subtitle,
    xTitle: "cost per query (USD, list prices)",
    yTitle: stages.metric.title,
    x: (variant) => variant.budget.meanCostUsd,
  });
  const tflopsPlot = await writePlot(results, params.out, "score-vs-tflops", {
    title: `${params.study} study: ${stages.metric.title} vs TFLOPs`,
    subtitle,
    xTitle: "TFLOPs per query (Σ over layers of the largest call)",
    yTitle: stages.metric.title,
    x: (variant) => variant.budget.meanTflops,
  });
  if (costPlot) result.files.costPlot = costPlot;
  if (tflopsPlot) result.files.tflopsPlot = tflopsPlot;
}

/** Writes `results.md`, `results.csv` and `study.json`. */
async function writeStudyFiles(result: AblationStudyResult): Promise<void> {
  await writeFileAtomic(result.files.markdown, formatResultsMarkdown(result));
  await writeFileAtomic(result.files.csv, formatResultsCsv(result));
  await writeFileAtomic(result.files.json, `${JSON.stringify(result, null, 2)}\n`);
}

function checkParams(params: RunAblationStudyParams, benchmark: Benchmark): void {
  if (typeof params.out !== "string" || params.out.trim() === "") {
    throw new InvalidArgumentError({
      parameter: "out",
      value: params.out,
      message: "must name the study's directory.",
    });
  }
  if (typeof params.loadModel !== "function") {
    throw new InvalidArgumentError({
      parameter: "loadModel",
      value: typeof params.loadModel,
      message: "must be a function `(spec, settings) => chatModel`, e.g. wrapping loadChatModel.",
    });
  }
  if (!isChatModel(params.judge)) {
    throw new InvalidArgumentError({
      parameter: "judge",
      value: typeof params.judge,
      message: "must be a LangChain chat model built with the benchmark's judge settings.",
    });
  }
  benchmark.checkData?.(params.data ?? {});
  if (params.variants !== undefined) {
    const ids = params.variants.map((variant) => variant.id);
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate !== undefined || ids.length === 0) {
      throw new InvalidArgumentError({
        parameter: "variants",
        value: duplicate ?? ids,
        message: "needs at least one variant and unique ids (they name the variant directories).",
      });
    }
  }
}

/**
 * Records which configuration a variant directory holds, and refuses a directory that holds
 * another: resuming would otherwise mix answers of two configurations under one name.
 */
async function claimDirectory(
  directory: string,
  variant: AblationVariant,
  params: RunAblationStudyParams,
  settings: VariantSettings,
): Promise<void> {
  const manifest = join(directory, "variant.json");
  const content = canonicalJson({
    study: params.study,
    benchmark: params.benchmark,
    variant: variant.config,
    temperature: settings.temperature,
    maxTokens: settings.maxTokens,
    judge: params.judgeSpec,
    simulated: params.simulated === true,
  });
  let existing: string | undefined;
  try {
    existing = await readFile(manifest, "utf8");
  } catch {
    existing = undefined;
  }
  if (existing !== undefined && existing.trim() !== content) {
    throw new InvalidArgumentError({
      parameter: "out",
      value: directory,
      message: `${directory} holds variant \`${variant.id}\` of another configuration (study, benchmark, models, settings or judge differ); use a new output directory, or the same options to resume.`,
    });
  }
  if (existing === undefined) {
    await mkdir(directory, { recursive: true });
    await writeFile(manifest, `${content}\n`, "utf8");
  }
}

function sharingOf(results: readonly VariantResult[]): AblationStudyResult["sharing"] {
  const calls = results.reduce((total, result) => total + result.budget.calls, 0);
  const cachedCalls = results.reduce((total, result) => total + result.budget.cachedCalls, 0);
  return { calls, cachedCalls, rate: calls === 0 ? 0 : cachedCalls / calls };
}

/** Every variant against the first (the study's baseline), when it has per-instance scores. */
function comparisonsOf(
  results: readonly VariantResult[],
  instanceScore: string,
): Pick<AblationStudyResult, "comparisons"> {
  const scored = results.map((result) => ({
    id: result.variant.id,
    ...(result.score?.instances ? { instances: result.score.instances } : {}),
  }));
  const reference = scored[0];
  if (reference?.instances === undefined) return {};
  return { comparisons: comparePairedVariants(reference, scored, { instanceScore }) };
}

function hasRecords(summary: StageSummary<unknown>): boolean {
  return summary.records.length > 0;
}

function uniqueRows<T>(rows: readonly (T | undefined)[]): T[] {
  return [...new Set(rows.filter((row): row is T => row !== undefined))];
}

async function writePlot(
  results: readonly VariantResult[],
  directory: string,
  name: string,
  options: {
    title: string;
    subtitle: string[];
    xTitle: string;
    yTitle: string;
    x: (result: VariantResult) => number | undefined;
  },
): Promise<PlotFiles | undefined> {
  const points: ScorePlotPoint[] = [];
  const omitted: string[] = [];
  for (const result of results) {
    const x = options.x(result);
    const y = result.score?.value;
    if (x === undefined || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) {
      omitted.push(result.variant.id);
      continue;
    }
    const standardError = result.score?.standardError;
    points.push({
      label: result.variant.id,
      series: result.variant.series,
      x,
      y,
      ...(standardError !== undefined ? { standardError } : {}),
    });
  }
  if (points.length === 0) return undefined;
  const plot = await renderScorePlot({
    points,
    title: options.title,
    subtitle: options.subtitle,
    xTitle: options.xTitle,
    yTitle: options.yTitle,
  });
  const svg = join(directory, `${name}.svg`);
  const png = join(directory, `${name}.png`);
  await writeFile(svg, plot.svg, "utf8");
  await writeFile(png, plot.png);
  return { svg, png, points: plot.pointMarks, omitted };
}
