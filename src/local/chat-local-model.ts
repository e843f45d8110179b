import { resolve as resolvePath, basename } from "node:path";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
} from "@langchain/core/language_models/chat_models";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import type { LlamaChatResponse } from "node-llama-cpp";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { AsyncQueue } from "../utils/async-queue.js";
import { messageText } from "../models/usage.js";
import { importLocalEngine } from "./local-engine.js";
import { getLocalModel } from "./local-model-registry.js";
import type { LocalModelLoadOptions } from "./local-model-types.js";
import { toChatHistory } from "./to-chat-history.js";

/** Parameters of {@link ChatLocalModel}. */
export interface ChatLocalModelParams extends BaseChatModelParams {
  /** Path of the GGUF file (made absolute at construction). */
  modelPath: string;
  /** Name used for proposer ids and traces. @default the file name without `.gguf` */
  model?: string;
  /** Sampling temperature; 0 is greedy. @default 0 (node-llama-cpp's default: greedy) */
  temperature?: number;
  /** Cap on generated tokens. @default until the end-of-turn token or the context is full */
  maxTokens?: number;
  /** Top-k sampling (with a temperature > 0). @default node-llama-cpp's (40) */
  topK?: number;
  /** Nucleus sampling (with a temperature > 0). @default node-llama-cpp's (0.95) */
  topP?: number;
  /** Min-p sampling (with a temperature > 0). @default off */
  minP?: number;
  /** Sampling seed, for reproducible sampled replies. @default the current time */
  seed?: number;
  /**
   * CPU threads of the model's context. On small machines running several models, 1 per model
   * is the most stable choice.
   * @default node-llama-cpp's choice (the machine's math cores)
   */
  threads?: number;
  /** Tokens each sequence holds, prompt and reply. @default up to 8192, as memory allows */
  contextSize?: number;
  /** Concurrent calls the model serves at once, each on its own sequence. @default 4 */
  sequences?: number;
  /** Tokens evaluated per batch. @default 512 */
  batchSize?: number;
  /** Offload layers to a GPU when node-llama-cpp has a binary for one. @default false */
  gpu?: boolean;
}

/**
 * A LangChain chat model over an embedded llama.cpp (node-llama-cpp), for GGUF files.
 *
 * Why not `@langchain/community`'s `ChatLlamaCpp` (1.1.x): it must be built with an async
 * `initialize()` (so neither `loadChatModel` nor per-proposer sampling copies can construct
 * it), it streams through a hard-coded Llama-2 `[INST]` prompt instead of the model's chat
 * template, its stream ignores `maxTokens` and the abort signal, it reports no token usage,
 * it keeps one chat session per instance that concurrent calls overwrite, takes a new sequence
 * per streamed call without ever freeing it, and imports node-llama-cpp at module load.
 *
 * This model:
 * - loads its file lazily on the first call, once per process and load options, shared by
 *   every instance (so `withSampling` copies and several proposers share one model in memory);
 * - serves concurrent calls on separate sequences of one context (`sequences`, default 4);
 * - formats messages with the chat template in the GGUF (node-llama-cpp's chat wrappers);
 * - streams tokens, honours `temperature`, `maxTokens`, `stop` and the abort signal;
 * - reports usage: prompt tokens (the templated conversation) and generated tokens.
 *
 * @example
 * ```ts
 * const qwen = new ChatLocalModel({ modelPath: "/models/qwen2.5-0.5b-instruct-q4_k_m.gguf", threads: 2 });
 * const reply = await qwen.invoke("What is a mixture of agents?");
 * reply.usage_metadata; // { input_tokens, output_tokens, total_tokens }
 * await disposeLocalModels(); // when done with local models
 * ```
 */
export class ChatLocalModel extends BaseChatModel {
  modelPath: string;
  model: string;
  temperature?: number;
  maxTokens?: number;
  topK?: number;
  topP?: number;
  minP?: number;
  seed?: number;
  threads?: number;
  contextSize?: number;
  sequences?: number;
  batchSize?: number;
  gpu?: boolean;

  static override lc_name(): string {
    return "ChatLocalModel";
  }

