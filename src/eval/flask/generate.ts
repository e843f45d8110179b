import { InvalidArgumentError } from "../../errors/index.js";
import { checkGenerationResult, generationSpend, type GenerationResult } from "../generation.js";
import { createJsonlStore } from "../stages/stage-store.js";
import {
  pickStageOptions,
  runStage,
  type StageOptions,
  type StageSummary,
} from "../stages/run-stage.js";
import type { FlaskAnswer } from "./answers-file.js";
import { loadFlaskInstances, type FlaskInstance } from "./instances.js";
import { valueOrFile } from "../io/value-or-file.js";

/** Parameters of {@link generateFlask}. */
export interface GenerateFlaskParams extends StageOptions {
  /** Answers one instance (a single model, or the MoA graph). */
  generate: (
    instance: FlaskInstance,
    context: { signal: AbortSignal },
  ) => Promise<GenerationResult>;
  /** FLASK instances, or the path of `flask_evaluation.jsonl` (not vendored: pass it). */
  instances: readonly FlaskInstance[] | string;
  /** The answers file (JSONL of `{question_id, text}`). */
  out: string;
}

/**
 * Generates FLASK answers resumably (`{question_id, text}` per instance, in instance order).
 *
 * @example
 * ```ts
 * await generateFlask({
 *   instances: "FLASK/evaluation_set/flask_evaluation.jsonl",
 *   out: "runs/flask/answers.jsonl",
 *   generate: async ({ instruction }) => ({ output: await answer(instruction) }),
 * });
 * ```
 */
export async function generateFlask(
  params: GenerateFlaskParams,
): Promise<StageSummary<FlaskAnswer>> {
  if (typeof params.generate !== "function") {
    throw new InvalidArgumentError({
      parameter: "generate",
      value: params.generate,
      message: "must be a function `(instance) => Promise<{ output }>`.",
    });
  }
  const instances = await valueOrFile(params.instances, loadFlaskInstances);
  return runStage<FlaskInstance, FlaskAnswer>({
    ...pickStageOptions(params),
    stage: "flask generate",
    items: instances,
    idOf: (instance) => String(instance.idx),
    recordId: (answer) => String(answer.question_id),
    store: createJsonlStore(params.out),
    execute: async (instance, { signal }) => {
      const result = checkGenerationResult(await params.generate(instance, { signal }));
      return {
        record: { question_id: instance.idx, text: result.output },
        ...generationSpend(result),
      };
    },
  });
}
