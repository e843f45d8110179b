import type { MoaState } from "../state/moa-state.js";
import type { Aggregation } from "../state/aggregation.js";
import type { Usage } from "../state/proposal.js";

/** One proposal of a run, summarised (no content): where it ran, how it went, what it cost. */
export interface MoaProposalSummary {
  layer: number;
  proposerId: string;
  sample: number;
  status: "ok" | "error";
  /** Tokens of the call (input + output), when the provider reported usage. */
  tokens?: number;
  latencyMs?: number;
  error?: string;
}

/**
 * What a MoA run did, as `ChatMixtureOfAgents` puts it in `response_metadata.moa` and
 * `createMoaTool` in its artifact: every proposal summarised, the final node's record, and the
 * usage summed over every call of the run.
 */
export interface MoaRunDetails {
  proposals: MoaProposalSummary[];
  aggregation?: Aggregation;
  usage: Usage;
}

/** Summarises a finished MoA state into {@link MoaRunDetails}. */
export function moaRunDetails(
  state: Pick<MoaState, "proposals" | "aggregation" | "usage">,
): MoaRunDetails {
  return {
    proposals: state.proposals.map((proposal) => ({
      layer: proposal.layer,
      proposerId: proposal.proposerId,
      sample: proposal.sample,
      status: proposal.status,
      ...(proposal.usage
        ? { tokens: proposal.usage.inputTokens + proposal.usage.outputTokens }
        : {}),
      ...(proposal.latencyMs !== undefined ? { latencyMs: proposal.latencyMs } : {}),
      ...(proposal.error !== undefined ? { error: proposal.error } : {}),
    })),
    ...(state.aggregation ? { aggregation: state.aggregation } : {}),
    usage: state.usage ?? { inputTokens: 0, outputTokens: 0 },
  };
}

/** LangChain's `usage_metadata` of a run's summed {@link Usage}. */
export function usageMetadataOf(usage: Usage) {
  return {
    input_tokens: usage.inputTokens,
    output_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}
