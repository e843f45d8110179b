import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { InsufficientProposalsError } from "../../errors/insufficient-proposals-error.js";
import type { MoaState, MoaStateUpdate } from "../../state/moa-state.js";
import type { PlanSource } from "../plan-source.js";
import { lastCompletedLayer } from "../routers.js";
import type { TurnRegistry } from "../turn-coordinator.js";

/**
 * Closes a proposer layer: enforces the quorum (`minProposals`). The router that follows
 * dispatches the next layer or the final node.
 */
export function createLayerNode(getPlan: PlanSource, turns: TurnRegistry) {
  return function layer(state: MoaState, config: LangGraphRunnableConfig): MoaStateUpdate {
    const plan = getPlan(config);
    const completed = lastCompletedLayer(state);
    if (state.turnId) turns.get(state.turnId, plan).closeLayer(completed);
    const proposals = state.proposals.filter((proposal) => proposal.layer === completed);
    const succeeded = proposals.filter((proposal) => proposal.status === "ok").length;
    if (succeeded < plan.minProposals) {
      throw new InsufficientProposalsError({
        layer: completed,
        succeeded,
        required: plan.minProposals,
        failures: proposals
          .filter((proposal) => proposal.status === "error")
          .map(({ proposerId, sample, error }) => ({
            proposerId,
            sample,
            error: error ?? "unknown error",
          })),
      });
    }
    return {};
  };
}
