import { InvalidArgumentError } from "../errors/index.js";
import type { Usage } from "../state/index.js";

/**
 * What a generation function returns for one instance (or one MT-Bench turn). Plug in any model
 * or the MoA graph: `async (instance) => ({ output: await answer(instance.instruction) })`.
 */
export interface GenerationResult {
  /** The answer text. */
  output: string;
  /** Tokens spent, for the running cost. */
  usage?: Usage;
  /** Cost in US dollars, when the generator knows it (else the stage's `costOf(usage)`). */
  costUsd?: number;
}

/** Throws an {@link InvalidArgumentError} unless a `generate` option resolved to `{ output: string }`. */
export function checkGenerationResult(result: GenerationResult): GenerationResult {
  if (typeof result?.output !== "string") {
    throw new InvalidArgumentError({
      parameter: "generate",
      value: result,
      message: "must resolve to `{ output: string }`.",
    });
  }
  return result;
}

/** The `usage` and `costUsd` of a generation that are set, to spread into a stage outcome. */
export function generationSpend(
  result: GenerationResult,
): Pick<GenerationResult, "usage" | "costUsd"> {
  return {
    ...(result.usage ? { usage: result.usage } : {}),
    ...(result.costUsd !== undefined ? { costUsd: result.costUsd } : {}),
  };
}
