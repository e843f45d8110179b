import { AsyncLocalStorage } from "node:async_hooks";
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
} from "@langchain/core/language_models/chat_models";
import type { BaseLanguageModelInput } from "@langchain/core/language_models/base";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import { sleep } from "../utils/abortable-sleep.js";
import { CallRecorder, type ConcurrencyProbe, type RecordedCall } from "./call-recorder.js";

// The config of the call in progress: chat models only see call options in `_generate`, and
// without callback handlers there is no run manager to read metadata from.
const currentCall = new AsyncLocalStorage<{ metadata: Record<string, unknown>; tags: string[] }>();

/** What a scripted reply function receives. */
export interface FakeReplyContext {
  messages: BaseMessage[];
  /** 0-based call index on this model. */
  call: number;
  temperature?: number;
  metadata: Record<string, unknown>;
}

/** Parameters of {@link FakeChatModel}. */
export interface FakeChatModelParams extends BaseChatModelParams {
  /** Model name (proposer ids are derived from it). @default "fake" */
  model?: string;
  /**
   * The reply: a fixed string, a list used call by call (the last one repeats), or a function of
   * the call. @default `${model} answer ${call}`
   */
  reply?: string | string[] | ((context: FakeReplyContext) => string);
  /**
   * Failure injection: return (or throw) an error for the calls that should fail.
   * @example ({ call }) => call === 0 ? new Error("boom") : undefined
   */
  fail?: (context: FakeReplyContext) => Error | undefined;
  /** Latency in milliseconds, fixed or per call. Honours the abort signal. @default 0 */
  latencyMs?: number | ((context: FakeReplyContext) => number);
  /** Characters per streamed chunk. @default 4 */
  chunkSize?: number;
  /**
   * Id of every reply message (and streamed chunk), like a provider's completion id. Set a
   * constant to simulate a provider whose ids repeat.
   * @default undefined (no id; LangChain assigns `run-…`)
   */
  messageId?: string;
  temperature?: number;
  maxTokens?: number;
  /** Shared call log; clones made for per-proposer sampling share their original's. */
  recorder?: CallRecorder;
  /** Shared concurrency probe across several fakes. */
  probe?: ConcurrencyProbe;
}

/**
 * A scripted chat model for tests: fixed or computed replies, latency, failure injection, token
 * streaming, usage metadata (one token per whitespace-separated word), and a per-instance
 * {@link CallRecorder} of everything it was sent.
 *
 * @example
 * ```ts
 * const qwen = new FakeChatModel({ model: "qwen", reply: "Paris", latencyMs: 20 });
 * const graph = createMixtureOfAgents({ proposers: [qwen], aggregator: judge }).compile();
 * await graph.invoke({ messages: [new HumanMessage("Capital of France?")] });
 * expect(qwen.recorder.count).toBe(2); // layers 1 and 2
 * ```
 */
export class FakeChatModel extends BaseChatModel {
  model: string;
  temperature?: number;
  maxTokens?: number;
  readonly recorder: CallRecorder;
  private readonly params: FakeChatModelParams;

  static override lc_name(): string {
    return "FakeChatModel";
  }

  constructor(params: FakeChatModelParams = {}) {
    const recorder = params.recorder ?? new CallRecorder();
    super({ ...params, recorder } as BaseChatModelParams);
    this.params = { ...params, recorder };
    this.model = params.model ?? "fake";
    this.temperature = params.temperature;
    this.maxTokens = params.maxTokens;
    this.recorder = recorder;
  }

  _llmType(): string {
    return "fake";
  }

  override invoke(
    input: BaseLanguageModelInput,
    options?: BaseChatModelCallOptions,
  ): Promise<AIMessageChunk> {
    const call = { metadata: { ...options?.metadata }, tags: [...(options?.tags ?? [])] };
    return currentCall.run(call, () => super.invoke(input, options));
  }

  override async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
  ): Promise<ChatResult> {
    const text = await this.run(messages, options);
    const message = new AIMessage({
      content: text,
      id: this.params.messageId,
      usage_metadata: usageOf(messages, text),
    });
    return { generations: [{ text, message }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const text = await this.run(messages, options);
    const size = this.params.chunkSize ?? 4;
    for (let offset = 0; offset < text.length; offset += size) {
      const piece = text.slice(offset, offset + size);
      const chunk = new ChatGenerationChunk({
        text: piece,
        message: new AIMessageChunk({ content: piece, id: this.params.messageId }),
      });
      yield chunk;
      await runManager?.handleLLMNewToken(piece, undefined, undefined, undefined, undefined, {
        chunk,
      });
    }
    yield new ChatGenerationChunk({
      text: "",
      message: new AIMessageChunk({
        content: "",
        id: this.params.messageId,
        usage_metadata: usageOf(messages, text),
      }),
    });
  }

  private async run(messages: BaseMessage[], options: this["ParsedCallOptions"]): Promise<string> {
    const config = currentCall.getStore();
    const metadata = { ...config?.metadata };
    const tags = [...(config?.tags ?? [])];
    const call: RecordedCall = this.recorder.start({
      messages: [...messages],
      temperature: this.temperature,
      maxTokens: this.maxTokens,
      metadata,
      tags,
    });
    const context: FakeReplyContext = {
      messages,
      call: call.index,
      temperature: this.temperature,
      metadata,
    };
    this.params.probe?.enter();
    try {
      const latency =
        typeof this.params.latencyMs === "function"
          ? this.params.latencyMs(context)
          : (this.params.latencyMs ?? 0);
      if (latency > 0) await sleep(latency, options.signal);
      else await Promise.resolve();
      options.signal?.throwIfAborted();
      const failure = this.params.fail?.(context);
      if (failure) throw failure;
      const text = this.replyFor(context);
      this.recorder.finish(call, "ok");
      return text;
    } catch (error) {
      this.recorder.finish(call, options.signal?.aborted ? "aborted" : "error");
      throw error;
    } finally {
      this.params.probe?.leave();
    }
  }

  private replyFor(context: FakeReplyContext): string {
    const { reply } = this.params;
    if (typeof reply === "function") return reply(context);
    if (Array.isArray(reply)) return reply[Math.min(context.call, reply.length - 1)] ?? "";
    if (typeof reply === "string") return reply;
    return `${this.model} answer ${context.call}`;
  }
}

function usageOf(messages: BaseMessage[], text: string) {
  const words = (value: string) => value.split(/\s+/).filter(Boolean).length;
  const input_tokens = messages.reduce(
    (total, message) =>
      total +
      words(
        typeof message.content === "string" ? message.content : JSON.stringify(message.content),
      ),
    0,
  );
  const output_tokens = words(text);
  return { input_tokens, output_tokens, total_tokens: input_tokens + output_tokens };
}
