import type { ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import { abortableSleep, untilAborted } from "./abortable-sleep.js";
import {
  buildChatCompletion,
  buildChunk,
  buildUsage,
  buildUsageChunk,
  type CompletionIdentity,
  type FinishReason,
} from "./chat-completion.js";
import type { Fault } from "./fault-script.js";
import type { ModelBehaviour } from "./model-behaviour.js";
import {
  contextLengthExceeded,
  openAIErrorForStatus,
  type OpenAIErrorResponse,
} from "./openai-error.js";
import type { SimulatorRequestInfo } from "./request-info.js";
import type { SimulatorRequestLogEntry } from "./request-log.js";
import { formatSseEvent, SSE_DONE } from "./sse.js";
import { buildLogprobs, type TokenLogprob } from "./synthetic-logprobs.js";
import {
  buildSyntheticRankChoice,
  buildSyntheticReply,
  DEFAULT_OUTPUT_TOKENS,
} from "./synthetic-reply.js";
import { syntheticToolCall, type SyntheticToolCall } from "./synthetic-tool-call.js";
import { countTokens, splitTokens, truncateToTokens } from "./whitespace-tokens.js";

/** Context window named by a `context-length` fault when the model sets none. */
export const DEFAULT_CONTEXT_WINDOW = 4096;

// Flush a paced stream in writes of at most this many bytes, so a fast model with a long reply
// does not build one huge string.
const MAX_BATCH_BYTES = 64 * 1024;

/** Where an `echoApiKey` fault's message quotes the request's key. */
export const API_KEY_PLACEHOLDER = "{apiKey}";

/** OpenAI's 401 text for a wrong key, which quotes the key (OpenAI masks its middle; some
 * proxies and OpenAI-compatible providers do not). */
const ECHOED_KEY_MESSAGE = `Incorrect API key provided: ${API_KEY_PLACEHOLDER}. You can find your API key at https://platform.openai.com/account/api-keys.`;

/** Everything needed to answer one chat-completions request. */
export interface ChatCompletionPlan {
  request: SimulatorRequestInfo;
  behaviour: ModelBehaviour;
  fault: Fault | undefined;
  /** Drawn time to first byte, before any `delay` fault. */
  latencyMs: number;
  identity: CompletionIdentity;
  /** The key the request carried (its `Authorization: Bearer` token), for `echoApiKey` faults. */
  apiKey?: string;
}

/** Where the answer goes: the HTTP response, its log entry, and the abort signal of the client. */
export interface ChatCompletionChannel {
  response: ServerResponse;
  entry: SimulatorRequestLogEntry;
  /** Aborts when the client disconnects or the simulator closes. */
  signal: AbortSignal;
}

/**
 * Sends a JSON response (a body object, or a string sent verbatim) and records its status.
 */
export function sendJson(
  channel: ChatCompletionChannel,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (channel.signal.aborted) return;
  const text = typeof body === "string" ? body : JSON.stringify(body);
  channel.entry.status = status;
  channel.response.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "x-request-id": channel.entry.id,
    ...headers,
  });
  channel.response.end(text);
}

/**
 * Sends an OpenAI-shaped error.
 */
export function sendError(channel: ChatCompletionChannel, error: OpenAIErrorResponse): void {
  sendJson(channel, error.status, error.body, error.headers);
}

/**
 * Answers one chat-completions request according to its plan: latency, faults, the reply
 * (fixed, computed or synthetic), `max_tokens` truncation, logprobs, and JSON or SSE framing.
 * Stops writing as soon as the client goes away.
 */
