/**
 * Co-LLM training, step 5: choose `η` on a validation split, as the reference code does.
 *
 * Candidates: the quantiles of `g` on **base-only decoding** of the validation prompts (the gate
 * with `η = 1` never defers but records `g_t` at every generated token) that give 0 %, 10 %, …,
 * 90 % deferral; plus the Youden's-J threshold of `g` against "the assistant's argmax ≠ the
 * base's", taken on the **teacher-forced validation tokens** (where both argmaxes are known
 * without a second decode). Each distinct candidate is scored by a collaborative decode of every
 * validation task (exact match); the best wins, ties going to the lower deferral rate.
 *
 * @module
 */
import { InvalidArgumentError } from "../../errors/invalid-argument-error.js";
import { isExactMatch } from "../answer-metrics.js";
import { coLlmDecode } from "../co-llm-decode.js";
import { gateProbability, type CoLlmGate } from "../gate.js";
import type { CoLlmTask } from "../tasks.js";
import type { TokenModel } from "../token-model.js";
import type { ScoredToken } from "./score-sequences.js";

/** Parameters of {@link searchThreshold}. */
export interface SearchThresholdParams {
  base: TokenModel;
  assistant: TokenModel;
  /** The fitted gate (its `threshold` is ignored). */
  gate: CoLlmGate;
  /** Validation tasks, decoded at each candidate `η`. */
  validation: readonly CoLlmTask[];
  /** Teacher-forced validation tokens, for the Youden's-J candidate. @default none (no Youden row) */
  scored?: readonly Pick<ScoredToken, "baseArgmax" | "assistantArgmax" | "hidden">[];
  /** Target deferral rates of the quantile candidates. @default 0, 0.1, …, 0.9 */
  deferralRates?: readonly number[];
  /** Per decode. @default 64 */
  maxTokens?: number;
  stop?: readonly string[];
  signal?: AbortSignal;
}

/** One candidate threshold and what it gave on the validation split. */
export interface ThresholdCandidate {
  /** `"quantile"` (with its target deferral rate) or `"youden"`. */
  source: "quantile" | "youden";
  /** The deferral rate the quantile aims at on base-only decoding. */
  targetDeferralRate?: number;
  threshold: number;
  /** Exact-match accuracy on the validation tasks. */
  accuracy: number;
  /** Share of generated tokens the assistant wrote (all validation decodes pooled). */
  deferralRate: number;
}

/** What {@link searchThreshold} returns. */
export interface SearchThresholdResult {
  /** The gate with the chosen `η`. */
  gate: CoLlmGate;
  /** The chosen row of `table`. */
  best: ThresholdCandidate;
  /** Every candidate, in evaluation order. */
  table: ThresholdCandidate[];
}

const DEFAULT_DEFERRAL_RATES = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/**
 * Searches `η` for `gate` on the validation split.
 *
 * @example
 * ```ts
 * const { gate: tuned, table } = await searchThreshold({ base, assistant, gate, validation, scored });
 * table; // [{ source: "quantile", targetDeferralRate: 0, threshold: 0.93, accuracy: 0, deferralRate: 0 }, …]
 * ```
 */
