import type { TokenLogprob } from "./synthetic-logprobs.js";
import type { SyntheticToolCall } from "./synthetic-tool-call.js";

/** `usage` of a completion, in whitespace tokens. */
export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
}

/** Why generation stopped: `"length"` when `max_tokens` cut the reply. */
export type FinishReason = "stop" | "length" | "tool_calls";

/** Fields shared by a completion and its stream chunks. */
export interface CompletionIdentity {
  /** `chatcmpl-…` id, the same on every chunk of a stream. */
  id: string;
  /** Unix time in seconds. */
  created: number;
  model: string;
}

/**
 * Builds `usage` from the prompt and completion sizes.
 */
export function buildUsage(promptTokens: number, completionTokens: number): CompletionUsage {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
  };
}

/**
 * Builds a non-streaming `chat.completion` object with one choice.
 *
 * @example
 * ```ts
 * buildChatCompletion({ id: "chatcmpl-1", created: 0, model: "m" }, { content: "Hi", finishReason: "stop", usage: buildUsage(3, 1) });
 * ```
 */
export function buildChatCompletion(
  identity: CompletionIdentity,
  result: {
    content: string;
    finishReason: FinishReason;
    usage: CompletionUsage;
    logprobs?: TokenLogprob[];
    toolCalls?: SyntheticToolCall[];
  },
): Record<string, unknown> {
  return {
    ...identity,
    object: "chat.completion",
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant",
          content: result.content,
          refusal: null,
          ...(result.toolCalls ? { tool_calls: result.toolCalls } : {}),
        },
        logprobs:
          result.logprobs === undefined ? null : { content: result.logprobs, refusal: null },
        finish_reason: result.finishReason,
      },
    ],
    usage: result.usage,
  };
}

/**
 * Builds one `chat.completion.chunk` of a stream. `delta` is the choice's delta; a
 * `finishReason` marks the last content chunk.
 */
export function buildChunk(
  identity: CompletionIdentity,
  delta: {
    role?: "assistant";
    content?: string;
    tool_calls?: (SyntheticToolCall & { index: number })[];
  },
  options: { finishReason?: FinishReason; logprobs?: TokenLogprob[] } = {},
): Record<string, unknown> {
  return {
    ...identity,
    object: "chat.completion.chunk",
    system_fingerprint: null,
    choices: [
      {
        index: 0,
        delta,
        logprobs:
          options.logprobs === undefined ? null : { content: options.logprobs, refusal: null },
        finish_reason: options.finishReason ?? null,
      },
    ],
  };
}

/**
 * Builds the usage chunk sent last when the request set `stream_options.include_usage`:
 * empty `choices` and the whole stream's `usage`.
 */
export function buildUsageChunk(
  identity: CompletionIdentity,
  usage: CompletionUsage,
): Record<string, unknown> {
  return {
    ...identity,
    object: "chat.completion.chunk",
    system_fingerprint: null,
    choices: [],
    usage,
  };
}
