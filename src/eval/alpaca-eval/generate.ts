import { InvalidArgumentError } from "../../errors/index.js";
import { checkGenerationResult, generationSpend, type GenerationResult } from "../generation.js";
import { createJsonListStore } from "../stages/stage-store.js";
import {
  pickStageOptions,
  runStage,
  type StageOptions,
  type StageSummary,
} from "../stages/run-stage.js";
import { loadAlpacaEvalSet, type AlpacaEvalOutput } from "./outputs-file.js";
import { valueOrFile } from "../io/value-or-file.js";

/** One AlpacaEval instruction handed to the generation function. */
export interface AlpacaEvalInstance {
  /** 0-based position in the eval set. */
  index: number;
  instruction: string;
  /** The eval subset (`helpful_base`, …). */
  dataset: string;
}

/** Parameters of {@link generateAlpacaEval}. */
export interface GenerateAlpacaEvalParams extends StageOptions {
  /** Answers one instruction (a single model, or the MoA graph). */
  generate: (
    instance: AlpacaEvalInstance,
    context: { signal: AbortSignal },
  ) => Promise<GenerationResult>;
  /** Name written to every output's `generator` field (the leaderboard's model name). */
  generator: string;
  /** The outputs file to write (a JSON list, upstream's `model_outputs.json` format). */
  out: string;
  /** The eval set, or its path. @default the vendored AlpacaEval 2.0 eval set */
  evalSet?: readonly AlpacaEvalOutput[] | string;
}

/**
 * Generates AlpacaEval outputs with a caller-supplied function, resumably: finished
 * instructions in `out` are skipped, failures are recorded in `<out>.errors.jsonl` and retried
 * on the next run, and the file is written in eval-set order.
 *
 * @example
 * ```ts
 * await generateAlpacaEval({
 *   generator: "my-moa",
 *   out: "runs/alpaca/model_outputs.json",
 *   generate: async ({ instruction }) => ({ output: await answer(instruction) }),
 *   maxInstances: 5,
 * });
 * ```
 */
export async function generateAlpacaEval(
  params: GenerateAlpacaEvalParams,
): Promise<StageSummary<AlpacaEvalOutput>> {
  if (typeof params.generate !== "function") {
    throw new InvalidArgumentError({
      parameter: "generate",
      value: params.generate,
      message: "must be a function `(instance) => Promise<{ output }>`.",
    });
  }
  if (!params.generator) {
    throw new InvalidArgumentError({
      parameter: "generator",
      value: params.generator,
      message: "must name the model (e.g. `together-moa`).",
    });
  }
  const evalSet = await valueOrFile(params.evalSet, loadAlpacaEvalSet);
  const instances: AlpacaEvalInstance[] = evalSet.map((entry, index) => ({
    index,
    instruction: entry.instruction,
    dataset: entry.dataset,
  }));
  return runStage<AlpacaEvalInstance, AlpacaEvalOutput>({
    ...pickStageOptions(params),
    stage: "alpaca-eval generate",
    items: instances,
    idOf: (instance) => instance.instruction,
    recordId: (output) => output.instruction,
    store: createJsonListStore(params.out),
    isCurrent: (output) => output.generator === params.generator,
    execute: async (instance, { signal }) => {
      const result = checkGenerationResult(await params.generate(instance, { signal }));
      return {
        record: {
          instruction: instance.instruction,
          output: result.output,
          generator: params.generator,
          dataset: instance.dataset,
        },
        ...generationSpend(result),
      };
    },
  });
}
