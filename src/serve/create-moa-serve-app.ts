import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import { Hono, type Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ResolvedMoaConfig } from "../config/moa-config.js";
import { BudgetExceededError } from "../errors/budget-exceeded-error.js";
import { InsufficientProposalsError } from "../errors/insufficient-proposals-error.js";
import { InvalidInputError } from "../errors/invalid-input-error.js";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { ModelCallError } from "../errors/model-call-error.js";
import { redactSecrets } from "../errors/redact-secrets.js";
import { DEFAULT_PRICES, type PriceRow } from "../models/price-table.js";
import {
  parseChatCompletionRequest,
  type ChatCompletionRequest,
} from "./chat-completion-request.js";
import { moaExtension } from "./moa-extension.js";
import {
  prepareMoaRun,
  runMoa,
  type MoaRunResult,
  type PreparedMoaRun,
  type ServeModelLoader,
} from "./moa-run.js";
import { openAIError, type OpenAIErrorBody } from "./openai-error.js";
import { RunGate } from "./run-gate.js";

/** Options of {@link createMoaServeApp}. */
export interface MoaServeAppOptions {
  /** The virtual models by name (see `virtualModels`). */
  models: Readonly<Record<string, ResolvedMoaConfig>>;
  /** Builds each model of a run, e.g. `(spec, s) => loadChatModel(spec, { env, ...s })`. */
  loadModel: ServeModelLoader;
  /** Prices of the `moa.cost_usd` field. @default DEFAULT_PRICES */
  prices?: readonly PriceRow[];
  /** When set, `/v1/*` requires `Authorization: Bearer <apiKey>`. @default undefined (open) */
  apiKey?: string;
  /** Runs at once. @default 4 */
  maxConcurrency?: number;
  /** Requests waiting for a run slot; beyond them the answer is 429. @default 2 × maxConcurrency */
  maxQueue?: number;
  /** The `Retry-After` seconds of a 429. @default 1 */
  retryAfterSeconds?: number;
  /** Receives one line per failed run (already redacted). @default none */
  log?: (line: string) => void;
}

/**
 * Builds the OpenAI-compatible server of MoA virtual models as a Hono app (serve it with
 * `@hono/node-server`, or mount it in another Hono app). Routes: `POST /v1/chat/completions`
 * (JSON and SSE, `stream_options.include_usage`), `GET /v1/models`, `GET /health`. Every
 * completion carries a `moa` object (layers, per-call rows, status, tokens, latency, cost).
 * Request `tools` bind to the aggregator (its `tool_calls` come back with
 * `finish_reason: "tool_calls"`, streamed as OpenAI tool-call deltas); `response_format` is not
 * supported yet (400). A client that disconnects cancels its run's
 * in-flight model calls. Pure: models and configuration come in through `options`.
 *
 * @example
 * ```ts
 * import { serve } from "@hono/node-server";
 * const app = createMoaServeApp({
 *   models: virtualModels(),
 *   loadModel: (spec, settings) => loadChatModel(spec, settings),
 * });
 * serve({ fetch: app.fetch, port: 8000, hostname: "127.0.0.1" });
 * ```
 */
