import { readJsonl } from "../io/jsonl-file.js";
import { EvalDataError } from "../eval-data-error.js";

/** One judgment in FastChat's `model_judgment/gpt-4_single.jsonl` format. */
export interface MtBenchJudgment {
  question_id: number;
  /** The judged model (`model_id` of the answer). */
  model: string;
  /** `[judge model, judge prompt name]`. */
  judge: [string, string];
  user_prompt: string;
  judgment: string;
  /** The parsed rating, −1 when none was found. */
  score: number;
  turn: number;
  tstamp: number;
}

/**
 * Reads MT-Bench judgments (FastChat `gpt-4_single.jsonl` format, ours or FastChat's).
 *
 * @example
 * ```ts
 * const judgments = await readMtBenchJudgments("runs/mt-bench/gpt-4_single.jsonl");
 * ```
 */
export async function readMtBenchJudgments(path: string): Promise<MtBenchJudgment[]> {
  const judgments = await readJsonl<MtBenchJudgment>(path);
  for (const [index, judgment] of judgments.entries()) {
    if (
      typeof judgment?.question_id !== "number" ||
      typeof judgment.score !== "number" ||
      typeof judgment.turn !== "number"
    ) {
      throw new EvalDataError({
        file: path,
        location: `line ${index + 1}`,
        message: "needs `question_id`, `score` and `turn`",
      });
    }
  }
  return judgments;
}
