import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { BaseMessage } from "@langchain/core/messages";
import type { GenerationResult } from "../generation.js";
import type { JudgeCacheOption } from "../judge-cache-option.js";
import type { StageOptions, StageSummary } from "../stages/run-stage.js";

/** Where a benchmark's instances come from (the vendored copies by default). */
export interface BenchmarkData {
  /** AlpacaEval eval set (with the reference outputs). @default the vendored eval set */
  alpacaEvalSet?: string;
  /** MT-Bench questions. @default the vendored questions */
  mtBenchQuestions?: string;
  /** FLASK files (not vendored: required for FLASK). */
  flask?: { instances: string; skills: string; prompt: string };
}

/** The files a user names on the command line (`--data`, `--skills`, `--judge-prompt`). */
export interface BenchmarkPaths {
  /** The benchmark's instances. */
  data?: string;
  /** FLASK's skillset_description.json. @default next to `data` */
  skills?: string;
  /** FLASK's judge_prompt.jsonl. @default next to `data` */
  judgePrompt?: string;
}

/** A benchmark's score of one variant. */
export interface BenchmarkScore {
  /** The headline number (LC win rate %, MT-Bench average, FLASK mean skill score). */
  value: number;
  /** Its standard error, when the metric has one. */
  standardError?: number;
  /** Other numbers of the report (win rate, per-turn scores, per-skill averages, …). */
  details: Record<string, number>;
  /** Judgments the score is computed from. */
  judged: number;
  /**
   * Per-instance scores (instance id → {@link BenchmarkMetric.instanceScore}) for paired
   * comparisons between variants judged on the same instructions.
   */
  instances?: Record<string, number>;
}

/** What a benchmark's headline score is. */
export interface BenchmarkMetric {
  /** Axis and column title, e.g. `LC win rate (%)`. */
  title: string;
  /** Short column name, e.g. `LC win %`. */
  column: string;
  /** What one instance's score in {@link BenchmarkScore.instances} is. */
  instanceScore: string;
}

/** The official judge's sampling settings, whatever the judge model. */
export interface BenchmarkJudgeSettings {
  /** The judge the paper used, as `"provider:model"` (the default of `--judge`). */
  officialJudge: string;
  temperature: number;
  maxTokens: number;
  /** OpenAI request fields (AlpacaEval reads the first token's logprobs). */
  openAIFields?: { logprobs?: boolean; topLogprobs?: number };
}

/** Answers one conversation of a benchmark (the MoA graph, a variant, a server run). */
export type BenchmarkAnswer = (
  messages: BaseMessage[],
  options: {
    /** The run's id, e.g. `alpaca-eval#3` or `mt-bench#81#2` (see {@link Benchmark.runIds}). */
    runId: string;
    signal?: AbortSignal;
    /** The benchmark's own temperature for this call (MT-Bench's per-category ones), if any. */
    temperature?: number;
  },
) => Promise<GenerationResult>;

/** Parameters of {@link Benchmark.generate}. */
export interface BenchmarkGenerateParams extends StageOptions {
  data: BenchmarkData;
  /** Answers file to write. */
  out: string;
  /** Name written into the answers file (`generator` / `model_id`). */
  generator: string;
  answer: BenchmarkAnswer;
}

/** Parameters of {@link Benchmark.judge}. */
export interface BenchmarkJudgeParams extends StageOptions {
  data: BenchmarkData;
  /** Answers file written by {@link Benchmark.generate} (or in the upstream format). */
  answers: string;
  /** Judgments file to write. */
  out: string;
  judge: BaseChatModel;
  cache: JudgeCacheOption;
  /** Judge name written into the judgments, where the format has a judge column (MT-Bench). */
  judgeName?: string;
  /**
   * Judge only the answers to the first N instances of `data` (an ablation's instance limit;
   * `Infinity` for all of them); `maxInstances` instead caps the judgments.
   */
  instanceLimit?: number;
}

/** Parameters of {@link Benchmark.report}. */
export interface BenchmarkReportParams {
  /** Judgments file written by {@link Benchmark.judge} (or the upstream format). */
  judgments: string;
  data: BenchmarkData;
  /** The model to report when the judgments cover several (MT-Bench). */
  model?: string;
}

/** A benchmark's official report of a judgments file. */
export interface BenchmarkReport<Report> {
  /** With the official field names (what `--json` prints). */
  report: Report;
  /** As a table, with the paper's published figures beside it. */
  text(options: { color?: boolean }): string;
}

/** Parameters of {@link Benchmark.score}. */
export interface BenchmarkScoreParams {
  /** Judgments file of the variant. */
  judgments: string;
  data: BenchmarkData;
  /** Only the judgments of the first N instances. */
  instanceLimit?: number;
  /** The variant's generator name (MT-Bench judgments files can hold several models). */
  generator: string;
}

/**
 * One benchmark as `moa eval` and `moa ablate` drive it: its instances, the three resumable
 * stages (generate → judge → report), its judge settings and headline metric. A new benchmark is
 * one module implementing this and one entry in `BENCHMARKS`.
 */
export interface Benchmark<Name extends string = string, Report = unknown> {
  /** As spelled on the command line, e.g. `alpaca-eval`. */
  readonly name: Name;
  /** As printed, e.g. `AlpacaEval 2.0`. */
  readonly title: string;
  readonly metric: BenchmarkMetric;
  readonly judgeSettings: BenchmarkJudgeSettings;
  /** Answers file name inside a variant's directory. */
  readonly answersFile: string;
  /** Judgments file name inside a variant's directory. */
  readonly judgmentsFile: string;
  /** Why `--data` is required and where to get it, when the benchmark is not vendored. */
  readonly dataRequired?: string;
  /** The side files the judge reads beside the data (`--skills`, `--judge-prompt`), if any. */
  judgeSideFiles?(data: BenchmarkData): Required<Pick<BenchmarkPaths, "skills" | "judgePrompt">>;
  /** Said when `--temperature` replaces the benchmark's own temperatures. */
  readonly temperatureNote?: string;
  /** The report also reads the upstream judge's file (`--annotations`). */
  readonly readsUpstreamJudgments?: boolean;
  /**
   * Throws an `InvalidArgumentError` when `data` lacks files the benchmark cannot do without
   * (it is not vendored), before any work starts.
   */
  checkData?(data: BenchmarkData): void;
  /** The benchmark's data from the files named on the command line. */
  data(paths: BenchmarkPaths): BenchmarkData;
  /** Ids of the runs (queries) of the first `maxInstances` instances, in order. */
  runIds(data: BenchmarkData, maxInstances: number | undefined): Promise<string[]>;
  generate(params: BenchmarkGenerateParams): Promise<StageSummary<unknown>>;
  judge(params: BenchmarkJudgeParams): Promise<StageSummary<unknown>>;
  report(params: BenchmarkReportParams): Promise<BenchmarkReport<Report>>;
  score(params: BenchmarkScoreParams): Promise<BenchmarkScore>;
}

/** The first `maxInstances` items (all when `undefined`). */
export const limitInstances = <T>(items: readonly T[], maxInstances: number | undefined): T[] =>
  maxInstances === undefined ? [...items] : items.slice(0, maxInstances);
