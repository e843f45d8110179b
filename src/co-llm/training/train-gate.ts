/**
 * The whole Co-LLM switch training in memory, the reference code's steps in order: teacher-force
 * the training sequences through both models, weak labels, weighted-BCE initialisation, the
 * marginal-likelihood fit (both models frozen), and the threshold search on a validation split.
 * For a one-shot run (`moa colm demo`); each step is also exported on its own.
 *
 * @module
 */
import { InvalidArgumentError } from "../../errors/invalid-argument-error.js";
import type { CoLlmGate } from "../gate.js";
import type { CoLlmTask } from "../tasks.js";
import type { TokenModel } from "../token-model.js";
import { fitMarginalLikelihood } from "./fit-marginal-likelihood.js";
import { initializeGate } from "./initialize-gate.js";
import { scoreSequences, type TrainingSequence } from "./score-sequences.js";
import { searchThreshold, type SearchThresholdResult } from "./search-threshold.js";

/** A task with the gold continuation of its prompt (what a right model writes). */
export interface GoldTask extends CoLlmTask {
  /** The continuation scored by teacher forcing. @default `answer` */
  reference?: string;
}

/** The steps of {@link trainCoLlmGate}, in order. */
export type TrainGateStep = "score" | "initialize" | "fit" | "threshold";

/** Parameters of {@link trainCoLlmGate}. */
export interface TrainCoLlmGateParams {
  /** The base, loaded with hidden states. */
  base: TokenModel;
  assistant: TokenModel;
  train: readonly GoldTask[];
  validation: readonly GoldTask[];
  /** Appended to every gold continuation so the end of an answer is learnt too. */
  endOfSequenceToken?: number;
  /** Per validation decode. @default 64 */
  maxTokens?: number;
  /** Called as each step starts. */
  onStep?: (step: TrainGateStep) => void;
  signal?: AbortSignal;
}

/** What {@link trainCoLlmGate} returns. */
export interface TrainCoLlmGateResult {
  /** The trained gate with the chosen `η`. */
  gate: CoLlmGate;
  /** The threshold search: every candidate and the chosen one. */
  search: SearchThresholdResult;
  /** Scored training tokens. */
  trainTokens: number;
}

/** Prompt ids and gold answer ids of a task, as the decoder tokenizes them. */
export function trainingSequence(
  model: TokenModel,
  task: GoldTask,
  endOfSequenceToken?: number,
): TrainingSequence {
  const prompt = model.tokenize(task.prompt);
  const whole = model.tokenize(task.prompt + (task.reference ?? task.answer));
  const sharesPrompt = prompt.every((token, index) => whole[index] === token);
  if (!sharesPrompt || whole.length <= prompt.length) {
    throw new InvalidArgumentError({
      parameter: "tasks",
      value: task.prompt.slice(0, 80),
      message:
        "A training task's prompt does not tokenize to a prefix of prompt + reference. End the prompt where the answer starts (e.g. without a trailing space before the answer).",
    });
  }
  const answer = whole.slice(prompt.length);
  return {
    prompt,
    answer: endOfSequenceToken === undefined ? answer : [...answer, endOfSequenceToken],
  };
}

/**
 * Trains a gate for `base` + `assistant` and picks its threshold.
 *
 * @example
 * ```ts
 * const { gate, search } = await trainCoLlmGate({ base, assistant, train, validation });
 * search.best; // { source: "quantile", threshold: 0.41, accuracy: 1, deferralRate: 0.17, … }
 * ```
 */
export async function trainCoLlmGate(params: TrainCoLlmGateParams): Promise<TrainCoLlmGateResult> {
  const { base, assistant, signal } = params;
  for (const [name, tasks] of [
    ["train", params.train],
    ["validation", params.validation],
  ] as const) {
    if (tasks.length === 0) {
      throw new InvalidArgumentError({
        parameter: name,
        value: 0,
        message: `The ${name} split is empty: give at least one {prompt, answer} task.`,
      });
    }
  }
  const toSequence = (task: GoldTask) => trainingSequence(base, task, params.endOfSequenceToken);
  params.onStep?.("score");
  const scored = await scoreSequences({
    base,
    assistant,
    sequences: params.train.map(toSequence),
    signal,
  });
  params.onStep?.("initialize");
  const initial = initializeGate({ baseModel: base.identity, scored });
  params.onStep?.("fit");
  const fitted = fitMarginalLikelihood({ gate: initial, scored });
  params.onStep?.("threshold");
  const search = await searchThreshold({
    base,
    assistant,
    gate: fitted,
    validation: params.validation,
    scored: await scoreSequences({
      base,
      assistant,
      sequences: params.validation.map(toSequence),
      signal,
    }),
    maxTokens: params.maxTokens,
    signal,
  });
  return { gate: search.gate, search, trainTokens: scored.length };
}
