import type { BaseMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import { tallyProposals } from "../budget/run-spend.js";
import type { Usage } from "../state/proposal.js";
import type { MoaState } from "../state/moa-state.js";
import type { AggregatorFallbackRecord } from "../state/aggregation.js";
import { createAnswerMessageId } from "./answer-message-id.js";
import { createCallSignal } from "./call-signal.js";
import { ModelCallError } from "../errors/model-call-error.js";
import { describeError, isControlFlowError } from "./control-flow.js";
import { modelCallConfig, type MoaRole } from "./model-call-config.js";
import type { MoaPlan, ResolvedProposer } from "../plan/proposer-spec.js";

/**
 * One call of the final node (aggregator or ranker) under the plan's whole-call timeout. Any
 * failure other than control flow becomes a credential-free {@link ModelCallError} (a timeout
 * says so instead of a bare abort). The aggregator's reply, which becomes the turn's answer in
 * `messages`, comes back under an id of its own (see `createAnswerMessageId`).
 */
export async function callFinalModel(
  receiver: ResolvedProposer,
  messages: BaseMessage[],
  config: LangGraphRunnableConfig,
  plan: MoaPlan,
  role: Exclude<MoaRole, "proposer">,
): Promise<BaseMessage> {
  const call = createCallSignal(config.signal, undefined, plan.callTimeoutMs);
  const answerId = role === "aggregator" ? createAnswerMessageId() : undefined;
  try {
    const callConfig = modelCallConfig(
      config,
      {
        moa_role: role,
        moa_layer: plan.proposerLayers.length + 1,
        moa_proposer_id: receiver.id,
        moa_sample: 0,
      },
      // The ranker's reply is a number, not the answer: keep it out of the token stream.
      { stream: role === "aggregator", signal: call.signal },
    );
    if (answerId === undefined) {
      return await call.bound(receiver.model.invoke(messages, callConfig));
    }
    // `aggregatorTools`: the aggregator (or its fallback model) may answer with tool calls.
    const model = plan.aggregatorTools
      ? receiver.model.bindTools!(
          plan.aggregatorTools,
          plan.aggregatorToolChoice !== undefined ? { tool_choice: plan.aggregatorToolChoice } : {},
        )
      : receiver.model;
    const reply = await call.bound(
      model.invoke(messages, {
        ...callConfig,
        callbacks: answerId.callbacks(callConfig.callbacks),
      }),
    );
    return answerId.label(reply);
  } catch (error) {
    if (isControlFlowError(error, config.signal)) throw error;
    const status = (error as { status?: unknown } | null)?.status;
    throw new ModelCallError({
      role,
      modelId: receiver.id,
      message: call.reason() ?? describeError(error),
      status: typeof status === "number" ? status : undefined,
    });
  } finally {
    call.dispose();
  }
}

/** What {@link callWithAggregatorFallback} returns. */
export interface FallbackOutcome<T> {
  /** The model whose call produced `result`: the aggregator, or the fallback model. */
  receiver: ResolvedProposer;
  /** The call's result; `undefined` when `aggregatorFallback: "first-proposal"` took over. */
  result?: T;
  /** Set when the aggregator failed and the fallback took over. */
  fallback?: AggregatorFallbackRecord;
}

/**
 * Runs the final node's call on the aggregator and, when it fails after its retries and
 * `aggregatorFallback` is set, on the fallback model (or reports `"first-proposal"`, leaving
 * `result` unset, for the caller to answer with the first successful proposal). Control-flow
 * errors, and any failure without a fallback, propagate untouched. When the fallback model fails
 * too, the {@link ModelCallError} it throws names both failures and carries the aggregator's as
 * `cause`.
 */
export async function callWithAggregatorFallback<T>(
  plan: MoaPlan,
  signal: AbortSignal | undefined,
  call: (receiver: ResolvedProposer) => Promise<T>,
): Promise<FallbackOutcome<T>> {
  try {
    return { receiver: plan.aggregator, result: await call(plan.aggregator) };
  } catch (aggregatorError) {
    const backup = plan.aggregatorFallback;
    if (backup === undefined || isControlFlowError(aggregatorError, signal)) throw aggregatorError;
    const reason = ModelCallError.isInstance(aggregatorError)
      ? aggregatorError.message
      : describeError(aggregatorError);
    if (backup === "first-proposal") {
      return { receiver: plan.aggregator, fallback: { reason, used: "first-proposal" } };
    }
    try {
      return {
        receiver: backup,
        result: await call(backup),
        fallback: { reason, used: backup.id },
      };
    } catch (error) {
      if (!ModelCallError.isInstance(error) || !ModelCallError.isInstance(aggregatorError)) {
        throw error;
      }
      throw new ModelCallError({
        role: error.role,
        modelId: error.modelId,
        message: error.detail,
        status: error.status,
        aggregatorError,
      });
    }
  }
}

/**
 * Budget check after the final call: the turn's recorded proposals plus the final node's own
 * usage; throws `BudgetExceededError` (phase "run") when a cap is crossed.
 */
export function checkBudgetAfterFinal(
  plan: MoaPlan,
  state: Pick<MoaState, "proposals">,
  receiver: ResolvedProposer,
  usages: readonly (Usage | undefined)[],
): void {
  if (!plan.budget) return;
  const tally = tallyProposals(plan, state.proposals);
  for (const usage of usages) tally.add(receiver, usage);
  if (tally.exceeded()) throw tally.error();
}
