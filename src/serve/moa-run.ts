import {
  AIMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
  type AIMessageChunk,
  type BaseMessage,
} from "@langchain/core/messages";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { configToParams, type ModelLoadSettings } from "../config/config-to-params.js";
import type { ResolvedMoaConfig } from "../config/moa-config.js";
import type { MoaStateGraph } from "../graph/build-moa-graph.js";
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

/** An OpenAI `tool_calls[i]` (of a message, or of a streamed delta with `index`). */
export interface OpenAIToolCall {
  index?: number;
  id?: string;
  type?: "function";
  function: { name?: string; arguments: string };
}

/** What {@link runMoa} returns. */
export interface MoaRunResult {
  state: MoaState;
  answer: string;
  /** The aggregator's tool calls (request `tools`), in OpenAI's format; empty without. */
  toolCalls: OpenAIToolCall[];
}

/** A compiled MoA graph for one request (see {@link prepareMoaRun}). */
export type PreparedMoaRun = ReturnType<MoaStateGraph["compile"]>;

/**
 * Builds the graph of the virtual model `config` for a request, before any model call. The
 * request's `temperature`, `max_tokens` / `max_completion_tokens` and `stop` apply to the
 * aggregator only; proposers keep their configuration. The request's `tools` and `tool_choice`
 * bind to the aggregator only (`aggregatorTools`, `aggregatorToolChoice`; `tool_choice: "none"`
 * leaves the tools out). Throws `InvalidArgumentError` for what the configuration cannot do (tools
 * for an aggregator without `bindTools`).
 */
export function prepareMoaRun(
  config: ResolvedMoaConfig,
  request: ChatCompletionRequest,
  options: { loadModel: ServeModelLoader; prices: readonly PriceRow[] },
): PreparedMoaRun {
  const params = configToParams(config, options.loadModel, options.prices);
  if (request.tools?.length && request.tool_choice !== "none") {
    params.aggregatorTools = request.tools;
    if (request.tool_choice != null) params.aggregatorToolChoice = request.tool_choice;
  }
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
  return createMixtureOfAgents(params).compile();
}

/**
 * Runs a prepared graph on a request's conversation; proposers see earlier tool calls as text.
 * `onDelta` gets the aggregator's tokens as they stream, `onToolCallDelta` its tool-call chunks.
 * `signal` cancels every in-flight model call.
 */
export async function runMoa(
  graph: PreparedMoaRun,
  request: ChatCompletionRequest,
  options: {
    signal: AbortSignal;
    onDelta?: (text: string) => void;
    onToolCallDelta?: (calls: OpenAIToolCall[]) => void;
  },
): Promise<MoaRunResult> {
  const stream = await graph.stream(
    { messages: request.messages.map(toLangChainMessage) },
    { streamMode: ["messages", "values"], signal: options.signal },
  );
  let state: MoaState | undefined;
  for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
    if (mode === "values") {
      state = chunk as MoaState;
    } else if (mode === "messages") {
      const [message, metadata] = chunk as [AIMessageChunk, Partial<MoaCallMetadata>];
      if (metadata.moa_role === "aggregator") {
        const text = messageText(message);
        if (text) options.onDelta?.(text);
        const calls = message.tool_call_chunks ?? [];
        if (calls.length) {
          options.onToolCallDelta?.(
            calls.map((call, position) => ({
              index: call.index ?? position,
              ...(call.id ? { id: call.id, type: "function" as const } : {}),
              function: { ...(call.name ? { name: call.name } : {}), arguments: call.args ?? "" },
            })),
          );
        }
      }
    }
  }
  const last = state!.messages.at(-1)!;
  const toolCalls = AIMessage.isInstance(last) ? (last.tool_calls ?? []) : [];
  return {
    state: state!,
    answer: messageText(last),
    toolCalls: toolCalls.map((call, index) => ({
      index,
      id: call.id ?? `call_${index}`,
      type: "function",
      function: { name: call.name, arguments: JSON.stringify(call.args) },
    })),
  };
}

/**
 * An OpenAI request message as a LangChain message: an assistant's `tool_calls` become the
 * AIMessage's (arguments parsed), a `tool` message a ToolMessage of its `tool_call_id`.
 */
export function toLangChainMessage(
  message: ChatCompletionRequest["messages"][number],
): BaseMessage {
  const content =
    message.content == null
      ? ""
      : typeof message.content === "string"
        ? message.content
        : message.content.map((part) => part.text).join("");
  const fields = { content, ...(message.name !== undefined ? { name: message.name } : {}) };
  if (message.role === "user") return new HumanMessage(fields);
  if (message.role === "tool") {
    return new ToolMessage({ ...fields, tool_call_id: message.tool_call_id! });
  }
  if (message.role === "assistant") {
    return new AIMessage({
      ...fields,
      tool_calls: (message.tool_calls ?? []).map((call) => ({
        id: call.id,
        name: call.function.name,
        args: parseArguments(call.function.arguments),
        type: "tool_call" as const,
      })),
    });
  }
  return new SystemMessage(fields);
}

/** A tool call's JSON `arguments`; text that is no JSON object is kept under `input`. */
function parseArguments(text: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text || "{}");
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {
    // not JSON: fall through
  }
  return { input: text };
}