  constructor(params: ChatLocalModelParams) {
    super(params);
    if (typeof params?.modelPath !== "string" || params.modelPath.trim() === "") {
      throw new InvalidArgumentError({
        parameter: "modelPath",
        value: params?.modelPath,
        message: "`modelPath` must be the path of a GGUF file.",
      });
    }
    this.modelPath = resolvePath(params.modelPath);
    this.model = params.model ?? basename(this.modelPath).replace(/\.gguf$/i, "");
    this.temperature = checkNumber(params, "temperature", { min: 0 });
    this.maxTokens = checkNumber(params, "maxTokens", { min: 1, integer: true });
    this.topK = checkNumber(params, "topK", { min: 0, integer: true });
    this.topP = checkNumber(params, "topP", { min: 0, max: 1 });
    this.minP = checkNumber(params, "minP", { min: 0, max: 1 });
    this.seed = checkNumber(params, "seed", { min: 0, integer: true });
    this.threads = checkNumber(params, "threads", { min: 1, integer: true });
    this.contextSize = checkNumber(params, "contextSize", { min: 16, integer: true });
    this.sequences = checkNumber(params, "sequences", { min: 1, integer: true });
    this.batchSize = checkNumber(params, "batchSize", { min: 1, integer: true });
    this.gpu = params.gpu;
  }

  _llmType(): string {
    return "local";
  }

  /** The options the shared model is loaded with (equal options, one model in memory). */
  get loadOptions(): LocalModelLoadOptions {
    return {
      modelPath: this.modelPath,
      threads: this.threads,
      contextSize: this.contextSize,
      sequences: this.sequences,
      batchSize: this.batchSize,
      gpu: this.gpu,
    };
  }

  override invocationParams(): Record<string, unknown> {
    return {
      model: this.model,
      temperature: this.temperature,
      maxTokens: this.maxTokens,
      topK: this.topK,
      topP: this.topP,
      minP: this.minP,
      seed: this.seed,
    };
  }

