import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
  type BindToolsInput,
  type ToolChoice,
} from "@langchain/core/language_models/chat_models";
import type { BaseCallbackHandler } from "@langchain/core/callbacks/base";
import { CallbackManager, type CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { AsyncLocalStorageProviderSingleton } from "@langchain/core/singletons";
import {
  AIMessage,
  AIMessageChunk,
  type BaseMessage,
  type AIMessageChunkFields,
} from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import type { RunnableConfig } from "@langchain/core/runnables";
import {
  createMixtureOfAgents,
  type CreateMixtureOfAgentsParams,
} from "../graph/create-mixture-of-agents.js";
import type { MoaCallMetadata } from "../graph/model-call-config.js";
import { isProposalEvent } from "../graph/stream-events.js";
import { messageText } from "../models/usage.js";
import type { MoaState } from "../state/moa-state.js";
import { moaRunDetails, usageMetadataOf } from "./moa-run-details.js";

/** Name of the custom callback event carrying each proposal event (`handleCustomEvent`). */
export const MOA_PROPOSAL_EVENT = "moa_proposal";

/** Parameters of {@link ChatMixtureOfAgents}: those of `createMixtureOfAgents`, plus LangChain's. */
export type ChatMixtureOfAgentsParams = CreateMixtureOfAgentsParams & BaseChatModelParams;

/**
 * A Mixture-of-Agents as a LangChain chat model: every call runs the MoA graph of
 * `createMixtureOfAgents(params)` on the messages and answers with the aggregator's reply. Use it
 * anywhere a `BaseChatModel` goes: `invoke`, `batch`, `stream` (the aggregator's tokens as
 * chunks; proposer tokens are not streamed), an agent's `llm`, or a proposer of another MoA.
 *
 * - `usage_metadata` is the sum of every call of the run (proposers and aggregator).
 * - `response_metadata.moa` is a {@link MoaRunDetails}: each proposal (layer, proposerId,
 *   sample, status, tokens, latencyMs), the final node's record and the summed usage.
 * - Proposal start/end events go to callbacks as custom events named {@link MOA_PROPOSAL_EVENT}
 *   (`handleCustomEvent`, or `streamEvents` `on_custom_event`).
 * - `bindTools(tools)` binds the tools to the **aggregator only** (`aggregatorTools`); proposers
 *   see earlier tool calls and results as text. The aggregator's `tool_calls` become the reply's.
 * - `withStructuredOutput(schema)` works through that tool call of the aggregator.
 *
 * Each call runs the graph without a checkpointer (one turn, nothing kept); the caller's
 * `signal` cancels the run.
 *
 * @example
 * ```ts
 * import { createReactAgent } from "@langchain/langgraph/prebuilt";
 * import { ChatMixtureOfAgents } from "langgraph-moa";
 *
 * const moa = new ChatMixtureOfAgents({ proposers: [modelA, modelB], aggregator: modelC, layers: 2 });
 * const reply = await moa.invoke("Why is the sky blue?");
 * console.log(reply.content, reply.usage_metadata, reply.response_metadata.moa.proposals);
 * const agent = createReactAgent({ llm: moa, tools: [getWeather] });
 * ```
 */
export class ChatMixtureOfAgents extends BaseChatModel {
  /** The parameters this model was built from (`aggregatorTools` included once tools are bound). */
  readonly params: CreateMixtureOfAgentsParams;
  private readonly graph;

  static override lc_name(): string {
    return "ChatMixtureOfAgents";
  }

  constructor(params: ChatMixtureOfAgentsParams) {
    super(params);
    this.params = params;
    // Checked here, so a wrong argument fails at construction, not at the first call.
    this.graph = createMixtureOfAgents(params).compile({ checkpointer: false });
  }

  _llmType(): string {
    return "mixture-of-agents";
  }

  /**
   * A copy of this model whose aggregator may call `tools` (proposers never see their schemas).
   * Replaces tools bound earlier. `kwargs.tool_choice` reaches the aggregator's `bindTools`
   * (`aggregatorToolChoice`); other binding options are the aggregator model's own to set.
   */
  override bindTools(
    tools: BindToolsInput[],
    kwargs?: Partial<this["ParsedCallOptions"]> & { tool_choice?: ToolChoice },
  ): ChatMixtureOfAgents {
    const { aggregatorToolChoice: _previous, ...params } = this.params;
    return new ChatMixtureOfAgents({
      ...params,
      aggregatorTools: tools,
      ...(kwargs?.tool_choice !== undefined ? { aggregatorToolChoice: kwargs.tool_choice } : {}),
    });
  }

  override async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    let final: MoaState | undefined;
    for await (const [mode, chunk] of await this.runStream(messages, options, runManager, [
      "custom",
      "values",
    ])) {
      if (mode === "values") final = chunk as MoaState;
      else await forwardProposalEvent(chunk, runManager);
    }
    const message = finalMessage(final!);
    return { generations: [{ text: messageText(message), message }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    let final: MoaState | undefined;
    let id: string | undefined;
    for await (const [mode, chunk] of await this.runStream(messages, options, runManager, [
      "messages",
      "custom",
      "values",
    ])) {
      if (mode === "values") {
        final = chunk as MoaState;
      } else if (mode === "custom") {
        await forwardProposalEvent(chunk, runManager);
      } else {
        const [token, metadata] = chunk as [AIMessageChunk, MoaCallMetadata];
        if (metadata.moa_role !== "aggregator") continue;
        id ??= token.id;
        // The aggregator's own usage is left out: the last chunk carries the run's total.
        const piece = new AIMessageChunk({
          content: token.content,
          id,
          // A reply that did not stream token by token comes as one message with `tool_calls`.
          tool_call_chunks: token.tool_call_chunks?.length
            ? token.tool_call_chunks
            : (token.tool_calls ?? []).map(toToolCallChunk),
          additional_kwargs: token.additional_kwargs,
        } as AIMessageChunkFields);
        const text = messageText(piece);
        yield new ChatGenerationChunk({ text, message: piece });
        if (text) {
          await runManager?.handleLLMNewToken(text, undefined, undefined, undefined, undefined, {
            chunk: new ChatGenerationChunk({ text, message: piece }),
          });
        }
      }
    }
    const answer = finalMessage(final!);
    // A reply that did not stream (rank mode, `"first-proposal"` fallback) arrives whole here.
    const content = id === undefined ? answer.content : "";
    yield new ChatGenerationChunk({
      text: typeof content === "string" ? content : messageText(answer),
      message: new AIMessageChunk({
        content,
        id: id ?? answer.id,
        ...(id === undefined && answer.tool_calls?.length
          ? { tool_call_chunks: answer.tool_calls.map(toToolCallChunk) }
          : {}),
        usage_metadata: answer.usage_metadata,
        response_metadata: answer.response_metadata,
      }),
    });
  }

  private runStream(
    messages: BaseMessage[],
    options: BaseChatModelCallOptions,
    runManager: CallbackManagerForLLMRun | undefined,
    streamMode: ("messages" | "custom" | "values")[],
  ): Promise<AsyncIterable<[string, unknown]>> {
    const config: RunnableConfig = {
      callbacks: childCallbacks(runManager),
      signal: options.signal,
    };
    // Outside the caller's implicit LangGraph config: the inner graph is a run of its own, not a
    // subgraph of the agent calling this model (whose checkpointer and stream it must not use).
    return AsyncLocalStorageProviderSingleton.getInstance().run(undefined, () =>
      this.graph.stream({ messages }, { ...config, streamMode }),
    ) as Promise<AsyncIterable<[string, unknown]>>;
  }
}

// Tracers and handlers of the caller see the inner calls nested under this model's run; a calling
// graph's "messages" stream handler is left out (it would stream the proposers' tokens as the
// caller's, and the aggregator's twice).
function childCallbacks(runManager: CallbackManagerForLLMRun | undefined) {
  if (runManager === undefined) return undefined;
  const inherited = (runManager as unknown as { inheritableHandlers: BaseCallbackHandler[] })
    .inheritableHandlers;
  const handlers = inherited.filter((handler) => handler.name !== "StreamMessagesHandler");
  return new CallbackManager(runManager.runId, { handlers, inheritableHandlers: handlers });
}

async function forwardProposalEvent(
  chunk: unknown,
  runManager: CallbackManagerForLLMRun | undefined,
): Promise<void> {
  if (isProposalEvent(chunk)) await runManager?.handleCustomEvent(MOA_PROPOSAL_EVENT, chunk);
}

/**
 * The turn's answer with the run's summed usage and details (an `AIMessageChunk`, as LangChain's
 * own chat models return: `withStructuredOutput`'s parser requires one).
 */
function finalMessage(state: MoaState): AIMessageChunk {
  const answer = state.messages.at(-1) as AIMessage;
  const details = moaRunDetails(state);
  return new AIMessageChunk({
    content: answer.content,
    id: answer.id,
    tool_calls: answer.tool_calls ?? [],
    invalid_tool_calls: answer.invalid_tool_calls ?? [],
    additional_kwargs: answer.additional_kwargs,
    usage_metadata: usageMetadataOf(details.usage),
    response_metadata: { ...answer.response_metadata, moa: details },
  });
}

function toToolCallChunk(call: NonNullable<AIMessage["tool_calls"]>[number], index: number) {
  return {
    type: "tool_call_chunk" as const,
    name: call.name,
    args: JSON.stringify(call.args),
    id: call.id,
    index,
  };
}
