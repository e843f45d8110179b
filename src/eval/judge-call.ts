import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { AIMessage, HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";
import { messageText, usageFromMessage } from "../models/usage.js";
import { isChatModel, modelName } from "../models/model-name.js";
import { InvalidArgumentError } from "../errors/index.js";
import type { Usage } from "../state/index.js";
import { contentHash } from "./content-hash.js";
import type { JudgmentCache } from "./stages/judgment-cache.js";

/** One message of a judge request, as the upstream tools send it to the API. */
export interface JudgeMessage {
  role: "system" | "user" | "assistant";
  content: string;
  /** ChatML `name=` parameter, when the template sets one. */
  name?: string;
}

/** What we keep of a judge's reply (also the cached value). */
export interface JudgeReply {
  /** The reply text. */
  text: string;
  /** `response_metadata.logprobs` (OpenAI's `choices[0].logprobs`), when the judge returned it. */
  logprobs?: unknown;
  /** Tokens billed for the call. */
  usage?: Usage;
}

/** Parameters of {@link invokeJudge}. */
export interface InvokeJudgeParams {
  /** The judge chat model, configured with the benchmark's settings. */
  model: BaseChatModel;
  /** The request. */
  messages: readonly JudgeMessage[];
  /** Reuses and stores replies by content hash. */
  cache?: JudgmentCache;
  /** Cancels the call. */
  signal?: AbortSignal;
}

/** The result of {@link invokeJudge}. */
export interface JudgeCallResult {
  reply: JudgeReply;
  /** True when the reply came from the cache (no call was made). */
  cached: boolean;
  /** The content hash of the request (judge identity + settings + messages). */
  cacheKey: string;
}

/** Throws an {@link InvalidArgumentError} unless a `judge` option is a LangChain chat model. */
export function checkJudgeModel(judge: unknown): void {
  if (!isChatModel(judge)) {
    throw new InvalidArgumentError({
      parameter: "judge",
      value: typeof judge,
      message: "must be a LangChain chat model.",
    });
  }
}

/**
 * Sends a judge request, or returns the cached reply for the same judge, settings and messages.
 *
 * @example
 * ```ts
 * const { reply } = await invokeJudge({ model: judge, messages: [{ role: "user", content: "…" }] });
 * ```
 */
export async function invokeJudge(params: InvokeJudgeParams): Promise<JudgeCallResult> {
  const cacheKey = judgeRequestKey(params.model, params.messages);
  const hit = params.cache?.get(cacheKey) as JudgeReply | undefined;
  if (hit !== undefined) return { reply: hit, cached: true, cacheKey };
  const message = await params.model.invoke(toLangChainMessages(params.messages), {
    ...(params.signal ? { signal: params.signal } : {}),
  });
  const logprobs = (message.response_metadata as Record<string, unknown> | undefined)?.logprobs;
  const usage = usageFromMessage(message);
  const reply: JudgeReply = {
    text: messageText(message),
    ...(logprobs !== undefined && logprobs !== null ? { logprobs } : {}),
    ...(usage ? { usage } : {}),
  };
  await params.cache?.set(cacheKey, reply);
  return { reply, cached: false, cacheKey };
}

/**
 * The content hash identifying a judge request: the judge's model name and sampling settings
 * (temperature, max tokens, logprobs) plus the exact messages.
 */
export function judgeRequestKey(model: BaseChatModel, messages: readonly JudgeMessage[]): string {
  const fields = model as unknown as Record<string, unknown>;
  const settings: Record<string, unknown> = {};
  for (const key of ["temperature", "maxTokens", "logprobs", "topLogprobs", "topP"]) {
    if (fields[key] !== undefined) settings[key] = fields[key];
  }
  return contentHash({ judge: modelName(model), settings, messages });
}

/** Converts judge messages to LangChain messages (system, human, AI). */
export function toLangChainMessages(messages: readonly JudgeMessage[]): BaseMessage[] {
  return messages.map((message) => {
    const fields = { content: message.content, ...(message.name ? { name: message.name } : {}) };
    if (message.role === "system") return new SystemMessage(fields);
    if (message.role === "assistant") return new AIMessage(fields);
    return new HumanMessage(fields);
  });
}
