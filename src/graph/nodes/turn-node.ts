import { RESET_PROPOSALS } from "../../state/proposal.js";
import type { MoaStateUpdate } from "../../state/moa-state.js";

/** Starts a turn: clears last turn's proposals, aggregation record and usage totals. */
export function turn(): MoaStateUpdate {
  return {
    proposals: RESET_PROPOSALS,
    aggregation: null,
    usage: { inputTokens: 0, outputTokens: 0 },
  };
}
