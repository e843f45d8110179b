import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { injectReferences } from "../../prompts/inject-references.js";
import { layerReferences, sumUsage } from "../../state/proposal.js";
import type { MoaState, MoaStateUpdate } from "../../state/moa-state.js";
import { usageFromMessage } from "../../models/usage.js";
import { modelCallConfig } from "../model-call-config.js";
import type { PlanSource } from "../plan-source.js";

/**
 * The final Aggregate-and-Synthesize call: the aggregator sees the conversation with the last
 * proposer layer's successful answers injected (or the plain conversation when `layers = 1`),
 * and its reply is appended to `messages`.
 */
export function createAggregateNode(getPlan: PlanSource) {
  return async function aggregate(
    state: MoaState,
    config: LangGraphRunnableConfig,
  ): Promise<MoaStateUpdate> {
    const plan = getPlan(config);
    const lastLayer = plan.proposerLayers.length;
    const references = lastLayer > 0 ? layerReferences(state.proposals, lastLayer) : [];
    const started = performance.now();
    const reply = await plan.aggregator.model.invoke(
      injectReferences(state.messages, references),
      modelCallConfig(
        config,
        {
          moa_role: "aggregator",
          moa_layer: lastLayer + 1,
          moa_proposer_id: plan.aggregator.id,
          moa_sample: 0,
        },
        { stream: true },
      ),
    );
    const usage = usageFromMessage(reply);
    return {
      messages: [reply],
      aggregation: {
        mode: "synthesize",
        aggregatorId: plan.aggregator.id,
        references: references.length,
        usage,
        latencyMs: performance.now() - started,
      },
      usage: sumUsage([...state.proposals.map((proposal) => proposal.usage), usage]),
    };
  };
}
