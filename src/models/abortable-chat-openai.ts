import {
  AsyncCaller,
  type AsyncCallerParams,
  type FailedAttemptHandler,
} from "@langchain/core/utils/async_caller";
import {
  ChatOpenAI,
  ChatOpenAICompletions,
  ChatOpenAIResponses,
  type ChatOpenAIFields,
  type OpenAIClient as OpenAI,
} from "@langchain/openai";
import { redactError } from "../errors/redact-secrets.js";
import { retryUntilAborted } from "./retry-until-aborted.js";

/**
 * `ChatOpenAI` whose retries stop when the call's signal aborts, and whose errors are redacted.
 *
 * Why: `@langchain/openai` runs each request through `AsyncCaller.callWithOptions({ maxRetries })`
 * without the call's signal, so the backoff and `Retry-After` waits of its p-retry loop never
 * see an abort. A 429 with `Retry-After: 30` then holds a timed-out or cancelled call (and its
 * MoA layer, and the process, through the uncleared timer) for 30 s. Here LangChain still
 * decides *whether* an error is retried (its `onFailedAttempt` policy: no retry on 4xx, wait on
 * a 429's hint, give up on quota errors), but the retries and their waits run in
 * {@link retryUntilAborted}, which listens to the signal.
 *
 * Provider errors are redacted in place before they leave the model (see `redactError`), so
 * neither callers nor LangChain's callbacks (LangSmith traces record a failed call's error)
 * see a key a provider echoed back.
 *
 * `withSampling` rebuilds a model with its constructor, so copies keep both behaviours.
 */
export class AbortableChatOpenAI extends ChatOpenAI {
  constructor(fields: ChatOpenAIFields) {
    super(fields);
    // The delegates do the requests; set here (not passed as fields) so they stay out of the
    // model's serialized kwargs.
    this.completions = new AbortableCompletions(fields);
    this.responses = new AbortableResponses(fields);
  }
}

/**
 * LangChain's caller with its retry policy kept but its retries left to the caller of
 * {@link VettingCaller.allowsRetry}: an error the policy let through (did not rethrow) is one
 * LangChain would have retried.
 */
class VettingCaller extends AsyncCaller {
  private readonly retryable = new WeakSet<object>();

  constructor(params: AsyncCallerParams) {
    super(params);
    const policy: FailedAttemptHandler | undefined = this.onFailedAttempt;
    this.onFailedAttempt = async (error: unknown) => {
      await policy?.(error);
      // p-retry never retries a TypeError that is not a network error (a bug, not the server).
      if (typeof error === "object" && error !== null && !(error instanceof TypeError)) {
        this.retryable.add(error);
      }
    };
  }

  /** Retries after the first attempt, as configured (`maxRetries`; LangChain's default 6). */
  get retries(): number {
    return this.maxRetries ?? 6;
  }

  /** True when LangChain's policy would retry `error`. */
  allowsRetry(error: unknown): boolean {
    return typeof error === "object" && error !== null && this.retryable.has(error);
  }
}

/** One request with LangChain's single attempt, retried by {@link retryUntilAborted}. */
function requestWithRetries<T>(
  caller: VettingCaller,
  requestOptions: (OpenAI.RequestOptions & { maxRetries?: number }) | undefined,
  attempt: (options: OpenAI.RequestOptions & { maxRetries: number }) => Promise<T>,
): Promise<T> {
  const signal = requestOptions?.signal ?? undefined;
  return retryUntilAborted(() => attempt({ ...requestOptions, maxRetries: 0 }), {
    maxRetries: requestOptions?.maxRetries ?? caller.retries,
    signal,
    shouldRetry: (error) => caller.allowsRetry(error),
  }).catch((error: unknown) => {
    throw redactError(error);
  });
}

class AbortableCompletions extends ChatOpenAICompletions {
  declare caller: VettingCaller;

  constructor(fields: ChatOpenAIFields) {
    super(fields);
    this.caller = new VettingCaller(fields);
  }

  override completionWithRetry(
    request: OpenAI.Chat.ChatCompletionCreateParamsStreaming,
    requestOptions?: OpenAI.RequestOptions,
  ): Promise<AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>>;
  override completionWithRetry(
    request: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming,
    requestOptions?: OpenAI.RequestOptions,
  ): Promise<OpenAI.Chat.Completions.ChatCompletion>;
  override completionWithRetry(
    request: OpenAI.Chat.ChatCompletionCreateParams,
    requestOptions?: OpenAI.RequestOptions,
  ): Promise<unknown> {
    return requestWithRetries<unknown>(this.caller, requestOptions, (options) =>
      // The overloads cannot take the union; each branch is the same call.
      request.stream
        ? super.completionWithRetry(request, options)
        : super.completionWithRetry(request, options),
    );
  }
}

class AbortableResponses extends ChatOpenAIResponses {
  declare caller: VettingCaller;

  constructor(fields: ChatOpenAIFields) {
    super(fields);
    this.caller = new VettingCaller(fields);
  }

  override completionWithRetry(
    request: OpenAI.Responses.ResponseCreateParamsStreaming,
    requestOptions?: OpenAI.RequestOptions,
  ): Promise<AsyncIterable<OpenAI.Responses.ResponseStreamEvent>>;
  override completionWithRetry(
    request: OpenAI.Responses.ResponseCreateParamsNonStreaming,
    requestOptions?: OpenAI.RequestOptions,
  ): Promise<OpenAI.Responses.Response>;
  override completionWithRetry(
    request: OpenAI.Responses.ResponseCreateParams,
    requestOptions?: OpenAI.RequestOptions,
  ): Promise<unknown> {
    return requestWithRetries<unknown>(this.caller, requestOptions, (options) =>
      request.stream
        ? super.completionWithRetry(request, options)
        : super.completionWithRetry(request, options),
    );
  }
}