export async function searchThreshold(
  params: SearchThresholdParams,
): Promise<SearchThresholdResult> {
  const { validation } = params;
  if (validation.length === 0) {
    throw new InvalidArgumentError({
      parameter: "validation",
      value: 0,
      message: "`validation` needs at least one task to score thresholds on.",
    });
  }
  const decode = (threshold: number, task: CoLlmTask) =>
    coLlmDecode({
      base: params.base,
      assistant: params.assistant,
      policy: { kind: "gate", gate: { ...params.gate, threshold } },
      prompt: task.prompt,
      maxTokens: params.maxTokens ?? 64,
      ...(params.stop !== undefined ? { stop: params.stop } : {}),
      ...(params.signal !== undefined ? { signal: params.signal } : {}),
    });

  // g on base-only decoding: η = 1 never defers (g ≤ 1).
  const gates: number[] = [];
  for (const task of validation) {
    const result = await decode(1, task);
    for (const step of result.steps) gates.push(step.gate!);
  }
  const candidates: Array<Omit<ThresholdCandidate, "accuracy" | "deferralRate">> = (
    params.deferralRates ?? DEFAULT_DEFERRAL_RATES
  ).map((rate) => ({
    source: "quantile",
    targetDeferralRate: rate,
    threshold: quantileThreshold(gates, rate),
  }));
  if (params.scored !== undefined) {
    const threshold = youdenThreshold(
      params.scored.map((token) => gateProbability(params.gate, token.hidden)),
      params.scored.map((token) => token.assistantArgmax !== token.baseArgmax),
    );
    if (threshold !== undefined) candidates.push({ source: "youden", threshold });
  }

  // Candidates often coincide (ties in g): each distinct η is decoded once.
  const scores = new Map<number, Pick<ThresholdCandidate, "accuracy" | "deferralRate">>();
  const table: ThresholdCandidate[] = [];
  for (const candidate of candidates) {
    let score = scores.get(candidate.threshold);
    if (score === undefined) {
      let right = 0;
      let deferred = 0;
      let generated = 0;
      for (const task of validation) {
        const result = await decode(candidate.threshold, task);
        if (isExactMatch(result.text, task.answer)) right += 1;
        deferred += result.steps.filter((step) => step.author === "assistant").length;
        generated += result.steps.length;
      }
      score = {
        accuracy: right / validation.length,
        deferralRate: generated === 0 ? 0 : deferred / generated,
      };
      scores.set(candidate.threshold, score);
    }
    table.push({ ...candidate, ...score });
  }
  const best = table.reduce((chosen, row) =>
    row.accuracy > chosen.accuracy ||
    (row.accuracy === chosen.accuracy && row.deferralRate < chosen.deferralRate)
      ? row
      : chosen,
  );
  return { gate: { ...params.gate, threshold: best.threshold }, best, table };
}

/**
 * The `η` under which a share `rate` of `gates` lies strictly above it: the
 * `(1 − rate)`-quantile of the values (the largest value for 0 %, so nothing defers).
 */
export function quantileThreshold(gates: readonly number[], rate: number): number {
  if (!(rate >= 0 && rate <= 1)) {
    throw new InvalidArgumentError({
      parameter: "deferralRates",
      value: rate,
      message: "a target deferral rate is a share from 0 to 1.",
    });
  }
  if (gates.length === 0) return 1;
  const sorted = [...gates].sort((a, b) => a - b);
  const deferred = Math.round(rate * sorted.length);
  if (deferred >= sorted.length) return 0;
  return sorted[sorted.length - deferred - 1]!;
}

/**
 * The `η` maximising Youden's J = TPR − FPR of "defer when g > η" against `positives`; ties go
 * to the higher `η`. `undefined` when the labels are all one class.
 */
export function youdenThreshold(
  gates: readonly number[],
  positives: readonly boolean[],
): number | undefined {
  const positiveCount = positives.filter(Boolean).length;
  const negativeCount = positives.length - positiveCount;
  if (positiveCount === 0 || negativeCount === 0) return undefined;
  const candidates = [...new Set(gates)].sort((a, b) => b - a);
  let best: { threshold: number; j: number } | undefined;
  for (const threshold of candidates) {
    let truePositives = 0;
    let falsePositives = 0;
    gates.forEach((g, index) => {
      if (g <= threshold) return;
      if (positives[index]) truePositives += 1;
      else falsePositives += 1;
    });
    const j = truePositives / positiveCount - falsePositives / negativeCount;
    // A rounding-level gain is a tie (1 − 1/3 and 2/3 differ in the last bit).
    if (best === undefined || j > best.j + 1e-12) best = { threshold, j };
  }
  return best!.threshold;
}
