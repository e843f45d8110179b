import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import type { AIMessageChunk } from "@langchain/core/messages";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { configToParams, type ModelLoadSettings } from "../config/config-to-params.js";
import type { ResolvedMoaConfig } from "../config/moa-config.js";
import { createMixtureOfAgents } from "../graph/create-mixture-of-agents.js";
import type { MoaCallMetadata } from "../graph/model-call-config.js";
import { messageText } from "../models/index.js";
import type { PriceRow } from "../models/price-table.js";
import type { MoaState } from "../state/moa-state.js";
import type { ChatCompletionRequest } from "./chat-completion-request.js";

/** Settings of a model the server builds: the configuration's, plus the request's `stop`. */
export interface ServeModelSettings extends ModelLoadSettings {
  /** Stop sequences (the aggregator only, from the request). */
  stop?: string[];
}

/** Builds a chat model from a "provider:model" string (the CLI wraps `loadChatModel`). */
export type ServeModelLoader = (spec: string, settings: ServeModelSettings) => BaseChatModel;

/** What {@link runMoa} returns. */
export interface MoaRunResult {
  state: MoaState;
  answer: string;
}

/**
 * Runs the virtual model `config` on a request's conversation. The request's `temperature`,
 * `max_tokens` / `max_completion_tokens` and `stop` apply to the aggregator only; proposers keep
 * their configuration. `onDelta` gets the aggregator's tokens as they stream. `signal` cancels
 * every in-flight model call.
 */
export async function runMoa(
  config: ResolvedMoaConfig,
  request: ChatCompletionRequest,
  options: {
    loadModel: ServeModelLoader;
    prices: readonly PriceRow[];
    signal: AbortSignal;
    onDelta?: (text: string) => void;
  },
): Promise<MoaRunResult> {
  const params = configToParams(config, options.loadModel, options.prices);
  const maxTokens = request.max_completion_tokens ?? request.max_tokens ?? undefined;
  const stop = typeof request.stop === "string" ? [request.stop] : (request.stop ?? undefined);
  if (request.temperature != null || maxTokens !== undefined || stop !== undefined) {
    params.aggregator = {
      ...params.aggregator,
      model: options.loadModel(config.aggregator, {
        temperature: request.temperature ?? config.temperature,
        maxTokens: maxTokens ?? config.maxTokens,
        ...(config.retries !== undefined ? { maxRetries: config.retries } : {}),
        ...(stop !== undefined ? { stop } : {}),
      }),
    };
  }
  const graph = createMixtureOfAgents(params).compile();
  const stream = await graph.stream(
    { messages: request.messages.map(toLangChainMessage) },
    { streamMode: ["messages", "values"], signal: options.signal },
  );
  let state: MoaState | undefined;
  for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
    if (mode === "values") {
      state = chunk as MoaState;
    } else if (mode === "messages" && options.onDelta) {
      const [message, metadata] = chunk as [AIMessageChunk, Partial<MoaCallMetadata>];
      if (metadata.moa_role === "aggregator") {
        const text = messageText(message);
        if (text) options.onDelta(text);
      }
    }
  }
  return { state: state!, answer: messageText(state!.messages.at(-1)!) };
}

function toLangChainMessage(message: ChatCompletionRequest["messages"][number]): BaseMessage {
  const content =
    typeof message.content === "string"
      ? message.content
      : message.content.map((part) => part.text).join("");
  const fields = { content, ...(message.name !== undefined ? { name: message.name } : {}) };
  if (message.role === "user") return new HumanMessage(fields);
  if (message.role === "assistant") return new AIMessage(fields);
  return new SystemMessage(fields);
}
