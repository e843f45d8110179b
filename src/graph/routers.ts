import { Send, type LangGraphRunnableConfig } from "@langchain/langgraph";
import { injectReferences } from "../prompts/inject-references.js";
import { tallyProposals } from "../budget/run-spend.js";
import { layerReferences } from "../state/proposal.js";
import { guardedInjection } from "./guarded-references.js";
import { proposerView } from "./proposer-view.js";
import type { MoaState } from "../state/moa-state.js";
import { MOA_NODES } from "./node-names.js";
import type { ProposeTask } from "./propose-task.js";
import type { PlanSource } from "./plan-source.js";
import type { MoaPlan } from "../plan/proposer-spec.js";

/** The final node of a plan: `aggregate` or `rank`. */
export function finalNode(plan: MoaPlan): typeof MOA_NODES.aggregate | typeof MOA_NODES.rank {
  return plan.aggregation === "rank" ? MOA_NODES.rank : MOA_NODES.aggregate;
}

/** The 1-based proposer layer whose proposals are the newest in state (0 before layer 1). */
export function lastCompletedLayer(state: Pick<MoaState, "proposals">): number {
  let layer = 0;
  for (const proposal of state.proposals) layer = Math.max(layer, proposal.layer);
  return layer;
}

/**
 * One `Send` per (proposer, sample) of `layer`, in proposer order. Layer 1 sees the plain
 * conversation; later layers see it with the previous layer's successful answers injected. Tool
 * calls and tool results are rendered as text ({@link proposerView}).
 */
export function dispatchLayer(state: MoaState, plan: MoaPlan, layer: number): Send[] {
  const references = layer === 1 ? [] : layerReferences(state.proposals, layer - 1);
  // Proposers never get tool schemas: tool calls and results reach them as text.
  const conversation = proposerView(state.messages);
  // Injected once per layer; only a proposer whose context window is too small for it gets
  // its own, fairly shortened copy.
  const referenceFormat = plan.referenceFormat;
  const shared =
    layer === 1 ? conversation : injectReferences(conversation, references, { referenceFormat });
  const spentBefore = plan.budget ? tallyProposals(plan, state.proposals).spend : undefined;
  const sends: Send[] = [];
  for (const proposer of plan.proposerLayers[layer - 1]!) {
    const guarded =
      layer === 1 || proposer.contextWindow === undefined
        ? { messages: shared, referencesTruncated: false }
        : guardedInjection(conversation, references, proposer, referenceFormat);
    for (let sample = 0; sample < proposer.samples; sample++) {
      const task: ProposeTask = {
        layer,
        proposerIndex: proposer.index,
        sample,
        messages: guarded.messages,
        turnId: state.turnId ?? "",
        ...(guarded.referencesTruncated ? { referencesTruncated: true } : {}),
        ...(spentBefore ? { spentBefore } : {}),
      };
      sends.push(new Send(MOA_NODES.propose, task));
    }
  }
  return sends;
}

/** Router after `turn`: proposer layer 1, or straight to the final node when `layers = 1`. */
export function createTurnRouter(getPlan: PlanSource) {
  return function routeTurn(state: MoaState, config: LangGraphRunnableConfig): Send[] | string {
    const plan = getPlan(config);
    return plan.proposerLayers.length === 0 ? finalNode(plan) : dispatchLayer(state, plan, 1);
  };
}

/** Router after `layer`: the next proposer layer, or the final node after the last one. */
export function createLayerRouter(getPlan: PlanSource) {
  return function routeLayer(state: MoaState, config: LangGraphRunnableConfig): Send[] | string {
    const plan = getPlan(config);
    const completed = lastCompletedLayer(state);
    return completed < plan.proposerLayers.length
      ? dispatchLayer(state, plan, completed + 1)
      : finalNode(plan);
  };
}
