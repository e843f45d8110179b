import { readJson, writeJson } from "../io/json-file.js";
import { vendoredDataPath } from "../data-directory.js";
import { EvalDataError } from "../eval-data-error.js";

/** One entry of an AlpacaEval outputs file (`model_outputs.json`, the eval set). */
export interface AlpacaEvalOutput {
  /** The instruction, verbatim from the eval set (outputs are matched to it by this text). */
  instruction: string;
  /** The model's answer. */
  output: string;
  /** The model's name (`generator` in upstream files). */
  generator: string;
  /** The eval subset the instruction comes from (`helpful_base`, `koala`, …). */
  dataset: string;
}

/**
 * Reads an AlpacaEval outputs file: a JSON list of `{instruction, output, generator, dataset}`
 * (upstream's format; `generator` and `dataset` may be missing in hand-made files and default to
 * `defaults.generator` / `""`).
 *
 * @example
 * ```ts
 * const outputs = await readAlpacaEvalOutputs("runs/moa/model_outputs.json");
 * ```
 */
export async function readAlpacaEvalOutputs(
  path: string,
  defaults: { generator?: string } = {},
): Promise<AlpacaEvalOutput[]> {
  const content = await readJson<unknown>(path);
  if (!Array.isArray(content))
    throw new EvalDataError({ file: path, message: "must contain a JSON list of outputs" });
  return content.map((entry: unknown, index) => {
    const value = entry as Partial<Record<keyof AlpacaEvalOutput, unknown>> | null;
    if (!value || typeof value.instruction !== "string" || typeof value.output !== "string") {
      throw new EvalDataError({
        file: path,
        location: `entry ${index}`,
        message: "needs string `instruction` and `output`",
      });
    }
    const generator = typeof value.generator === "string" ? value.generator : defaults.generator;
    if (generator === undefined) {
      throw new EvalDataError({
        file: path,
        location: `entry ${index}`,
        message: "has no `generator`; pass a default generator name",
      });
    }
    return {
      instruction: value.instruction,
      output: value.output,
      generator,
      dataset: typeof value.dataset === "string" ? value.dataset : "",
    };
  });
}

/** Writes an AlpacaEval outputs file (a JSON list, key order as upstream), atomically. */
export async function writeAlpacaEvalOutputs(
  path: string,
  outputs: readonly AlpacaEvalOutput[],
): Promise<void> {
  await writeJson(
    path,
    outputs.map(({ instruction, output, generator, dataset }) => ({
      dataset,
      instruction,
      output,
      generator,
    })),
  );
}

/**
 * The AlpacaEval 2.0 eval set: the 805 instructions in official order with the reference
 * (baseline `gpt4_1106_preview`) outputs.
 * @default path the vendored `data/alpaca_eval/eval_set.gpt4_1106_preview.json`
 */
export async function loadAlpacaEvalSet(path?: string): Promise<AlpacaEvalOutput[]> {
  return readAlpacaEvalOutputs(
    path ?? vendoredDataPath("alpaca_eval", "eval_set.gpt4_1106_preview.json"),
  );
}
