import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { buildRankMessages } from "../../prompts/rank-prompt.js";
import { parseRankReply } from "../../prompts/parse-rank-reply.js";
import { compareProposals, sumUsage, type Usage } from "../../state/proposal.js";
import type { MoaState, MoaStateUpdate } from "../../state/moa-state.js";
import { messageText, usageFromMessage } from "../../models/usage.js";
import type { RankerCall } from "../../state/aggregation.js";
import {
  callFinalModel,
  callWithAggregatorFallback,
  checkBudgetAfterFinal,
} from "../final-call.js";
import type { ResolvedProposer } from "../../plan/proposer-spec.js";
import type { TurnRegistry } from "../turn-coordinator.js";
import type { PlanSource } from "../plan-source.js";

/**
 * The LLM-ranker variant of the final node (the paper's ablation): the aggregator model sees the
 * user query and the numbered answers of the last layer, names the best one, and that answer is
 * returned verbatim. An unusable reply is retried once with a stricter instruction; after that
 * the first successful proposal is used and the fallback is recorded.
 */
export function createRankNode(getPlan: PlanSource, turns: TurnRegistry) {
  return async function rank(
    state: MoaState,
    config: LangGraphRunnableConfig,
  ): Promise<MoaStateUpdate> {
    const plan = getPlan(config);
    const lastLayer = plan.proposerLayers.length;
    const candidates = state.proposals
      .filter((proposal) => proposal.layer === lastLayer && proposal.status === "ok")
      .sort(compareProposals);
    const query = latestUserText(state.messages);
    const started = performance.now();
    const replies: string[] = [];
    const usages: (Usage | undefined)[] = [];
    const calls: RankerCall[] = [];
    const {
      receiver: ranker,
      result: choice,
      fallback: aggregatorFallback,
    } = await callWithAggregatorFallback(plan, config.signal, pick);

    async function pick(model: ResolvedProposer): Promise<number | undefined> {
      for (const strict of [false, true]) {
        const callStarted = performance.now();
        const reply = await callFinalModel(
          model,
          buildRankMessages({
            query,
            candidates: candidates.map((candidate) => candidate.content),
            strict,
          }),
          config,
          plan,
          "ranker",
        );
        const callUsage = usageFromMessage(reply);
        replies.push(messageText(reply));
        usages.push(callUsage);
        calls.push({
          modelId: model.id,
          ...(callUsage ? { usage: callUsage } : {}),
          latencyMs: performance.now() - callStarted,
        });
        const parsed = parseRankReply(messageText(reply), candidates.length);
        if (parsed !== undefined && parsed >= 1 && parsed <= candidates.length) return parsed;
      }
      return undefined;
    }
    const fallback = choice === undefined;
    const chosenNumber = choice ?? 1;
    const chosen = candidates[chosenNumber - 1]!;
    const usage = sumUsage(usages);
    checkBudgetAfterFinal(plan, state, ranker, usages);
    if (state.turnId) turns.release(state.turnId);
    return {
      messages: [new AIMessage({ content: chosen.content, id: `moa-rank-${crypto.randomUUID()}` })],
      aggregation: {
        mode: "rank",
        aggregatorId: ranker.id,
        references: candidates.length,
        usage,
        latencyMs: performance.now() - started,
        ranking: {
          choice: chosenNumber,
          proposerId: chosen.proposerId,
          sample: chosen.sample,
          fallback,
          replies,
          calls,
        },
        ...(aggregatorFallback ? { fallback: aggregatorFallback } : {}),
      },
      usage: sumUsage([...state.proposals.map((proposal) => proposal.usage), usage]),
    };
  };
}

function latestUserText(messages: readonly BaseMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!;
    if (message.getType() === "human") return messageText(message);
  }
  return "";
}
