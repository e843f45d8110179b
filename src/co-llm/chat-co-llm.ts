/**
 * Co-LLM as a LangChain chat model: a base, an assistant and a gate behind `BaseChatModel`, so
 * the pair is a proposer or the aggregator of a mixture of agents like any other model.
 *
 * @module
 */
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BaseChatModelParams,
} from "@langchain/core/language_models/chat_models";
import { AIMessage, AIMessageChunk, type BaseMessage } from "@langchain/core/messages";
import { ChatGenerationChunk, type ChatResult } from "@langchain/core/outputs";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { AsyncQueue } from "../utils/async-queue.js";
import { coLlmDecode, type CoLlmDecodeResult, type CoLlmStep } from "./co-llm-decode.js";
import { deferralPolicyName, type DeferralPolicy } from "./deferral-policy.js";
import type { CoLlmGate } from "./gate.js";
import type { TokenModel } from "./token-model.js";

/** Parameters of {@link ChatCoLlm}. */
export interface ChatCoLlmParams extends BaseChatModelParams {
  /** The base model (writes by default; its hidden state feeds the gate). */
  base: TokenModel;
  /** The assistant (expert); same vocabulary as the base. */
  assistant: TokenModel;
  /** The gate fitted on `base`. Required unless `policy` is given. */
  gate?: CoLlmGate;
  /** Who writes each token. @default `{ kind: "gate", gate }` */
  policy?: DeferralPolicy;
  /** Name for proposer ids and traces. @default `co-llm:<base>+<assistant>` */
  model?: string;
  /** Cap on generated tokens. @default 256 */
  maxTokens?: number;
  /**
   * The prompt of a conversation: text (tokenized by the base) or token ids.
   * @default the base's chat template (`base.formatChat`)
   */
  formatPrompt?: (messages: BaseMessage[]) => string | number[] | Promise<string | number[]>;
}

/**
 * What a streamed chunk's `response_metadata.co_llm_steps` holds: one entry per token in the
 * chunk (an array, so LangChain's chunk merging concatenates them).
 */
export interface ChatCoLlmStepMetadata {
  author: "base" | "assistant";
  /** `g_t`, under the gate policy. */
  gate?: number;
  token: number;
}

/**
 * `response_metadata.co_llm` of the final message: the decode's summary.
 */
export interface ChatCoLlmSummary {
  policy: string;
  deferral_rate: number;
  /** Character spans of the answer the assistant wrote. */
  deferred_spans: Array<{ start: number; end: number }>;
  assistant_calls: number;
  usage: {
    base: { evaluated_tokens: number; calls: number };
    assistant: { evaluated_tokens: number; calls: number };
  };
}

/**
 * A chat model that decodes with Co-LLM: the base writes, the gate defers single tokens to the
 * assistant. Streams one chunk per token; each chunk's `response_metadata.co_llm_steps` says
 * who wrote it and its `g_t`; the final message's `response_metadata.co_llm` carries the
 * deferral rate, deferred character spans, assistant calls and both models' evaluated tokens.
 * Decoding is greedy: `temperature` is not an option.
 *
 * @example
 * ```ts
 * const base = await loadLlamaTokenModel({ modelPath: "llama-7b.gguf" });
 * const assistant = await loadLlamaTokenModel({ modelPath: "llemma-7b.gguf", hiddenStates: false });
 * const gate = parseGate(await readFile("gate.json", "utf8"));
 * const chat = new ChatCoLlm({ base, assistant, gate });
 * const reply = await chat.invoke("What is 5^3 * 5^2?");
 * reply.response_metadata.co_llm.deferral_rate;
 * ```
 */
export class ChatCoLlm extends BaseChatModel {
  base: TokenModel;
  assistant: TokenModel;
  policy: DeferralPolicy;
  model: string;
  maxTokens?: number;
  formatPrompt?: ChatCoLlmParams["formatPrompt"];

  static override lc_name(): string {
    return "ChatCoLlm";
  }

