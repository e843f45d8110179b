/**
 * Every Co-LLM method on one task list, by real decoding on the same decoder: the base alone, the
 * assistant alone, random deferral (p = 0.5, seeded per task), greedy (the more confident model's
 * token at every step) and the gate. Used by `moa colm demo` and `moa colm eval`.
 *
 * @module
 */
import { isExactMatch } from "./answer-metrics.js";
import { coLlmDecode } from "./co-llm-decode.js";
import type { DeferralPolicy } from "./deferral-policy.js";
import type { CoLlmGate } from "./gate.js";
import type { CoLlmTask } from "./tasks.js";
import type { TokenModel } from "./token-model.js";

/** The methods, in table order. */
export const CO_LLM_METHODS = ["base", "assistant", "random", "greedy", "co-llm"] as const;

/** A method's name. */
export type CoLlmMethodName = (typeof CO_LLM_METHODS)[number];

/** One row of the method table. */
export interface CoLlmMethodResult {
  name: CoLlmMethodName;
  /** Exact-match accuracy of the final answer, 0–1. */
  accuracy: number;
  /** Share of generated tokens the assistant wrote (all tasks pooled), 0–1. */
  deferralRate: number;
  /** Assistant evaluations (one batch per deferral; every step for assistant-only and greedy). */
  assistantCalls: number;
  /** Generated tokens, all tasks. */
  generatedTokens: number;
  tasks: number;
}

/** Parameters of {@link evaluateCoLlmMethods}. */
export interface EvaluateCoLlmMethodsParams {
  base: TokenModel;
  assistant: TokenModel;
  /** The trained gate, with its threshold `η`. */
  gate: CoLlmGate;
  tasks: readonly CoLlmTask[];
  /** Per decode. @default 64 */
  maxTokens?: number;
  stop?: readonly string[];
  /** Seed of the random baseline (task i uses seed + i). @default 0 */
  seed?: number;
  /** Deferral probability of the random baseline. @default 0.5 */
  randomProbability?: number;
  /** Only these methods, in table order. @default all */
  methods?: readonly CoLlmMethodName[];
  /** After each decode: the method, tasks done and the total. */
  onProgress?: (method: CoLlmMethodName, done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Decodes every task with every method and scores the final answers.
 *
 * @example
 * ```ts
 * const rows = await evaluateCoLlmMethods({ base, assistant, gate, tasks: heldOut });
 * rows.find((row) => row.name === "co-llm"); // { accuracy: 1, deferralRate: 0.17, assistantCalls: 8, … }
 * ```
 */
export async function evaluateCoLlmMethods(
  params: EvaluateCoLlmMethodsParams,
): Promise<CoLlmMethodResult[]> {
  const { tasks, seed = 0, randomProbability = 0.5 } = params;
  const policyOf = (name: CoLlmMethodName, index: number): DeferralPolicy => {
    switch (name) {
      case "base":
        return { kind: "base" };
      case "assistant":
        return { kind: "assistant" };
      case "random":
        return { kind: "random", probability: randomProbability, seed: seed + index };
      case "greedy":
        return { kind: "greedy" };
      case "co-llm":
        return { kind: "gate", gate: params.gate };
    }
  };
  const methods = CO_LLM_METHODS.filter((name) => params.methods?.includes(name) ?? true);
  const rows: CoLlmMethodResult[] = [];
  for (const name of methods) {
    let right = 0;
    let deferred = 0;
    let generated = 0;
    let assistantCalls = 0;
    for (const [index, task] of tasks.entries()) {
      const result = await coLlmDecode({
        base: params.base,
        assistant: params.assistant,
        prompt: task.prompt,
        policy: policyOf(name, index),
        maxTokens: params.maxTokens ?? 64,
        stop: params.stop,
        signal: params.signal,
      });
      if (isExactMatch(result.text, task.answer)) right += 1;
      deferred += result.steps.filter((step) => step.author === "assistant").length;
      generated += result.steps.length;
      assistantCalls += result.usage.assistant.calls;
      params.onProgress?.(name, index + 1, tasks.length);
    }
    rows.push({
      name,
      accuracy: tasks.length === 0 ? 0 : right / tasks.length,
      deferralRate: generated === 0 ? 0 : deferred / generated,
      assistantCalls,
      generatedTokens: generated,
      tasks: tasks.length,
    });
  }
  return rows;
}
