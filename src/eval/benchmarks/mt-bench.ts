import { readMtBenchAnswers } from "../mt-bench/answers-file.js";
import { generateMtBench } from "../mt-bench/generate.js";
import { judgeMtBench } from "../mt-bench/judge.js";
import { MT_BENCH_JUDGE_SETTINGS } from "../mt-bench/judge-prompts.js";
import { readMtBenchJudgments } from "../mt-bench/judgments-file.js";
import { loadMtBenchQuestions } from "../mt-bench/questions.js";
import { reportMtBench, reportMtBenchFile, type MtBenchReport } from "../mt-bench/report.js";
import { limitInstances, type Benchmark } from "./benchmark.js";
import { formatMtBenchReport } from "./report-format.js";

/**
 * MT-Bench: 80 two-turn questions, each turn graded 1–10 by GPT-4 (FastChat's single-answer
 * grading); turn 2's history holds the model's own turn-1 answer.
 */
export const MT_BENCH: Benchmark<"mt-bench", MtBenchReport> = {
  name: "mt-bench",
  title: "MT-Bench",
  metric: {
    title: "MT-Bench score (1–10)",
    column: "MT-Bench",
    instanceScore: "judge rating of one turn (1–10)",
  },
  judgeSettings: {
    officialJudge: `openai:${MT_BENCH_JUDGE_SETTINGS.model}`,
    temperature: MT_BENCH_JUDGE_SETTINGS.temperature,
    maxTokens: MT_BENCH_JUDGE_SETTINGS.maxTokens,
  },
  answersFile: "answers.jsonl",
  judgmentsFile: "judgments.jsonl",
  temperatureNote: "replaces FastChat's per-category MT-Bench temperatures",
  data: (paths) => (paths.data !== undefined ? { mtBenchQuestions: paths.data } : {}),
  async runIds(data, maxInstances) {
    const questions = limitInstances(
      await loadMtBenchQuestions(data.mtBenchQuestions),
      maxInstances,
    );
    return questions.flatMap((question) =>
      question.turns.map((_, turn) => `mt-bench#${question.question_id}#${turn + 1}`),
    );
  },
  generate: ({ data, answer, generator, ...params }) =>
    generateMtBench({
      ...params,
      modelId: generator,
      ...(data.mtBenchQuestions !== undefined ? { questions: data.mtBenchQuestions } : {}),
      // One MoA run per turn at FastChat's per-category temperature; turn 2's history holds the
      // aggregated turn-1 answer.
      generate: ({ question, turn, messages, temperature, signal }) =>
        answer(messages, {
          runId: `mt-bench#${question.question_id}#${turn}`,
          signal,
          temperature,
        }),
    }),
  async judge({ data, answers, instanceLimit, judgeName, ...params }) {
    const judged =
      instanceLimit === undefined
        ? {
            answers,
            ...(data.mtBenchQuestions !== undefined ? { questions: data.mtBenchQuestions } : {}),
          }
        : await limitedAnswers(answers, data, instanceLimit);
    return judgeMtBench({
      ...params,
      // A question has two turns: the instance limit counts questions, not judgments.
      ...(instanceLimit !== undefined ? { maxInstances: undefined } : {}),
      ...judged,
      ...(judgeName ? { judgeName } : {}),
    });
  },
  async report({ judgments, data, model }) {
    const report = await reportMtBenchFile(judgments, {
      ...(data.mtBenchQuestions !== undefined ? { questions: data.mtBenchQuestions } : {}),
      ...(model !== undefined ? { model } : {}),
    });
    return { report, text: (options) => formatMtBenchReport(report, options) };
  },
  async score({ judgments: path, data, instanceLimit, generator }) {
    const questions = limitInstances(
      await loadMtBenchQuestions(data.mtBenchQuestions),
      instanceLimit,
    );
    const ids = new Set(questions.map((question) => question.question_id));
    const judgments = (await readMtBenchJudgments(path)).filter(
      (judgment) => ids.has(judgment.question_id) && judgment.model === generator,
    );
    const report = reportMtBench(judgments, questions, { model: generator });
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

/** The answers (and questions) of the first `instanceLimit` questions. */
async function limitedAnswers(
  path: string,
  data: { mtBenchQuestions?: string },
  instanceLimit: number,
) {
  const questions = limitInstances(
    await loadMtBenchQuestions(data.mtBenchQuestions),
    instanceLimit,
  );
  const ids = new Set(questions.map((question) => question.question_id));
  const answers = (await readMtBenchAnswers(path)).filter((answer) => ids.has(answer.question_id));
  return { answers, questions };
}

/** `std(values, ddof 1) / √n`, or `undefined` for fewer than two values. */
function standardErrorOfMean(values: readonly number[]): number | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  const squares = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  return Math.sqrt(squares / (n - 1) / n);
}