  constructor(params: ChatCoLlmParams) {
    super(params);
    if (params?.base === undefined || params.assistant === undefined) {
      throw new InvalidArgumentError({
        parameter: params?.base === undefined ? "base" : "assistant",
        value: undefined,
        message:
          "`base` and `assistant` are both required token models (see `loadLlamaTokenModel`).",
      });
    }
    const policy = params.policy ?? (params.gate ? { kind: "gate", gate: params.gate } : undefined);
    if (policy === undefined) {
      throw new InvalidArgumentError({
        parameter: "gate",
        value: undefined,
        message: "pass the `gate` fitted on the base (or a baseline `policy`).",
      });
    }
    this.base = params.base;
    this.assistant = params.assistant;
    this.policy = policy;
    this.model = params.model ?? `co-llm:${params.base.identity}+${params.assistant.identity}`;
    this.maxTokens = params.maxTokens;
    this.formatPrompt = params.formatPrompt;
  }

  _llmType(): string {
    return "co-llm";
  }

  override invocationParams(): Record<string, unknown> {
    return {
      model: this.model,
      policy: deferralPolicyName(this.policy),
      maxTokens: this.maxTokens,
    };
  }

  override async _generate(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
  ): Promise<ChatResult> {
    const result = await this.decode(messages, options, undefined);
    const message = new AIMessage({
      content: result.text,
      usage_metadata: usageOf(result),
      response_metadata: {
        model_name: this.model,
        finish_reason: result.finishReason === "length" ? "length" : "stop",
        co_llm: summaryOf(result, this.policy),
        co_llm_steps: result.steps.map(stepMetadata),
      },
    });
    return { generations: [{ text: result.text, message }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const queue = new AsyncQueue<CoLlmStep>();
    const decoding = this.decode(messages, options, (step) => queue.push(step)).then(
      (result) => {
        queue.end();
        return result;
      },
      (error: unknown) => {
        queue.fail(error);
        throw error;
      },
    );
    // The queue rethrows a failure to the reader; this keeps it from counting as unhandled.
    decoding.catch(() => undefined);
    for await (const step of queue) {
      const chunk = new ChatGenerationChunk({
        text: step.text,
        message: new AIMessageChunk({
          content: step.text,
          response_metadata: { co_llm_steps: [stepMetadata(step)] },
        }),
      });
      yield chunk;
      await runManager?.handleLLMNewToken(step.text, undefined, undefined, undefined, undefined, {
        chunk,
      });
    }
    const result = await decoding;
    yield new ChatGenerationChunk({
      text: "",
      message: new AIMessageChunk({
        content: "",
        usage_metadata: usageOf(result),
        response_metadata: {
          model_name: this.model,
          finish_reason: result.finishReason === "length" ? "length" : "stop",
          co_llm: summaryOf(result, this.policy),
        },
      }),
    });
  }

  private async decode(
    messages: BaseMessage[],
    options: BaseChatModelCallOptions,
    onToken: ((step: CoLlmStep) => void) | undefined,
  ): Promise<CoLlmDecodeResult> {
    options.signal?.throwIfAborted();
    let prompt: string | number[];
    if (this.formatPrompt) prompt = await this.formatPrompt(messages);
    else if (this.base.formatChat) prompt = await this.base.formatChat(messages);
    else {
      throw new InvalidArgumentError({
        parameter: "formatPrompt",
        value: undefined,
        message: `the base "${this.base.identity}" has no chat template support: pass \`formatPrompt\`.`,
      });
    }
    return coLlmDecode({
      base: this.base,
      assistant: this.assistant,
      policy: this.policy,
      prompt,
      ...(this.maxTokens !== undefined ? { maxTokens: this.maxTokens } : {}),
      ...(options.stop?.length ? { stop: options.stop } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(onToken ? { onToken } : {}),
    });
  }
}

function stepMetadata(step: CoLlmStep): ChatCoLlmStepMetadata {
  return {
    author: step.author,
    token: step.token,
    ...(step.gate !== undefined ? { gate: step.gate } : {}),
  };
}

function usageOf(result: CoLlmDecodeResult) {
  return {
    input_tokens: result.promptTokens,
    output_tokens: result.tokens.length,
    total_tokens: result.promptTokens + result.tokens.length,
  };
}

function summaryOf(result: CoLlmDecodeResult, policy: DeferralPolicy): ChatCoLlmSummary {
  return {
    policy: deferralPolicyName(policy),
    deferral_rate: result.deferralRate,
    deferred_spans: result.deferredSpans,
    assistant_calls: result.usage.assistant.calls,
    usage: {
      base: {
        evaluated_tokens: result.usage.base.evaluatedTokens,
        calls: result.usage.base.calls,
      },
      assistant: {
        evaluated_tokens: result.usage.assistant.evaluatedTokens,
        calls: result.usage.assistant.calls,
      },
    },
  };
}
