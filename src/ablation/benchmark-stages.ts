import { join } from "node:path";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage } from "@langchain/core/messages";
import { readAlpacaEvalAnnotations } from "../eval/alpaca-eval/annotations.js";
import { generateAlpacaEval } from "../eval/alpaca-eval/generate.js";
import { judgeAlpacaEval } from "../eval/alpaca-eval/judge.js";
import {
  loadLengthControlledData,
  type LengthControlledData,
} from "../eval/alpaca-eval/length-controlled-data.js";
import { loadAlpacaEvalSet, readAlpacaEvalOutputs } from "../eval/alpaca-eval/outputs-file.js";
import { reportAlpacaEval } from "../eval/alpaca-eval/report.js";
import { readFlaskAnswers } from "../eval/flask/answers-file.js";
import { generateFlask } from "../eval/flask/generate.js";
import { loadFlaskInstances } from "../eval/flask/instances.js";
import { judgeFlask, type FlaskReview } from "../eval/flask/judge.js";
import { reportFlask } from "../eval/flask/report.js";
import { readJsonl } from "../eval/io/jsonl-file.js";
import { readMtBenchAnswers } from "../eval/mt-bench/answers-file.js";
import { generateMtBench } from "../eval/mt-bench/generate.js";
import { judgeMtBench } from "../eval/mt-bench/judge.js";
import { readMtBenchJudgments } from "../eval/mt-bench/judgments-file.js";
import { loadMtBenchQuestions } from "../eval/mt-bench/questions.js";
import { reportMtBench } from "../eval/mt-bench/report.js";
import type { StageOptions, StageSummary } from "../eval/stages/run-stage.js";
import type { JudgmentCache } from "../eval/stages/judgment-cache.js";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import type { RunBudgetAnalysis } from "./budget-analysis.js";
import type { AblationBenchmark } from "./paper-figures.js";
import type { VariantRunner } from "./variant-runner.js";

