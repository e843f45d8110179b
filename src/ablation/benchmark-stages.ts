import { join } from "node:path";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type {
  Benchmark,
  BenchmarkData,
  BenchmarkMetric,
  BenchmarkScore,
} from "../eval/benchmarks/benchmark.js";
import { BENCHMARK_NAMES, BENCHMARKS, type BenchmarkName } from "../eval/benchmarks/registry.js";
import type { StageOptions, StageSummary } from "../eval/stages/run-stage.js";
import type { JudgmentCache } from "../eval/stages/judgment-cache.js";
import type { RunBudgetAnalysis } from "./budget-analysis.js";
import type { VariantRunner } from "./variant-runner.js";

export type { BenchmarkData, BenchmarkMetric, BenchmarkScore };

/** Everything a variant's stages need. */
export interface VariantStageContext {
  runner: Pick<VariantRunner, "answer">;
  /** The variant's directory (answers, judgments, call log). */
  directory: string;
  /** Name written into answers files (`generator` / `model_id`). */
  generator: string;
  judge: BaseChatModel;
  /** Judge name written into MT-Bench judgments. */
  judgeName?: string;
  /** The study's shared judgment cache. */
  judgeCache: JudgmentCache;
  data: BenchmarkData;
  /** Concurrency, abort signal, progress and the instance limit. */
  stage: StageOptions;
  /** Prices judge usage. */
  judgeCostOf?: StageOptions["costOf"];
  /** Stores one run's budget under its id (called as each query finishes). */
  recordRun: (id: string, budget: RunBudgetAnalysis) => Promise<void>;
}

/** The three stages of one benchmark, run per variant. */
export interface BenchmarkStages {
  metric: BenchmarkMetric;
  /** Answers file of a variant. */
  answersPath(directory: string): string;
  /** Judgments file of a variant. */
  judgmentsPath(directory: string): string;
  /** Ids of the runs (queries) of the first `maxInstances` instances, in order. */
  runIds(data: BenchmarkData, maxInstances: number | undefined): Promise<string[]>;
  generate(context: VariantStageContext): Promise<StageSummary<unknown>>;
  judge(context: VariantStageContext): Promise<StageSummary<unknown>>;
  score(context: VariantStageContext): Promise<BenchmarkScore>;
}

/**
 * A benchmark's stages over a variant's directory: answers from the variant's runner (each
 * run's budget recorded under its run id), judgments and score restricted to the study's first
 * `maxInstances` instances.
 */
export function variantStages(benchmark: Benchmark): BenchmarkStages {
  const answersPath = (directory: string) => join(directory, benchmark.answersFile);
  const judgmentsPath = (directory: string) => join(directory, benchmark.judgmentsFile);
  return {
    metric: benchmark.metric,
    answersPath,
    judgmentsPath,
    runIds: (data, maxInstances) => benchmark.runIds(data, maxInstances),
    generate: (context) =>
      benchmark.generate({
        ...context.stage,
        data: context.data,
        out: answersPath(context.directory),
        generator: context.generator,
        answer: async (messages, { runId, ...options }) => {
          const answer = await context.runner.answer(messages, options);
          await context.recordRun(runId, answer.budget);
          return answer;
        },
      }),
    judge: (context) =>
      benchmark.judge({
        ...context.stage,
        ...(context.judgeCostOf ? { costOf: context.judgeCostOf } : {}),
        data: context.data,
        answers: answersPath(context.directory),
        out: judgmentsPath(context.directory),
        judge: context.judge,
        cache: context.judgeCache,
        ...(context.judgeName ? { judgeName: context.judgeName } : {}),
        // Only the answers to the study's instances, even when the directory holds more.
        instanceLimit: context.stage.maxInstances ?? Number.POSITIVE_INFINITY,
      }),
    score: (context) =>
      benchmark.score({
        judgments: judgmentsPath(context.directory),
        data: context.data,
        instanceLimit: context.stage.maxInstances,
        generator: context.generator,
      }),
  };
}

/** The stages of each benchmark of the registry. */
export const BENCHMARK_STAGES: Readonly<Record<BenchmarkName, BenchmarkStages>> = Object.freeze(
  Object.fromEntries(
    BENCHMARK_NAMES.map((name) => [name, variantStages(BENCHMARKS[name])]),
  ) as Record<BenchmarkName, BenchmarkStages>,
);
