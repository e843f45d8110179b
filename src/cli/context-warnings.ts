import type { BaseMessage } from "@langchain/core/messages";
import { estimatePlan, type PlanEstimate } from "../ablation/estimate-plan.js";
import type { ResolvedMoaConfig } from "../config/moa-config.js";
import { estimateMessageTokens } from "../context/estimate-tokens.js";
import type { PriceRow } from "../models/price-table.js";
import { DEFAULT_EXPECTED_OUTPUT_TOKENS } from "../plan/resolve-plan.js";
import type { CliIo } from "./cli-io.js";

/** One call that would overflow its model's known context window. */
export type ContextWarning = PlanEstimate["contextWarnings"][number];

/** The line `moa plan` and `moa run` print for a call that would overflow its context window. */
export function formatContextWarning(warning: ContextWarning): string {
  return (
    `context: layer ${warning.layer} ${warning.modelId} needs ~${warning.tokens} tokens, above its ${warning.contextWindow}-token window` +
    (warning.layer > 1
      ? " (the context guard will shorten its references; the estimate does not)"
      : " (the prompt alone is too long for it)")
  );
}

/**
 * Before `moa run` calls anything: warns on stderr about every call whose prompt plus injected
 * references would overflow its model's known context window, from the same estimate as
 * `moa plan` (with the conversation's estimated tokens as the prompt). Answers are assumed to be
 * of the typical length the expected budget uses (`--expected-output-tokens`, at most
 * `--max-tokens`), not the cap: with the cap, the paper's own MoA would warn on every run
 * (6 × 2048 tokens exceed Llama-3-70B's 8K window), which is a warning nobody reads.
 * `moa plan` shows the upper bound.
 */
export function warnContextOverflow(
  config: ResolvedMoaConfig,
  conversation: readonly BaseMessage[],
  prices: readonly PriceRow[],
  io: CliIo,
): void {
  const outputTokens = Math.min(
    config.maxTokens,
    config.expectedOutputTokens ?? DEFAULT_EXPECTED_OUTPUT_TOKENS,
  );
  const estimate = estimatePlan({
    config,
    promptTokens: estimateMessageTokens(conversation),
    outputTokens,
    prices,
  });
  for (const warning of estimate.contextWarnings) {
    const assumption =
      warning.layer > 1
        ? ` with answers of ~${outputTokens} tokens (--expected-output-tokens)`
        : "";
    io.stderr(`moa: warning: ${formatContextWarning(warning)}${assumption}\n`);
  }
}