export function createMoaServeApp(options: MoaServeAppOptions): Hono {
  const maxConcurrency = options.maxConcurrency ?? 4;
  const gate = new RunGate(maxConcurrency, options.maxQueue ?? 2 * maxConcurrency);
  const prices = options.prices ?? DEFAULT_PRICES;
  const app = new Hono();

  app.get("/health", (c) => c.json({ status: "ok", running: gate.running }));

  app.use("/v1/*", async (c, next) => {
    if (
      options.apiKey !== undefined &&
      !bearerMatches(c.req.header("authorization"), options.apiKey)
    ) {
      return c.json(
        openAIError(
          "Missing or wrong API key: send `Authorization: Bearer <key>` with the key of the server's `--api-key-env` variable.",
          "authentication_error",
          null,
          "invalid_api_key",
        ),
        401,
      );
    }
    return next();
  });

  app.get("/v1/models", (c) =>
    c.json({
      object: "list",
      data: Object.entries(options.models).map(([id, config]) => ({
        id,
        object: "model",
        created: 0,
        owned_by: "langgraph-moa",
        moa: {
          description: config.description,
          layers: config.layers,
          proposers: config.proposers,
          aggregator: config.aggregator,
          aggregation: config.aggregation,
          samples: config.samples,
        },
      })),
    }),
  );

  app.post("/v1/chat/completions", async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json(
        openAIError(
          "The request body is not valid JSON; send a JSON chat-completion request.",
          "invalid_request_error",
        ),
        400,
      );
    }
    const parsed = parseChatCompletionRequest(body);
    if (!parsed.ok) return c.json(parsed.error, 400);
    const request = parsed.request;
    const config = options.models[request.model];
    if (config === undefined) {
      return c.json(
        openAIError(
          `The model \`${request.model}\` does not exist; available: ${Object.keys(options.models).join(", ")}.`,
          "invalid_request_error",
          "model",
          "model_not_found",
        ),
        404,
      );
    }
    let graph: PreparedMoaRun;
    try {
      graph = prepareMoaRun(config, request, { loadModel: options.loadModel, prices });
    } catch (error) {
      if (!(error instanceof InvalidArgumentError)) throw error;
      return c.json(
        openAIError(
          redactSecrets(error.message),
          "invalid_request_error",
          REQUEST_FIELD_OF_PARAMETER[error.parameter] ?? null,
          "invalid_value",
        ),
        400,
      );
    }
    const signal = c.req.raw.signal;
    const release = await gate.acquire(signal);
    if (release === undefined) {
      c.header("Retry-After", String(options.retryAfterSeconds ?? 1));
      return c.json(
        openAIError(
          `The server is at capacity (${maxConcurrency} runs and a full queue); retry after the \`Retry-After\` seconds.`,
          "rate_limit_error",
          null,
          "rate_limit_exceeded",
        ),
        429,
      );
    }
    const completion: CompletionRun = {
      id: `chatcmpl-moa-${randomUUID()}`,
      created: nowSeconds(),
      model: request.model,
      config,
      request,
      prices,
      signal,
      release,
      log: options.log,
      start: (controller, deltas = {}) => {
        const started = performance.now();
        return runMoa(graph, request, {
          signal: AbortSignal.any([signal, controller.signal]),
          ...deltas,
        }).then((result) => ({ result, latencyMs: performance.now() - started }));
      },
    };
    return request.stream === true
      ? streamedCompletion(c, completion)
      : jsonCompletion(c, completion);
  });

  app.notFound((c) =>
    c.json(
      openAIError(
        `No route ${c.req.method} ${c.req.path}; the routes are POST /v1/chat/completions, GET /v1/models and GET /health.`,
        "invalid_request_error",
        null,
        "not_found",
      ),
      404,
    ),
  );
  app.onError((error, c) => {
    const failure = describeFailure(error, options.log);
    return c.json(failure.body, failure.status);
  });
  return app;
}

/** The request field behind a graph parameter the request sets. */
const REQUEST_FIELD_OF_PARAMETER: Record<string, string> = {
  aggregatorTools: "tools",
  aggregatorToolChoice: "tool_choice",
};

/** One admitted completion: what answering it needs. */
interface CompletionRun {
  id: string;
  created: number;
  model: string;
  config: ResolvedMoaConfig;
  request: ChatCompletionRequest;
  prices: readonly PriceRow[];
  /** Aborted when the client goes away. */
  signal: AbortSignal;
  /** Frees the run's slot of the gate. */
  release: () => void;
  log: ((line: string) => void) | undefined;
  /** Starts the run; `controller` cancels it too. */
  start: (
    controller: AbortController,
    deltas?: Pick<Parameters<typeof runMoa>[2], "onDelta" | "onToolCallDelta">,
  ) => Promise<{ result: MoaRunResult; latencyMs: number }>;
}

/** Answers a completion as one JSON `chat.completion` object. */
async function jsonCompletion(c: Context, run: CompletionRun): Promise<Response> {
  try {
    const { result, latencyMs } = await run.start(new AbortController());
    return c.json({
      id: run.id,
      object: "chat.completion",
      created: run.created,
      model: run.model,
      choices: [
        {
          index: 0,
          message: {
            role: "assistant",
            content: result.toolCalls.length && !result.answer ? null : result.answer,
            refusal: null,
            ...(result.toolCalls.length
              ? { tool_calls: result.toolCalls.map(({ index: _index, ...call }) => call) }
              : {}),
          },
          logprobs: null,
          finish_reason: finishReason(result),
        },
      ],
      usage: openAIUsage(result),
      moa: moaExtension(result.state, run.config, run.prices, latencyMs),
    });
  } catch (error) {
    // Nobody reads the answer to a client that went away; it is no failure worth a log line.
    if (run.signal.aborted) {
      return c.json(openAIError("The client closed the request.", "invalid_request_error"), 400);
    }
    const failure = describeFailure(error, run.log);
    return c.json(failure.body, failure.status);
  } finally {
    run.release();
  }
}

/**
 * Answers a completion as SSE `chat.completion.chunk`s: the aggregator's tokens, then the
 * finish chunk and (with `stream_options.include_usage`) the usage chunk; the `moa` object is
 * on the last one. A failed run sends an OpenAI `error` event before `[DONE]`.
 */
