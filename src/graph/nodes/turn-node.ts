import { randomUUID } from "node:crypto";
import type { BaseMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { checkBudgetBeforeRun } from "../../budget/run-spend.js";
import { checkConversation } from "../../state/check-conversation.js";
import { RESET_PROPOSALS } from "../../state/proposal.js";
import type { MoaStateUpdate } from "../../state/moa-state.js";
import type { PlanSource } from "../plan-source.js";

/**
 * Starts a turn: checks the conversation (a message that is not text or content parts, or no
 * user message, fails with `InvalidInputError`), resolves the plan (so a bad per-run configuration fails here, before any
 * model call), runs the budget's pre-flight check, and clears last turn's proposals,
 * aggregation record and usage totals.
 */
export function createTurnNode(getPlan: PlanSource) {
  return function turn(
    state: { messages: BaseMessage[] },
    config: LangGraphRunnableConfig,
  ): MoaStateUpdate {
    checkConversation(state.messages);
    const plan = getPlan(config);
    checkBudgetBeforeRun(plan, state.messages);
    return {
      proposals: RESET_PROPOSALS,
      aggregation: null,
      usage: { inputTokens: 0, outputTokens: 0 },
      turnId: randomUUID(),
    };
  };
}
