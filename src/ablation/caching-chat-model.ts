import { AsyncLocalStorage } from "node:async_hooks";
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
} from "@langchain/core/language_models/chat_models";
import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { AIMessage, type AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import type { ChatResult } from "@langchain/core/outputs";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { contentHash } from "../eval/content-hash.js";
import type { MoaRole } from "../graph/model-call-config.js";
import { isChatModel, modelName } from "../models/model-name.js";
import { messageText, usageFromMessage } from "../models/usage.js";
import { withSampling } from "../models/with-sampling.js";
import { ABLATION_RUN_METADATA_KEY, type CachedReply, type CallCache } from "./call-cache.js";

// Call options reach `_generate` without their metadata (LangChain splits the runnable config
// off), so the metadata of the call in progress travels here.
const currentCall = new AsyncLocalStorage<Record<string, unknown>>();

/** Parameters of {@link CachingChatModel}. */
export interface CachingChatModelParams extends BaseChatModelParams {
  /** The model that answers cache misses. */
  model: BaseChatModel;
  /**
   * The shared store. Named `callCache` because `cache` is LangChain's own (prompt-level) cache
   * field on every model.
   */
  callCache: CallCache;
  /**
   * Identity of the model in cache keys and call records, e.g. the `"provider:model"` string it
   * was loaded from. Two providers serving the same model name need different ids.
   * @default `${model._llmType()}:${modelName(model)}`
   */
  modelId?: string;
  /**
   * Keeps replies of different backends apart under the same model id, e.g. `"simulated"` for the
   * loopback simulator, so synthetic replies can never answer a real call from a shared file.
   * @default "" (none)
   */
  namespace?: string;
  /** Sampling temperature; a new inner model is built when it differs (see `withSampling`). */
  temperature?: number;
  /** Output token cap; a new inner model is built when it differs. */
  maxTokens?: number;
}

/**
 * A chat model that answers identical calls from a shared {@link CallCache}: the key is a content
 * hash of the model's id and class, the messages, the temperature, the output cap, and the
 * **sample index** of the call (the `moa_sample` metadata MoA graphs attach), so the k parallel
 * samples of one proposer stay k distinct calls while the same sample of the same request is
 * made once across every variant of a study.
 *
 * A cache hit returns the original reply with its original token usage, so graphs, budgets and
 * reports see the same numbers as a fresh call. Calls made inside a graph run tagged with
 * `ABLATION_RUN_METADATA_KEY` are logged (role, layer, proposer, sample, tokens, original latency,
 * hit or miss) for budget accounting.
 *
 * @example
 * ```ts
 * const cache = await CallCache.open("runs/call-cache.jsonl");
 * const qwen = new CachingChatModel({
 *   model: loadChatModel("together:Qwen/Qwen1.5-110B-Chat", { temperature: 0.7 }),
 *   modelId: "together:Qwen/Qwen1.5-110B-Chat",
 *   callCache: cache,
 * });
 * const graph = createMixtureOfAgents({ proposers: [qwen, …], aggregator: qwen, layers: 2 });
 * ```
 */
export class CachingChatModel extends BaseChatModel {
  /** The wrapped model (answers misses). */
  readonly inner: BaseChatModel;
  /** The shared reply store. */
  readonly callCache: CallCache;
  /** Identity of the model in keys and records. */
  readonly modelId: string;
  /** Backend namespace of the cache keys (see {@link CachingChatModelParams.namespace}). */
  readonly namespace: string;
  /** The inner model's name (proposer ids, price and context-window lookups read it). */
  model: string;
  temperature?: number;
  maxTokens?: number;

  static override lc_name(): string {
    return "CachingChatModel";
  }

  constructor(params: CachingChatModelParams) {
    super(params);
    if (!isChatModel(params?.model)) {
      throw new InvalidArgumentError({
        parameter: "model",
        value: typeof params?.model,
        message: "must be a LangChain chat model (e.g. from loadChatModel).",
      });
    }
    if (params.callCache == null || typeof params.callCache.getOrCall !== "function") {
      throw new InvalidArgumentError({
        parameter: "callCache",
        value: typeof params.callCache,
        message: "must be a CallCache (`await CallCache.open(path)`).",
      });
    }
    const inner = params.model;
    const own = inner as unknown as { temperature?: unknown; maxTokens?: unknown };
    const changed =
      (params.temperature !== undefined && params.temperature !== own.temperature) ||
      (params.maxTokens !== undefined && params.maxTokens !== own.maxTokens);
    this.inner = changed
      ? withSampling(
          inner,
          { temperature: params.temperature, maxTokens: params.maxTokens },
          "model",
        )
      : inner;
    this.callCache = params.callCache;
    this.model = modelName(this.inner);
    this.modelId = params.modelId ?? `${this.inner._llmType()}:${this.model}`;
    this.namespace = params.namespace ?? "";
    const settings = this.inner as unknown as { temperature?: unknown; maxTokens?: unknown };
    this.temperature = typeof settings.temperature === "number" ? settings.temperature : undefined;
    this.maxTokens = typeof settings.maxTokens === "number" ? settings.maxTokens : undefined;
  }

  _llmType(): string {
    return "caching";
  }

  override invoke(
    input: BaseLanguageModelInput,
    options?: Partial<BaseChatModelCallOptions>,
  ): Promise<AIMessageChunk> {
    return currentCall.run({ ...options?.metadata }, () => super.invoke(input, options));
  }

  /**
   * The cache key of a call: SHA-256 of the model id and class (and namespace), the messages
   * (type, content, name, tool calls), temperature, output cap and sample index.
   */
  cacheKey(messages: readonly BaseMessage[], sample: number | undefined): string {
    return contentHash({
      ...(this.namespace ? { namespace: this.namespace } : {}),
      model: this.modelId,
      class: this.inner.constructor.name,
      messages: messages.map((message) => ({
        type: message.getType(),
        content: message.content,
        ...(message.name ? { name: message.name } : {}),
        ...((message as AIMessage).tool_calls?.length
          ? { tool_calls: (message as AIMessage).tool_calls }
          : {}),
      })),
      temperature: this.temperature ?? null,
      maxTokens: this.maxTokens ?? null,
      sample: sample ?? null,
    });
  }

  override async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    _runManager?: CallbackManagerForLLMRun,
  ): Promise<ChatResult> {
    const metadata = currentCall.getStore() ?? {};
    const sample = typeof metadata.moa_sample === "number" ? metadata.moa_sample : undefined;
    const key = this.cacheKey(messages, sample);
    const runId = metadata[ABLATION_RUN_METADATA_KEY];
    const started = performance.now();
    const log = (status: "ok" | "error", reply: CachedReply | undefined, cached: boolean) => {
      if (typeof runId !== "string") return;
      this.callCache.record(runId, {
        role: isRole(metadata.moa_role) ? metadata.moa_role : "proposer",
        layer: typeof metadata.moa_layer === "number" ? metadata.moa_layer : 1,
        proposerId:
          typeof metadata.moa_proposer_id === "string" ? metadata.moa_proposer_id : this.model,
        sample: sample ?? 0,
        modelId: this.modelId,
        status,
        ...(reply?.usage ? { usage: reply.usage } : {}),
        latencyMs: reply?.latencyMs ?? performance.now() - started,
        cached,
        key,
      });
    };
    let outcome: { reply: CachedReply; cached: boolean };
    try {
      outcome = await this.callCache.getOrCall(
        key,
        async () => {
          const callStarted = performance.now();
          // The wrapper's own run (traced by `invoke`) stands for the call; the inner model is
          // called without callbacks so a miss is not traced twice.
          const reply = await this.inner.invoke(
            messages,
            options.signal ? { signal: options.signal } : {},
          );
          const usage = usageFromMessage(reply);
          return {
            text: messageText(reply),
            ...(usage ? { usage } : {}),
            latencyMs: performance.now() - callStarted,
            modelId: this.modelId,
          };
        },
        options.signal,
      );
    } catch (error) {
      log("error", undefined, false);
      throw error;
    }
    const { reply, cached } = outcome;
    log(reply.text.trim() === "" ? "error" : "ok", reply, cached);
    const message = new AIMessage({
      content: reply.text,
      ...(reply.usage
        ? {
            usage_metadata: {
              input_tokens: reply.usage.inputTokens,
              output_tokens: reply.usage.outputTokens,
              total_tokens: reply.usage.inputTokens + reply.usage.outputTokens,
            },
          }
        : {}),
      response_metadata: { moa_cache: cached ? "hit" : "miss", model_name: this.model },
    });
    return { generations: [{ text: reply.text, message }] };
  }
}

function isRole(value: unknown): value is MoaRole {
  return value === "proposer" || value === "aggregator" || value === "ranker";
}
