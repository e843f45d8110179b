import { randomUUID } from "node:crypto";
import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { InvalidArgumentError } from "../../errors/index.js";
import type { Usage } from "../../state/index.js";
import { checkGenerationResult, type GenerationResult } from "../generation.js";
import { createJsonlStore } from "../stages/stage-store.js";
import {
  pickStageOptions,
  runStage,
  type StageOptions,
  type StageSummary,
} from "../stages/run-stage.js";
import type { MtBenchAnswer } from "./answers-file.js";
import { loadMtBenchQuestions, type MtBenchQuestion } from "./questions.js";
import { mtBenchTemperature } from "./temperatures.js";
import { valueOrFile } from "../io/value-or-file.js";

/** One MT-Bench turn handed to the generation function. */
export interface MtBenchTurnRequest {
  question: MtBenchQuestion;
  /** 1-based turn. */
  turn: number;
  /**
   * The conversation so far, ending with this turn's user message: earlier turns' questions and
   * **our own** final answers (for MoA: the aggregated answer of turn 1), as FastChat builds it.
   */
  messages: BaseMessage[];
  /** FastChat's per-category temperature (see `mtBenchTemperature`). */
  temperature: number;
  /** Aborted on timeout or run abort. */
  signal: AbortSignal;
}

/** Parameters of {@link generateMtBench}. */
export interface GenerateMtBenchParams extends StageOptions {
  /** Answers one turn (a single model, or one MoA run per turn). */
  generate: (request: MtBenchTurnRequest) => Promise<GenerationResult>;
  /** Written to every answer's `model_id`. */
  modelId: string;
  /** The answers file (FastChat JSONL, `model_answer/<model>.jsonl`). */
  out: string;
  /** The questions or their path. @default the vendored MT-Bench questions */
  questions?: readonly MtBenchQuestion[] | string;
}

/**
 * Generates MT-Bench answers turn by turn, resumably, in FastChat's answer format. Each
 * question's turns run in order; turn k sees the questions and this model's answers of turns
 * 1…k−1 in its history. Temperatures follow FastChat's per-category table.
 *
 * @example
 * ```ts
 * await generateMtBench({
 *   modelId: "moa",
 *   out: "runs/mt-bench/model_answer/moa.jsonl",
 *   generate: async ({ messages }) => {
 *     const state = await graph.invoke({ messages });
 *     return { output: String(state.messages.at(-1)!.content) };
 *   },
 * });
 * ```
 */
export async function generateMtBench(
  params: GenerateMtBenchParams,
): Promise<StageSummary<MtBenchAnswer>> {
  if (typeof params.generate !== "function") {
    throw new InvalidArgumentError({
      parameter: "generate",
      value: params.generate,
      message: "must be a function `(request) => Promise<{ output }>`.",
    });
  }
  if (!params.modelId) {
    throw new InvalidArgumentError({
      parameter: "modelId",
      value: params.modelId,
      message: "must name the model.",
    });
  }
  const questions = await valueOrFile(params.questions, loadMtBenchQuestions);
  return runStage<MtBenchQuestion, MtBenchAnswer>({
    ...pickStageOptions(params),
    stage: "mt-bench generate",
    items: questions,
    idOf: (question) => String(question.question_id),
    recordId: (answer) => String(answer.question_id),
    store: createJsonlStore(params.out),
    isCurrent: (answer, question) =>
      answer.model_id === params.modelId &&
      (answer.choices[0]?.turns.length ?? 0) === question.turns.length,
    execute: async (question, { signal }) => {
      const temperature = mtBenchTemperature(question.category);
      const messages: BaseMessage[] = [];
      const turns: string[] = [];
      const usage: Usage = { inputTokens: 0, outputTokens: 0 };
      let costUsd: number | undefined;
      for (const [index, text] of question.turns.entries()) {
        messages.push(new HumanMessage(text));
        const result = await params.generate({
          question,
          turn: index + 1,
          messages: [...messages],
          temperature,
          signal,
        });
        checkGenerationResult(result);
        messages.push(new AIMessage(result.output));
        turns.push(result.output);
        if (result.usage) {
          usage.inputTokens += result.usage.inputTokens;
          usage.outputTokens += result.usage.outputTokens;
        }
        if (result.costUsd !== undefined) costUsd = (costUsd ?? 0) + result.costUsd;
      }
      return {
        record: {
          question_id: question.question_id,
          answer_id: randomUUID().replace(/-/g, "").slice(0, 22),
          model_id: params.modelId,
          choices: [{ index: 0, turns }],
          tstamp: Date.now() / 1000,
        },
        usage,
        ...(costUsd !== undefined ? { costUsd } : {}),
      };
    },
  });
}
