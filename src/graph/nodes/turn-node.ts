import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { RESET_PROPOSALS } from "../../state/proposal.js";
import type { MoaStateUpdate } from "../../state/moa-state.js";
import type { PlanSource } from "../plan-source.js";

/**
 * Starts a turn: resolves the plan (so a bad per-run configuration fails here, before any
 * model call) and clears last turn's proposals, aggregation record and usage totals.
 */
export function createTurnNode(getPlan: PlanSource) {
  return function turn(_state: unknown, config: LangGraphRunnableConfig): MoaStateUpdate {
    getPlan(config);
    return {
      proposals: RESET_PROPOSALS,
      aggregation: null,
      usage: { inputTokens: 0, outputTokens: 0 },
    };
  };
}
