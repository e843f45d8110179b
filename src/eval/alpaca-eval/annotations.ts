import { readJson } from "../io/json-file.js";
import { EvalDataError } from "../eval-data-error.js";

/**
 * One AlpacaEval annotation, in the layout of the official `annotations.json` files. `output_1`
 * is always the baseline and `output_2` the evaluated model, whatever order the judge saw.
 */
export interface AlpacaEvalAnnotation {
  instruction: string;
  output_1: string;
  generator_1: string;
  dataset?: string;
  output_2: string;
  generator_2: string;
  /** The annotator config name (`weighted_alpaca_eval_gpt4_turbo`). */
  annotator?: string;
  /** In [1, 2], 2 = `output_2` wins; null when the judge gave no usable answer. */
  preference: number | null;
  /** Judge cost of this example in US dollars, when known. */
  price_per_example?: number;
  /** Judge time in seconds. */
  time_per_example?: number;
  /** The judge's raw completion (`logprobs`, `text`), for auditing and re-parsing. */
  raw_completion?: unknown;
}

/**
 * Reads an official (or our) AlpacaEval `annotations.json`: a JSON list of objects with
 * `instruction`, `output_1`, `generator_1`, `output_2`, `generator_2`, `preference`.
 *
 * @example
 * ```ts
 * const annotations = await readAlpacaEvalAnnotations("claude-2.1.annotations.json");
 * ```
 */
export async function readAlpacaEvalAnnotations(path: string): Promise<AlpacaEvalAnnotation[]> {
  const content = await readJson<unknown>(path);
  if (!Array.isArray(content))
    throw new EvalDataError({ file: path, message: "must contain a JSON list of annotations" });
  return content.map((entry: unknown, index) => {
    const value = entry as Record<string, unknown> | null;
    const missing = ["instruction", "output_1", "generator_1", "output_2", "generator_2"].filter(
      (key) => typeof value?.[key] !== "string",
    );
    if (!value || missing.length > 0) {
      throw new EvalDataError({
        file: path,
        location: `entry ${index}`,
        message: `needs string fields ${missing.map((key) => `\`${key}\``).join(", ")}`,
      });
    }
    const preference = value.preference;
    if (preference !== null && preference !== undefined && typeof preference !== "number") {
      throw new EvalDataError({
        file: path,
        location: `entry ${index}`,
        message: "`preference` must be a number or null",
      });
    }
    return { ...(value as unknown as AlpacaEvalAnnotation), preference: preference ?? null };
  });
}