/** Where a benchmark's instances come from (the vendored copies by default). */
export interface BenchmarkData {
  /** AlpacaEval eval set (with the reference outputs). @default the vendored eval set */
  alpacaEvalSet?: string;
  /** MT-Bench questions. @default the vendored questions */
  mtBenchQuestions?: string;
  /** FLASK files (not vendored: required for FLASK). */
  flask?: { instances: string; skills: string; prompt: string };
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

/** Everything a variant's stages need. */
export interface VariantStageContext {
  runner: VariantRunner;
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

const limit = <T>(items: readonly T[], maxInstances: number | undefined): T[] =>
  maxInstances === undefined ? [...items] : items.slice(0, maxInstances);

let lengthControlledData: Promise<LengthControlledData> | undefined;

const alpacaEval: BenchmarkStages = {
  metric: {
    title: "LC win rate (%)",
    column: "LC win %",
    instanceScore: "win against the reference output (%, a draw is 50; raw, not length-controlled)",
  },
  answersPath: (directory) => join(directory, "model_outputs.json"),
  judgmentsPath: (directory) => join(directory, "annotations.json"),
  async runIds(data, maxInstances) {
    const evalSet = limit(await loadAlpacaEvalSet(data.alpacaEvalSet), maxInstances);
    return evalSet.map((_, index) => `alpaca-eval#${index}`);
  },
  generate: (context) =>
    generateAlpacaEval({
      ...context.stage,
      generator: context.generator,
      out: alpacaEval.answersPath(context.directory),
      ...(context.data.alpacaEvalSet !== undefined ? { evalSet: context.data.alpacaEvalSet } : {}),
      generate: async ({ index, instruction }, { signal }) => {
        const answer = await context.runner.answer([new HumanMessage(instruction)], { signal });
        await context.recordRun(`alpaca-eval#${index}`, answer.budget);
        return answer;
      },
    }),
  async judge(context) {
    const instructions = new Set(
      limit(await loadAlpacaEvalSet(context.data.alpacaEvalSet), context.stage.maxInstances).map(
        (entry) => entry.instruction,
      ),
    );
    const outputs = (await readAlpacaEvalOutputs(alpacaEval.answersPath(context.directory))).filter(
      (output) => instructions.has(output.instruction),
    );
    return judgeAlpacaEval({
      ...context.stage,
      ...(context.judgeCostOf ? { costOf: context.judgeCostOf } : {}),
      outputs,
      judge: context.judge,
      out: alpacaEval.judgmentsPath(context.directory),
      cache: context.judgeCache,
      ...(context.data.alpacaEvalSet !== undefined
        ? { reference: context.data.alpacaEvalSet }
        : {}),
    });
  },
  async score(context) {
    const indexOf = new Map(
      limit(await loadAlpacaEvalSet(context.data.alpacaEvalSet), context.stage.maxInstances).map(
        (entry, index) => [entry.instruction, index] as const,
      ),
    );
    const instructions = new Set(indexOf.keys());
    const annotations = (
      await readAlpacaEvalAnnotations(alpacaEval.judgmentsPath(context.directory))
    ).filter((annotation) => instructions.has(annotation.instruction));
    lengthControlledData ??= loadLengthControlledData();
    const report = reportAlpacaEval(annotations, await lengthControlledData);
    return {
      value: report.length_controlled_winrate,
      standardError: report.lc_standard_error,
      details: {
        win_rate: report.win_rate,
        standard_error: report.standard_error,
        avg_length: report.avg_length,
      },
      judged: annotations.length,
      instances: Object.fromEntries(
        annotations.flatMap((annotation) => {
          // As computeWinRate reads a preference: 0 is a draw, outside [1, 2] is unparsed.
          const preference = annotation.preference === 0 ? 1.5 : annotation.preference;
          return typeof preference === "number" && preference >= 1 && preference <= 2
            ? [[`alpaca-eval#${indexOf.get(annotation.instruction)}`, 100 * (preference - 1)]]
            : [];
        }),
      ),
    };
  },
};

const mtBench: BenchmarkStages = {
  metric: {
    title: "MT-Bench score (1–10)",
    column: "MT-Bench",
    instanceScore: "judge rating of one turn (1–10)",
  },
  answersPath: (directory) => join(directory, "answers.jsonl"),
  judgmentsPath: (directory) => join(directory, "judgments.jsonl"),
  async runIds(data, maxInstances) {
    const questions = limit(await loadMtBenchQuestions(data.mtBenchQuestions), maxInstances);
    return questions.flatMap((question) =>
      question.turns.map((_, turn) => `mt-bench#${question.question_id}#${turn + 1}`),
    );
  },
  generate: (context) =>
    generateMtBench({
      ...context.stage,
      modelId: context.generator,
      out: mtBench.answersPath(context.directory),
      ...(context.data.mtBenchQuestions !== undefined
        ? { questions: context.data.mtBenchQuestions }
        : {}),
      // One MoA run per turn at FastChat's per-category temperature.
      generate: async ({ question, turn, messages, temperature, signal }) => {
        const answer = await context.runner.answer(messages, { signal, temperature });
        await context.recordRun(`mt-bench#${question.question_id}#${turn}`, answer.budget);
        return answer;
      },
    }),
  async judge(context) {
    const questions = limit(
      await loadMtBenchQuestions(context.data.mtBenchQuestions),
      context.stage.maxInstances,
    );
    const ids = new Set(questions.map((question) => question.question_id));
    const answers = (await readMtBenchAnswers(mtBench.answersPath(context.directory))).filter(
      (answer) => ids.has(answer.question_id),
    );
    return judgeMtBench({
      ...context.stage,
      maxInstances: undefined,
      ...(context.judgeCostOf ? { costOf: context.judgeCostOf } : {}),
      answers,
      questions,
      judge: context.judge,
      out: mtBench.judgmentsPath(context.directory),
      cache: context.judgeCache,
      ...(context.judgeName ? { judgeName: context.judgeName } : {}),
    });
  },
  async score(context) {
    const questions = limit(
      await loadMtBenchQuestions(context.data.mtBenchQuestions),
      context.stage.maxInstances,
    );
    const ids = new Set(questions.map((question) => question.question_id));
    const judgments = (await readMtBenchJudgments(mtBench.judgmentsPath(context.directory))).filter(
      (judgment) => ids.has(judgment.question_id) && judgment.model === context.generator,
    );
    const report = reportMtBench(judgments, questions, { model: context.generator });
    const valid = judgments.filter((judgment) => judgment.score !== -1);
    const standardError = standardErrorOfMean(valid.map((judgment) => judgment.score));
    return {
      value: report.score,
      ...(standardError !== undefined ? { standardError } : {}),
      details: { turn1: report.turn1, turn2: report.turn2, dropped: report.n_dropped },
      judged: report.n_judgments,
      instances: Object.fromEntries(
        valid.map((judgment) => [
          `mt-bench#${judgment.question_id}#${judgment.turn}`,
          judgment.score,
        ]),
      ),
    };
  },
};

const flaskFiles = (data: BenchmarkData) => {
  if (data.flask === undefined) {
    throw new InvalidArgumentError({
      parameter: "data.flask",
      value: undefined,
      message:
        "FLASK is not vendored: pass its `instances` (flask_evaluation.jsonl), `skills` (skillset_description.json) and `prompt` (judge_prompt.jsonl) files.",
    });
  }
  return data.flask;
};

const flask: BenchmarkStages = {
  metric: {
    title: "FLASK mean skill score (1–5)",
    column: "FLASK",
    instanceScore: "mean of one instruction's skill scores (1–5)",
  },
  answersPath: (directory) => join(directory, "answers.jsonl"),
  judgmentsPath: (directory) => join(directory, "reviews.jsonl"),
  async runIds(data, maxInstances) {
    const instances = limit(await loadFlaskInstances(flaskFiles(data).instances), maxInstances);
    return instances.map((instance) => `flask#${instance.idx}`);
  },
  generate: (context) =>
    generateFlask({
      ...context.stage,
      instances: flaskFiles(context.data).instances,
      out: flask.answersPath(context.directory),
      generate: async ({ idx, instruction }, { signal }) => {
        const answer = await context.runner.answer([new HumanMessage(instruction)], { signal });
        await context.recordRun(`flask#${idx}`, answer.budget);
        return answer;
      },
    }),
  async judge(context) {
    const files = flaskFiles(context.data);
    const instances = limit(await loadFlaskInstances(files.instances), context.stage.maxInstances);
    const ids = new Set(instances.map((instance) => instance.idx));
    const answers = (await readFlaskAnswers(flask.answersPath(context.directory))).filter(
      (answer) => ids.has(answer.question_id),
    );
    return judgeFlask({
      ...context.stage,
      maxInstances: undefined,
      ...(context.judgeCostOf ? { costOf: context.judgeCostOf } : {}),
      answers,
      instances,
      skills: files.skills,
      prompt: files.prompt,
      judge: context.judge,
      out: flask.judgmentsPath(context.directory),
      cache: context.judgeCache,
    });
  },
  async score(context) {
    const instances = limit(
      await loadFlaskInstances(flaskFiles(context.data).instances),
      context.stage.maxInstances,
    );
    const ids = new Set(instances.map((instance) => instance.idx));
    const reviews = (
      await readJsonl<FlaskReview>(flask.judgmentsPath(context.directory), { allowMissing: true })
    ).filter((review) => ids.has(review.idx));
    const report = reportFlask(reviews);
    const averages = Object.entries(report.skills)
      .map(([skill, score]) => [skill, score!.average] as const)
      .filter(([, average]) => Number.isFinite(average));
    const mean = averages.reduce((total, [, average]) => total + average, 0) / averages.length;
    return {
      value: averages.length ? mean : Number.NaN,
      details: Object.fromEntries(averages),
      judged: report.n_reviews,
      instances: Object.fromEntries(
        reviews.flatMap((review) => {
          const scores = Object.values(review.score ?? {}).filter(
            (score): score is number => typeof score === "number" && Number.isFinite(score),
          );
          return scores.length
            ? [
                [
                  `flask#${review.idx}`,
                  scores.reduce((sum, score) => sum + score, 0) / scores.length,
                ],
              ]
            : [];
        }),
      ),
    };
  },
};

/** `std(values, ddof 1) / √n`, or `undefined` for fewer than two values. */
function standardErrorOfMean(values: readonly number[]): number | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  const squares = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  return Math.sqrt(squares / (n - 1) / n);
}

/** The stages of each benchmark. */
export const BENCHMARK_STAGES: Readonly<Record<AblationBenchmark, BenchmarkStages>> = {
  "alpaca-eval": alpacaEval,
  "mt-bench": mtBench,
  flask,
};