function streamedCompletion(c: Context, run: CompletionRun): Response {
  return sseResponse(c, (send, controller) => {
    const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) =>
      send({
        id: run.id,
        object: "chat.completion.chunk",
        created: run.created,
        model: run.model,
        choices,
        ...extra,
      });
    const delta = (content: Record<string, unknown>, finish: string | null = null) =>
      chunk([{ index: 0, delta: content, logprobs: null, finish_reason: finish }]);
    delta({ role: "assistant", content: "" });
    let streamed = false;
    let streamedTools = false;
    return run
      .start(controller, {
        onDelta: (text) => {
          streamed = true;
          delta({ content: text });
        },
        onToolCallDelta: (calls) => {
          streamedTools = true;
          delta({ tool_calls: calls });
        },
      })
      .then(({ result, latencyMs }) => {
        // A ranker's answer is a proposal: it never streamed, so it goes out in one piece.
        if (!streamed && result.answer) delta({ content: result.answer });
        // So do tool calls of a model that answered in one message.
        if (!streamedTools && result.toolCalls.length) delta({ tool_calls: result.toolCalls });
        const moa = moaExtension(result.state, run.config, run.prices, latencyMs);
        const finish = finishReason(result);
        if (run.request.stream_options?.include_usage === true) {
          delta({}, finish);
          chunk([], { usage: openAIUsage(result), moa });
        } else {
          chunk([{ index: 0, delta: {}, logprobs: null, finish_reason: finish }], { moa });
        }
      })
      .catch((error: unknown) => {
        if (!run.signal.aborted && !controller.signal.aborted) {
          send(describeFailure(error, run.log).body);
        }
      })
      .finally(run.release);
  });
}

/**
 * An SSE response whose body `produce` writes with `send` (one `data:` line each), ending with
 * `data: [DONE]`. A client that goes away aborts `controller`, which cancels the run.
 */
function sseResponse(
  c: Context,
  produce: (send: (data: unknown) => void, controller: AbortController) => Promise<void>,
): Response {
  const controller = new AbortController();
  const encoder = new TextEncoder();
  let closed = false;
  const body = new ReadableStream<Uint8Array>({
    start(stream) {
      const send = (data: unknown) => {
        if (!closed) stream.enqueue(encoder.encode(`data: ${JSON.stringify(data)}\n\n`));
      };
      void produce(send, controller).finally(() => {
        if (closed) return;
        closed = true;
        stream.enqueue(encoder.encode("data: [DONE]\n\n"));
        stream.close();
      });
    },
    cancel() {
      closed = true;
      controller.abort(new Error("the client closed the stream"));
    },
  });
  c.req.raw.signal.addEventListener("abort", () => controller.abort(c.req.raw.signal.reason), {
    once: true,
  });
  return new Response(body, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-cache",
      connection: "keep-alive",
    },
  });
}

/** `"tool_calls"` when the aggregator called tools, else `"stop"`. */
function finishReason(result: MoaRunResult): "tool_calls" | "stop" {
  return result.toolCalls.length ? "tool_calls" : "stop";
}

/** OpenAI's `usage`: the totals of every call of the run (proposers and aggregator). */
function openAIUsage(result: MoaRunResult) {
  const usage = result.state.usage ?? { inputTokens: 0, outputTokens: 0 };
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** The HTTP status and OpenAI error body of a failed run; the message is redacted. */
function describeFailure(
  error: unknown,
  log: ((line: string) => void) | undefined,
): { status: ContentfulStatusCode; body: OpenAIErrorBody } {
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  if (error instanceof InvalidInputError) {
    return {
      status: 400,
      body: openAIError(message, "invalid_request_error", error.path, "invalid_value"),
    };
  }
  if (error instanceof BudgetExceededError) {
    return {
      status: 400,
      body: openAIError(message, "invalid_request_error", null, "budget_exceeded"),
    };
  }
  log?.(`moa serve: run failed: ${message}`);
  if (error instanceof InsufficientProposalsError || error instanceof ModelCallError) {
    return { status: 502, body: openAIError(message, "upstream_error", null, "upstream_failed") };
  }
  return { status: 500, body: openAIError(message, "server_error", null, "internal_error") };
}

/** Constant-time check of `Authorization: Bearer <key>` (both sides hashed to equal length). */
function bearerMatches(header: string | undefined, apiKey: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(header ?? "");
  const digest = (text: string) => createHash("sha256").update(text).digest();
  return timingSafeEqual(digest(match?.[1] ?? ""), digest(apiKey)) && match !== null;
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