export async function serveChatCompletion(
  plan: ChatCompletionPlan,
  channel: ChatCompletionChannel,
): Promise<void> {
  const { request, behaviour, fault } = plan;
  const { signal } = channel;

  // A non-streaming request has nothing partial to send, so a stall is a hang for it.
  if (fault?.kind === "hang" || (fault?.kind === "stall" && !request.stream)) {
    await untilAborted(signal);
    return;
  }

  const extraMs = fault?.kind === "delay" ? fault.ms : 0;
  if (!(await abortableSleep(plan.latencyMs + extraMs, signal))) return;

  if (fault?.kind === "status") {
    const message = fault.echoApiKey
      ? (fault.message ?? ECHOED_KEY_MESSAGE).replaceAll(API_KEY_PLACEHOLDER, plan.apiKey ?? "")
      : fault.message;
    const error = openAIErrorForStatus(fault.status, {
      model: request.model,
      ...(message === undefined ? {} : { message }),
    });
    if (fault.retryAfterSeconds !== undefined) {
      error.headers["retry-after"] = String(fault.retryAfterSeconds);
    }
    sendError(channel, error);
    return;
  }
  if (fault?.kind === "context-length") {
    const window = behaviour.contextWindow ?? DEFAULT_CONTEXT_WINDOW;
    sendError(channel, contextLengthExceeded(window, Math.max(request.promptTokens, window + 1)));
    return;
  }
  if (behaviour.contextWindow !== undefined && request.promptTokens > behaviour.contextWindow) {
    sendError(channel, contextLengthExceeded(behaviour.contextWindow, request.promptTokens));
    return;
  }

  const toolCall =
    behaviour.callTools && fault === undefined ? syntheticToolCall(request) : undefined;
  if (toolCall !== undefined) {
    await serveToolCall(plan, channel, toolCall);
    return;
  }

  let reply: string;
  try {
    reply = fault?.kind === "empty" ? "" : replyText(request, behaviour);
  } catch (error) {
    sendError(
      channel,
      openAIErrorForStatus(500, {
        message: `The simulator's \`reply\` function for model \`${request.model}\` threw: ${String(error)}`,
      }),
    );
    return;
  }

  const { text: content, truncated } =
    request.maxTokens === undefined
      ? { text: reply, truncated: false }
      : truncateToTokens(reply, request.maxTokens);
  const finishReason: FinishReason = truncated ? "length" : "stop";
  const tokens = splitTokens(content);
  const logprobs = logprobsFor(request, behaviour, tokens);
  const completionTokens = countTokens(content);
  const usage = buildUsage(request.promptTokens, completionTokens);

  if (!request.stream) {
    const generationMs =
      behaviour.tokensPerSecond === undefined
        ? 0
        : (completionTokens / behaviour.tokensPerSecond) * 1000;
    if (!(await abortableSleep(generationMs, signal))) return;
    if (fault?.kind === "malformed-json") {
      // Valid JSON cut off mid-string: what a proxy that drops the connection produces.
      sendJson(
        channel,
        200,
        `{"id":"${plan.identity.id}","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"${content.slice(0, 12)}`,
      );
      return;
    }
    channel.entry.completionTokens = completionTokens;
    sendJson(
      channel,
      200,
      buildChatCompletion(plan.identity, {
        content,
        finishReason,
        usage,
        ...(logprobs === undefined ? {} : { logprobs }),
      }),
    );
    return;
  }

  await streamCompletion(plan, channel, { tokens, logprobs, finishReason, usage });
}

// A `callTools` reply: one tool call, whole (JSON) or as three SSE chunks.
async function serveToolCall(
  plan: ChatCompletionPlan,
  channel: ChatCompletionChannel,
  toolCall: SyntheticToolCall,
): Promise<void> {
  const completionTokens = countTokens(toolCall.function.arguments);
  const usage = buildUsage(plan.request.promptTokens, completionTokens);
  channel.entry.completionTokens = completionTokens;
  if (!plan.request.stream) {
    sendJson(
      channel,
      200,
      buildChatCompletion(plan.identity, {
        content: "",
        finishReason: "tool_calls",
        usage,
        toolCalls: [toolCall],
      }),
    );
    return;
  }
  const { identity } = plan;
  channel.entry.status = 200;
  channel.response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    "x-request-id": channel.entry.id,
  });
  let body = formatSseEvent(
    buildChunk(identity, {
      role: "assistant",
      content: "",
      tool_calls: [{ index: 0, ...toolCall }],
    }),
  );
  body += formatSseEvent(buildChunk(identity, {}, { finishReason: "tool_calls" }));
  const streamOptions = plan.request.body.stream_options as { include_usage?: unknown } | undefined;
  if (streamOptions?.include_usage === true)
    body += formatSseEvent(buildUsageChunk(identity, usage));
  if (await write(channel, body + SSE_DONE)) channel.response.end();
}

