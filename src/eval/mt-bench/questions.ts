import { readJsonl } from "../io/jsonl-file.js";
import { vendoredDataPath } from "../data-directory.js";
import { EvalDataError } from "../eval-data-error.js";

/** One MT-Bench question (FastChat `question.jsonl`). */
export interface MtBenchQuestion {
  question_id: number;
  /** `writing`, `roleplay`, `reasoning`, `math`, `coding`, `extraction`, `stem`, `humanities`. */
  category: string;
  /** The user turns (two in MT-Bench). */
  turns: string[];
  /** Reference answers some questions carry (unused by the single-answer judge). */
  reference?: string[];
}

/**
 * Reads MT-Bench questions (FastChat JSONL).
 * @default path the vendored `data/mt_bench/question.jsonl` (80 questions, ids 81–160)
 *
 * @example
 * ```ts
 * const questions = await loadMtBenchQuestions();
 * ```
 */
export async function loadMtBenchQuestions(path?: string): Promise<MtBenchQuestion[]> {
  const file = path ?? vendoredDataPath("mt_bench", "question.jsonl");
  const questions = await readJsonl<MtBenchQuestion>(file);
  for (const [index, question] of questions.entries()) {
    if (
      typeof question?.question_id !== "number" ||
      typeof question.category !== "string" ||
      !Array.isArray(question.turns) ||
      question.turns.some((turn) => typeof turn !== "string")
    ) {
      throw new EvalDataError({
        file,
        location: `line ${index + 1}`,
        message: "needs `question_id`, `category` and string `turns`",
      });
    }
  }
  return questions;
}