  override async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
  ): Promise<ChatResult> {
    let merged: ChatGenerationChunk | undefined;
    // No run manager: without streaming handlers nobody listens for tokens.
    for await (const chunk of this.streamReply(messages, options, undefined)) {
      merged = merged === undefined ? chunk : merged.concat(chunk);
    }
    const chunk = merged!.message as AIMessageChunk;
    const message = new AIMessage({
      content: chunk.content,
      usage_metadata: chunk.usage_metadata,
      response_metadata: chunk.response_metadata,
    });
    return { generations: [{ text: messageText(message), message }] };
  }

  override _streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    return this.streamReply(messages, options, runManager);
  }

  private async *streamReply(
    messages: BaseMessage[],
    options: BaseChatModelCallOptions,
    runManager: CallbackManagerForLLMRun | undefined,
  ): AsyncGenerator<ChatGenerationChunk> {
    const callerSignal = options.signal;
    callerSignal?.throwIfAborted();
    const [{ LlamaChat }, loaded] = await Promise.all([
      importLocalEngine(),
      getLocalModel(this.loadOptions),
    ]);
    const history = toChatHistory(messages);
    const promptTokens = loaded.chatWrapper
      .generateContextState({ chatHistory: history })
      .contextText.tokenize(loaded.model.tokenizer);
    const contextSize = loaded.context.contextSize;
    if (promptTokens.length >= contextSize) {
      // node-llama-cpp would silently drop the start of the conversation to make it fit; a
      // proposer answering a truncated prompt is worse than a recorded failure.
      throw new Error(
        `the prompt is ${promptTokens.length} tokens but each sequence of ${this.model} holds ${contextSize}. ` +
          "Raise `contextSize` (MOA_LOCAL_CONTEXT_SIZE for `local:` models) or shorten the conversation.",
      );
    }
    const lease = await loaded.acquire(promptTokens, callerSignal);
    const leased = performance.now();
    let firstToken: number | undefined;
    const stop = new AbortController();
    const signal = callerSignal ? AbortSignal.any([callerSignal, stop.signal]) : stop.signal;
    let chat: InstanceType<typeof LlamaChat>;
    try {
      chat = new LlamaChat({ contextSequence: lease.sequence, chatWrapper: loaded.chatWrapper });
    } catch (error) {
      lease.release();
      throw error;
    }
    const queue = new AsyncQueue<string>();
    let outputTokens = 0;
    let settled = false;
    const generation = chat
      .generateResponse(history, {
        signal,
        ...(this.maxTokens !== undefined ? { maxTokens: this.maxTokens } : {}),
        ...(this.temperature !== undefined ? { temperature: this.temperature } : {}),
        ...(this.topK !== undefined ? { topK: this.topK } : {}),
        ...(this.topP !== undefined ? { topP: this.topP } : {}),
        ...(this.minP !== undefined ? { minP: this.minP } : {}),
        ...(this.seed !== undefined ? { seed: this.seed } : {}),
        ...(options.stop?.length ? { customStopTriggers: options.stop } : {}),
        onResponseChunk: (chunk) => {
          // Every generated token counts as output; only the main reply (not thought
          // segments) is streamed and returned.
          firstToken ??= performance.now();
          outputTokens += chunk.tokens.length;
          if (chunk.type === undefined && chunk.text !== "") queue.push(chunk.text);
        },
      })
      .then(
        (response) => {
          settled = true;
          queue.end();
          return response;
        },
        (error: unknown) => {
          settled = true;
          queue.fail(error);
          throw error;
        },
      );
    // The sequence goes back to the pool when node-llama-cpp is done with it, not when this
    // generator ends: LangChain's `stream()` stops pulling from a generator whose signal
    // aborted without closing it, so a `finally` below may never run. (The queue rethrows a
    // failure to the reader; this chain also keeps it from counting as unhandled.)
    const released = generation
      .catch(() => undefined)
      .finally(() => {
        chat.dispose({ disposeSequence: false });
        lease.release();
      });
    try {
      for await (const text of queue) {
        const chunk = new ChatGenerationChunk({
          text,
          message: new AIMessageChunk({ content: text }),
        });
        yield chunk;
        await runManager?.handleLLMNewToken(text, undefined, undefined, undefined, undefined, {
          chunk,
        });
      }
      const response = await generation;
      const finished = performance.now();
      loaded.record({
        promptTokens: promptTokens.length,
        promptMs: (firstToken ?? finished) - leased,
        outputTokens,
        generationMs: finished - (firstToken ?? finished),
      });
      yield new ChatGenerationChunk({
        text: "",
        message: new AIMessageChunk({
          content: "",
          usage_metadata: {
            input_tokens: promptTokens.length,
            output_tokens: outputTokens,
            total_tokens: promptTokens.length + outputTokens,
          },
          response_metadata: {
            model_name: this.model,
            finish_reason: finishReason(response),
            stop_reason: response.metadata.stopReason,
            chat_wrapper: loaded.chatWrapper.wrapperName,
          },
        }),
      });
    } finally {
      if (!settled) {
        // The reader stopped early: stop generating, so the sequence is free again soon.
        stop.abort(new Error("the stream was closed before the reply ended"));
      }
      await released;
    }
  }
}

function finishReason(response: LlamaChatResponse): string {
  switch (response.metadata.stopReason) {
    case "maxTokens":
      return "length";
    case "abort":
      return "abort";
    default:
      return "stop";
  }
}

function checkNumber(
  params: ChatLocalModelParams,
  field: keyof ChatLocalModelParams,
  rule: { min: number; max?: number; integer?: boolean },
): number | undefined {
  const value = params[field];
  if (value === undefined || value === null) return undefined;
  const ok =
    typeof value === "number" &&
    Number.isFinite(value) &&
    value >= rule.min &&
    (rule.max === undefined || value <= rule.max) &&
    (!rule.integer || Number.isInteger(value));
  if (!ok) {
    throw new InvalidArgumentError({
      parameter: field,
      value,
      message: `\`${field}\` must be ${rule.integer ? "a whole number" : "a number"} ≥ ${rule.min}${
        rule.max !== undefined ? ` and ≤ ${rule.max}` : ""
      }.`,
    });
  }
  return value;
}
