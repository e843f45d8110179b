import { readJsonl } from "../io/jsonl-file.js";
import { vendoredDataPath } from "../data-directory.js";
import { EvalDataError } from "../eval-data-error.js";

/** One model answer in FastChat's `model_answer/<model>.jsonl` format. */
export interface MtBenchAnswer {
  question_id: number;
  /** A unique id per answer (FastChat uses shortuuid). */
  answer_id: string;
  /** The answering model's name. */
  model_id: string;
  /** One choice with one answer per turn. */
  choices: { index: number; turns: string[] }[];
  /** Unix time in seconds. */
  tstamp: number;
}

/**
 * Reads FastChat answers JSONL (also the reference answers `reference_answer/gpt-4.jsonl`).
 *
 * @example
 * ```ts
 * const answers = await readMtBenchAnswers("runs/mt-bench/model_answer/moa.jsonl");
 * ```
 */
export async function readMtBenchAnswers(path: string): Promise<MtBenchAnswer[]> {
  const answers = await readJsonl<MtBenchAnswer>(path);
  for (const [index, answer] of answers.entries()) {
    const turns = answer?.choices?.[0]?.turns;
    if (
      typeof answer?.question_id !== "number" ||
      !Array.isArray(turns) ||
      turns.some((turn) => typeof turn !== "string")
    ) {
      throw new EvalDataError({
        file: path,
        location: `line ${index + 1}`,
        message: "needs `question_id` and `choices[0].turns`",
      });
    }
  }
  return answers;
}

/**
 * The GPT-4 reference answers FastChat's judge uses for math, reasoning and coding, by question id.
 * @default path the vendored `data/mt_bench/reference_answer/gpt-4.jsonl`
 */
export async function loadMtBenchReferenceAnswers(
  path?: string,
): Promise<Map<number, MtBenchAnswer>> {
  const answers = await readMtBenchAnswers(
    path ?? vendoredDataPath("mt_bench", "reference_answer", "gpt-4.jsonl"),
  );
  return new Map(answers.map((answer) => [answer.question_id, answer]));
}
