import type { BaseMessage } from "@langchain/core/messages";
import { estimatePlan, type PlanEstimate } from "../ablation/estimate-plan.js";
import type { ResolvedMoaConfig } from "../config/moa-config.js";
import { estimateMessageTokens } from "../context/estimate-tokens.js";
import type { PriceRow } from "../models/price-table.js";
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
 * `moa plan` (with the conversation's estimated tokens as the prompt).
 */
export function warnContextOverflow(
  config: ResolvedMoaConfig,
  conversation: readonly BaseMessage[],
  prices: readonly PriceRow[],
  io: CliIo,
): void {
  const estimate = estimatePlan({
    config,
    promptTokens: estimateMessageTokens(conversation),
    prices,
  });
  for (const warning of estimate.contextWarnings) {
    // Like `moa plan`, the estimate assumes every answer reaches its output cap.
    const assumption = warning.layer > 1 ? " if every answer reaches --max-tokens" : "";
    io.stderr(`moa: warning: ${formatContextWarning(warning)}${assumption}\n`);
  }
}