function replyText(request: SimulatorRequestInfo, behaviour: ModelBehaviour): string {
  if (typeof behaviour.reply === "string") return behaviour.reply;
  if (typeof behaviour.reply === "function") return String(behaviour.reply(request));
  return (
    buildSyntheticRankChoice(request) ??
    buildSyntheticReply(request, behaviour.outputTokens ?? DEFAULT_OUTPUT_TOKENS)
  );
}

function logprobsFor(
  request: SimulatorRequestInfo,
  behaviour: ModelBehaviour,
  tokens: string[],
): TokenLogprob[] | undefined {
  if (request.body.logprobs !== true) return undefined;
  const width = typeof request.body.top_logprobs === "number" ? request.body.top_logprobs : 0;
  return buildLogprobs(tokens, width, behaviour.logprobs?.(request));
}

async function streamCompletion(
  plan: ChatCompletionPlan,
  channel: ChatCompletionChannel,
  answer: {
    tokens: string[];
    logprobs: TokenLogprob[] | undefined;
    finishReason: FinishReason;
    usage: ReturnType<typeof buildUsage>;
  },
): Promise<void> {
  const { identity, fault, behaviour, request } = plan;
  const { response, entry, signal } = channel;
  entry.status = 200;
  entry.completionTokens = 0;
  response.writeHead(200, {
    "content-type": "text/event-stream; charset=utf-8",
    "cache-control": "no-cache",
    connection: "keep-alive",
    "x-request-id": entry.id,
  });
  if (
    !(await write(
      channel,
      formatSseEvent(buildChunk(identity, { role: "assistant", content: "" })),
    ))
  )
    return;

  if (fault?.kind === "malformed-json") {
    await write(channel, formatSseEvent(`{"id":"${identity.id}","choices":[{"delta":{"content":`));
    await write(channel, SSE_DONE);
    response.end();
    return;
  }

  const { tokens, logprobs } = answer;
  const sendCount =
    fault?.kind === "stall" ? Math.min(fault.afterTokens, tokens.length) : tokens.length;
  const tokensPerSecond = behaviour.tokensPerSecond;
  const start = performance.now();
  const dueAt = (index: number): number =>
    tokensPerSecond === undefined ? start : start + (index * 1000) / tokensPerSecond;

  let index = 0;
  while (index < sendCount) {
    const waitMs = dueAt(index) - performance.now();
    if (waitMs > 0 && !(await abortableSleep(waitMs, signal))) return;
    // Send every token that is due now in one write (timers are coarser than a fast model).
    let batch = "";
    let batchTokens = 0;
    do {
      const tokenLogprobs = logprobs?.[index];
      batch += formatSseEvent(
        buildChunk(
          identity,
          { content: tokens[index] ?? "" },
          tokenLogprobs === undefined ? {} : { logprobs: [tokenLogprobs] },
        ),
      );
      index += 1;
      batchTokens += 1;
    } while (
      index < sendCount &&
      dueAt(index) <= performance.now() &&
      batch.length < MAX_BATCH_BYTES
    );
    if (!(await write(channel, batch))) return;
    entry.completionTokens += batchTokens;
  }

  if (fault?.kind === "stall") {
    // Keep the connection open and silent until the client gives up or the simulator closes.
    await untilAborted(signal);
    return;
  }

  let tail = formatSseEvent(buildChunk(identity, {}, { finishReason: answer.finishReason }));
  const streamOptions = request.body.stream_options as { include_usage?: unknown } | undefined;
  if (streamOptions?.include_usage === true) {
    tail += formatSseEvent(buildUsageChunk(identity, answer.usage));
  }
  tail += SSE_DONE;
  if (!(await write(channel, tail))) return;
  response.end();
}

// Writes with back-pressure: waits for `drain` when the socket buffer is full, and reports
// false (stop writing) once the client is gone.
async function write(channel: ChatCompletionChannel, data: string): Promise<boolean> {
  const { response, signal } = channel;
  if (signal.aborted) return false;
  if (response.write(data)) return true;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      response.off("drain", done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    response.once("drain", done);
    signal.addEventListener("abort", done, { once: true });
  });
  return !signal.aborted;
}
