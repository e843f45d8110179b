import { InvalidArgumentError } from "../../errors/index.js";
import { readMtBenchJudgments, type MtBenchJudgment } from "./judgments-file.js";
import { loadMtBenchQuestions, type MtBenchQuestion } from "./questions.js";
import { valueOrFile } from "../io/value-or-file.js";

/** The MT-Bench report of one model. */
export interface MtBenchReport {
  /** The judged model. */
  model: string;
  /** Mean rating over every valid judgment, both turns (FastChat's "Average"). */
  score: number;
  /** Mean rating of turn 1. */
  turn1: number;
  /** Mean rating of turn 2. */
  turn2: number;
  /** Mean rating per question category, both turns pooled. */
  by_category: Record<string, number>;
  /** Valid judgments used. */
  n_judgments: number;
  /** Judgments dropped because no rating could be parsed (score −1). */
  n_dropped: number;
  /** Questions with at least one valid judgment. */
  n_questions: number;
  /**
   * Questions of the benchmark (80 for MT-Bench): `n_questions` below it, or fewer than two
   * valid judgments per question, means the report covers a subset and is not comparable to
   * published figures.
   */
  n_questions_total: number;
}

/**
 * Averages MT-Bench judgments like FastChat's `show_result.py --mode single`: judgments with
 * score −1 are dropped, `score` is the mean over both turns, `turn1`/`turn2` per turn, and
 * `by_category` pools both turns per category. When the file holds several models, pass `model`.
 *
 * @example
 * ```ts
 * const report = reportMtBench(judgments, questions);
 * report.score; // e.g. 9.25
 * ```
 */
export function reportMtBench(
  judgments: readonly MtBenchJudgment[],
  questions: readonly MtBenchQuestion[],
  options: { model?: string } = {},
): MtBenchReport {
  const models = [...new Set(judgments.map((judgment) => judgment.model))];
  const model = options.model ?? models[0];
  if (model === undefined)
    throw new InvalidArgumentError({
      parameter: "judgments",
      value: 0,
      message: "no judgments to report.",
    });
  if (options.model === undefined && models.length > 1) {
    throw new InvalidArgumentError({
      parameter: "model",
      value: models,
      message: "the judgments cover several models; pass `model` to pick one.",
    });
  }
  const categoryOf = new Map(
    questions.map((question) => [question.question_id, question.category]),
  );
  const own = judgments.filter((judgment) => judgment.model === model);
  const valid = own.filter((judgment) => judgment.score !== -1);
  const average = (values: number[]) =>
    values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : Number.NaN;
  const byCategory: Record<string, number[]> = {};
  for (const judgment of valid) {
    const category = categoryOf.get(judgment.question_id) ?? "unknown";
    (byCategory[category] ??= []).push(judgment.score);
  }
  return {
    model,
    score: average(valid.map((judgment) => judgment.score)),
    turn1: average(
      valid.filter((judgment) => judgment.turn === 1).map((judgment) => judgment.score),
    ),
    turn2: average(
      valid.filter((judgment) => judgment.turn === 2).map((judgment) => judgment.score),
    ),
    by_category: Object.fromEntries(
      Object.entries(byCategory).map(([category, scores]) => [category, average(scores)]),
    ),
    n_judgments: valid.length,
    n_dropped: own.length - valid.length,
    n_questions: new Set(valid.map((judgment) => judgment.question_id)).size,
    n_questions_total: questions.length,
  };
}

/**
 * Reads a FastChat judgments file and reports it (`moa eval report --benchmark mt-bench`).
 *
 * @example
 * ```ts
 * const report = await reportMtBenchFile("runs/mt-bench/gpt-4_single.jsonl");
 * ```
 */
export async function reportMtBenchFile(
  path: string,
  options: { questions?: readonly MtBenchQuestion[] | string; model?: string } = {},
): Promise<MtBenchReport> {
  const [judgments, questions] = await Promise.all([
    readMtBenchJudgments(path),
    valueOrFile(options.questions, loadMtBenchQuestions),
  ]);
  return reportMtBench(
    judgments,
    questions,
    options.model === undefined ? {} : { model: options.model },
  );
}
