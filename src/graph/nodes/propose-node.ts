import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { Proposal } from "../../state/proposal.js";
import type { MoaStateUpdate } from "../../state/moa-state.js";
import { messageText, usageFromMessage } from "../../models/usage.js";
import { describeError, isControlFlowError } from "../control-flow.js";
import { createCallSignal } from "../call-signal.js";
import { expectAbortListeners } from "../expect-abort-listeners.js";
import { modelCallConfig } from "../model-call-config.js";
import { isCancelReason, type TurnRegistry } from "../turn-coordinator.js";
import type { PlanSource } from "../plan-source.js";
import type { ProposalEvent } from "../stream-events.js";
import type { ProposeTask } from "../propose-task.js";

/**
 * The propose node: one proposer call. A failure becomes a proposal with `status: "error"`
 * (so it never cancels its sibling branches); control flow and run cancellation propagate.
 */
export function createProposeNode(
  getPlan: PlanSource,
  options: { streamProposerTokens: boolean; turns: TurnRegistry },
) {
  return async function propose(
    task: ProposeTask,
    config: LangGraphRunnableConfig,
  ): Promise<MoaStateUpdate> {
    const plan = getPlan(config);
    const layer = plan.proposerLayers[task.layer - 1]!;
    expectAbortListeners(
      config.signal,
      layer.reduce((branches, spec) => branches + spec.samples, 0),
    );
    const proposer = layer[task.proposerIndex]!;
    const slot = {
      layer: task.layer,
      proposerId: proposer.id,
      proposerIndex: proposer.index,
      sample: task.sample,
    };
    const coordinator = options.turns.get(task.turnId, plan);
    if (task.spentBefore) coordinator.tally?.seed(task.spentBefore);
    const turnControl = coordinator.enter(task.layer);
    const call = createCallSignal(config.signal, turnControl, plan.callTimeoutMs);
    emit(config, { type: "proposal-start", ...slot });
    const started = performance.now();
    let proposal: Proposal;
    try {
      const reply = await call.bound(
        proposer.model.invoke(
          task.messages,
          modelCallConfig(
            config,
            {
              moa_role: "proposer",
              moa_layer: task.layer,
              moa_proposer_id: proposer.id,
              moa_sample: task.sample,
            },
            { stream: options.streamProposerTokens, signal: call.signal },
          ),
        ),
      );
      const content = messageText(reply);
      const latencyMs = performance.now() - started;
      const usage = usageFromMessage(reply);
      proposal =
        content.trim() === ""
          ? {
              ...slot,
              status: "error",
              content: "",
              error: "the model returned empty content",
              usage,
              latencyMs,
            }
          : { ...slot, status: "ok", content, usage, latencyMs };
    } catch (error) {
      if (isControlFlowError(error, config.signal)) throw error;
      proposal = {
        ...slot,
        status: "error",
        content: "",
        error: call.reason() ?? describeError(error),
        latencyMs: performance.now() - started,
      };
    } finally {
      call.dispose();
    }
    if (task.referencesTruncated) proposal.referencesTruncated = true;
    coordinator.leave(task.layer, turnControl, proposal.status === "ok");
    if (coordinator.tally) {
      coordinator.tally.add(proposer, proposal.usage);
      // The branch whose usage crossed the cap throws; the calls it cancelled only record that
      // (a second BudgetExceededError from a sibling would turn the run's error into an
      // AggregateError, since a cut call now settles before LangGraph aborts the step).
      const cutByBudget =
        isCancelReason(turnControl.signal.reason) && turnControl.signal.reason.kind === "budget";
      if (coordinator.tally.exceeded() && !cutByBudget) {
        const error = coordinator.tally.error();
        // Stop every in-flight call of the turn now; throwing ends the run with the typed error.
        coordinator.abortAll({
          kind: "budget",
          message: "cancelled: the run's budget was crossed",
        });
        throw error;
      }
    }
    emit(config, {
      type: "proposal-end",
      ...slot,
      status: proposal.status,
      usage: proposal.usage,
      latencyMs: proposal.latencyMs!,
      error: proposal.error,
    });
    return { proposals: [proposal] };
  };
}

function emit(config: LangGraphRunnableConfig, event: ProposalEvent): void {
  config.writer?.(event);
}
