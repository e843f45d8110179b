import type { BaseMessage } from "@langchain/core/messages";
import type { LangGraphRunnableConfig } from "@langchain/langgraph";
import type { Proposal } from "../../state/proposal.js";
import type { MoaStateUpdate } from "../../state/moa-state.js";
import { messageText, usageFromMessage } from "../../models/usage.js";
import { describeError, isControlFlowError } from "../control-flow.js";
import { modelCallConfig } from "../model-call-config.js";
import type { PlanSource } from "../plan-source.js";
import type { ProposalEvent } from "../stream-events.js";

/** The payload of one `Send` to the propose node. */
export interface ProposeTask {
  layer: number;
  proposerIndex: number;
  sample: number;
  /** What this proposer sees: the conversation, with the previous layer's references for layer ≥ 2. */
  messages: BaseMessage[];
}

/**
 * The propose node: one proposer call. A failure becomes a proposal with `status: "error"`
 * (so it never cancels its sibling branches); control flow and run cancellation propagate.
 */
export function createProposeNode(getPlan: PlanSource, options: { streamProposerTokens: boolean }) {
  return async function propose(
    task: ProposeTask,
    config: LangGraphRunnableConfig,
  ): Promise<MoaStateUpdate> {
    const plan = getPlan(config);
    const proposer = plan.proposerLayers[task.layer - 1]![task.proposerIndex]!;
    const slot = {
      layer: task.layer,
      proposerId: proposer.id,
      proposerIndex: proposer.index,
      sample: task.sample,
    };
    emit(config, { type: "proposal-start", ...slot });
    const started = performance.now();
    let proposal: Proposal;
    try {
      const reply = await proposer.model.invoke(
        task.messages,
        modelCallConfig(
          config,
          {
            moa_role: "proposer",
            moa_layer: task.layer,
            moa_proposer_id: proposer.id,
            moa_sample: task.sample,
          },
          { stream: options.streamProposerTokens },
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
        error: describeError(error),
        latencyMs: performance.now() - started,
      };
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
