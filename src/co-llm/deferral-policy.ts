/**
 * Who writes each token: the learned gate (Co-LLM) or one of the reference code's baselines,
 * all run by the same decoder ({@link coLlmDecode}) so their scores and costs compare.
 *
 * @module
 */
import type { CoLlmGate } from "./gate.js";

/**
 * - `gate`: Co-LLM: the assistant writes token t when `sigmoid(w · h_t + b) > η`.
 * - `base` / `assistant`: one model alone (the other is never evaluated).
 * - `random`: defer with probability `probability` per token, from a seeded generator.
 * - `greedy`: both models every step; the token of the more confident one (the base on ties).
 */
export type DeferralPolicy =
  | { kind: "gate"; gate: CoLlmGate }
  | { kind: "base" }
  | { kind: "assistant" }
  | {
      kind: "random";
      /** @default 0.5 */
      probability?: number;
      /** @default 0 */
      seed?: number;
    }
  | { kind: "greedy" };

/** The baselines of the reference code that need no training, in report order. */
export const CO_LLM_BASELINES: readonly DeferralPolicy[] = [
  { kind: "base" },
  { kind: "assistant" },
  { kind: "random", probability: 0.5, seed: 0 },
  { kind: "greedy" },
];

/** A short name of a policy for tables: `co-llm`, `base`, `assistant`, `random-0.5`, `greedy`. */
export function deferralPolicyName(policy: DeferralPolicy): string {
  if (policy.kind === "gate") return "co-llm";
  if (policy.kind === "random") return `random-${policy.probability ?? 0.5}`;
  return policy.kind;
}
