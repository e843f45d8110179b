import { readJsonl } from "../io/jsonl-file.js";
import { EvalDataError } from "../eval-data-error.js";

/** One FLASK model answer (`model_output/outputs/<model>.jsonl`): `question_id` = instance `idx`. */
export interface FlaskAnswer {
  question_id: number | string;
  text: string;
}

/**
 * Reads FLASK answers JSONL (`{question_id, text}` per line; other fields are ignored).
 *
 * @example
 * ```ts
 * const answers = await readFlaskAnswers("runs/flask/answers.jsonl");
 * ```
 */
export async function readFlaskAnswers(path: string): Promise<FlaskAnswer[]> {
  const rows = await readJsonl<Record<string, unknown>>(path);
  return rows.map((row, index) => {
    if (
      (typeof row?.question_id !== "number" && typeof row?.question_id !== "string") ||
      typeof row.text !== "string"
    ) {
      throw new EvalDataError({
        file: path,
        location: `line ${index + 1}`,
        message: "needs `question_id` and string `text`",
      });
    }
    return { question_id: row.question_id, text: row.text };
  });
}
