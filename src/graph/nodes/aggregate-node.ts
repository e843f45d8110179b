import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { layerReferences, sumUsage } from "../../state/proposal.js";
import type { MoaState, MoaStateUpdate } from "../../state/moa-state.js";
import { usageFromMessage } from "../../models/usage.js";
import {
  callFinalModel,
  callWithAggregatorFallback,
  checkBudgetAfterFinal,
} from "../final-call.js";
import { guardedInjection } from "../guarded-references.js";
import type { PlanSource } from "../plan-source.js";
import type { ResolvedProposer } from "../../plan/proposer-spec.js";
import type { TurnRegistry } from "../turn-coordinator.js";

/**
 * The final Aggregate-and-Synthesize call: the aggregator sees the conversation with the last
 * proposer layer's successful answers injected (or the plain conversation when `layers = 1`),
 * and its reply is appended to `messages`. When the aggregator fails after its retries and an
 * `aggregatorFallback` is set, the fallback model synthesizes instead, or the first successful
 * proposal is returned; the fallback is recorded in `aggregation.fallback`.
 */
export function createAggregateNode(getPlan: PlanSource, turns: TurnRegistry) {
  return async function aggregate(
    state: MoaState,
    config: LangGraphRunnableConfig,
  ): Promise<MoaStateUpdate> {
    const plan = getPlan(config);
    const lastLayer = plan.proposerLayers.length;
    const references = lastLayer > 0 ? layerReferences(state.proposals, lastLayer) : [];
    const started = performance.now();
    const synthesize = async (receiver: ResolvedProposer) => {
      const guarded = guardedInjection(state.messages, references, receiver, plan.referenceFormat);
      const reply = await callFinalModel(receiver, guarded.messages, config, plan, "aggregator");
      return { reply: reply as BaseMessage, truncated: guarded.referencesTruncated };
    };
    const { receiver, result, fallback } = await callWithAggregatorFallback(
      plan,
      config.signal,
      synthesize,
    );
    // `aggregatorFallback: "first-proposal"`: the first successful answer of the last layer.
    const outcome = result ?? {
      reply: new AIMessage({ content: references[0]!, id: `moa-fallback-${crypto.randomUUID()}` }),
      truncated: false,
    };
    const usage = fallback?.used === "first-proposal" ? undefined : usageFromMessage(outcome.reply);
    checkBudgetAfterFinal(plan, state, receiver, [usage]);
    if (state.turnId) turns.release(state.turnId);
    return {
      messages: [outcome.reply],
      aggregation: {
        mode: "synthesize",
        aggregatorId: receiver.id,
        references: references.length,
        usage,
        latencyMs: performance.now() - started,
        ...(outcome.truncated ? { referencesTruncated: true } : {}),
        ...(fallback ? { fallback } : {}),
      },
      usage: sumUsage([...state.proposals.map((proposal) => proposal.usage), usage]),
    };
  };
}
