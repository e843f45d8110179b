import { Client } from "@langchain/langgraph-sdk";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { describeError } from "../graph/control-flow.js";
import { checkTimerDelay } from "../utils/timer-delay.js";

/** What one input of a batch became. `index` is its position in `inputs`. */
export type BatchItemResult<Output = Record<string, unknown>> =
  | {
      index: number;
      status: "ok";
      /** The run's final state values (for the `moa` graph: `messages`, `proposals`, …). */
      output: Output;
      /** The server's run id, when the server reported it. */
      runId?: string;
      latencyMs: number;
    }
  | {
      index: number;
      /** The run failed on the server, the request failed, or the run timed out. */
      status: "error";
      /** One credential-free line: the server's error name and message, or the client's. */
      error: string;
      runId?: string;
      latencyMs: number;
    }
  | {
      index: number;
      /** `signal` was aborted before the item finished (or before it started). */
      status: "cancelled";
      runId?: string;
      latencyMs: number;
    };

/** Parameters of {@link runBatchOnServer}. */
export interface RunBatchOnServerParams<
  Input = Record<string, unknown>,
  Output = Record<string, unknown>,
> {
  /**
   * Base URL of a LangGraph server: `langgraphjs dev`, a LangGraph Platform deployment.
   * Ignored when `client` is given.
   * @example "http://127.0.0.1:2024"
   */
  url?: string;
  /** An assistant id, or a graph id (which runs the graph's default assistant). @default "moa" */
  assistantId?: string;
  /**
   * The run `context` of every item; for the `moa` graph the model configuration
   * (`{ preset, proposers, aggregator, layers, … }`).
   * @default undefined (the assistant's own context)
   */
  context?: Record<string, unknown>;
  /**
   * One graph input per item, e.g. `{ messages: [{ role: "user", content: "…" }] }`. Each runs
   * as a stateless run (no thread), so items never see each other.
   */
  inputs: readonly Input[];
  /** Runs in flight at once. @default 4 */
  concurrency?: number;
  /** LangGraph Platform API key, sent as `x-api-key`. Ignored when `client` is given. */
  apiKey?: string;
  /**
   * Time limit of one run in milliseconds. A run that exceeds it is abandoned (the server
   * cancels it, as the client disconnects) and recorded as an error.
   * @default 600000 (10 minutes)
   */
  timeoutMs?: number;
  /**
   * Cancels the batch: no further item starts, runs in flight are abandoned, and every
   * unfinished item is recorded as `cancelled`. Finished items keep their results.
   */
  signal?: AbortSignal;
  /**
   * Called once per item as soon as it finishes (in completion order), for example to append it
   * to a results file so a crash never loses finished work. If it throws, no further item
   * starts and `runBatchOnServer` rejects with that error once the runs in flight have settled.
   */
  onResult?: (result: BatchItemResult<Output>) => void | Promise<void>;
  /** A ready SDK client (custom headers, retries, tests). */
  client?: Client;
}

const DEFAULT_CONCURRENCY = 4;
const DEFAULT_TIMEOUT_MS = 600_000;

/**
 * Runs many inputs through a graph on a LangGraph server with bounded concurrency: one
 * stateless `runs.wait` per input through `@langchain/langgraph-sdk`. Returns one result per
 * input, **in input order**, whatever order they finish in. A failed item (server-side error,
 * HTTP failure, timeout) is recorded with its error and never stops the others.
 *
 * Arguments are checked before any request; an invalid one throws `InvalidArgumentError`.
 *
 * @example
 * ```ts
 * const results = await runBatchOnServer({
 *   url: "http://127.0.0.1:2024",
 *   assistantId: "moa",
 *   context: { preset: "moa-lite" },
 *   inputs: prompts.map((prompt) => ({ messages: [{ role: "user", content: prompt }] })),
 *   concurrency: 8,
 *   onResult: (result) => appendFile("outputs.jsonl", `${JSON.stringify(result)}\n`),
 * });
 * const failed = results.filter((result) => result.status !== "ok").length;
 * ```
 */
export async function runBatchOnServer<
  Input = Record<string, unknown>,
  Output = Record<string, unknown>,
>(params: RunBatchOnServerParams<Input, Output>): Promise<BatchItemResult<Output>[]> {
  const { inputs, context, signal, onResult } = params;
  const assistantId = params.assistantId ?? "moa";
  const concurrency = params.concurrency ?? DEFAULT_CONCURRENCY;
  const timeoutMs = params.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  checkParams(params, assistantId, concurrency, timeoutMs);
  const client =
    params.client ?? new Client({ apiUrl: params.url!, apiKey: params.apiKey ?? null });

  const results: BatchItemResult<Output>[] = new Array(inputs.length);
  const inFlight = new Set<AbortController>();
  let next = 0;
  let callbackFailure: { error: unknown } | undefined;
  // One listener on the caller's signal (not one per item) fans the abort out to every run.
  const abortAll = () => {
    for (const controller of inFlight) controller.abort();
  };
  signal?.addEventListener("abort", abortAll, { once: true });

  const runItem = async (index: number): Promise<BatchItemResult<Output>> => {
    const controller = new AbortController();
    inFlight.add(controller);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    let runId: string | undefined;
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    try {
      const output = (await client.runs.wait(null, assistantId, {
        input: inputs[index] as Record<string, unknown>,
        context,
        signal: controller.signal,
        // The result carries `__error__` instead of throwing, so the server's message is kept.
        raiseError: false,
        // A client that gives up (timeout, cancel) should not leave the run burning tokens.
        onDisconnect: "cancel",
        onRunCreated: (created) => {
          runId = created.run_id;
        },
      })) as Record<string, unknown>;
      const serverError = runError(output);
      if (serverError !== undefined) {
        return { index, status: "error", error: serverError, runId, latencyMs: elapsed() };
      }
      return { index, status: "ok", output: output as Output, runId, latencyMs: elapsed() };
    } catch (error) {
      if (timedOut) {
        return {
          index,
          status: "error",
          error: `timed out after ${timeoutMs} ms (raise \`timeoutMs\`)`,
          runId,
          latencyMs: elapsed(),
        };
      }
      if (signal?.aborted) return { index, status: "cancelled", runId, latencyMs: elapsed() };
      return { index, status: "error", error: describeError(error), runId, latencyMs: elapsed() };
    } finally {
      clearTimeout(timer);
      inFlight.delete(controller);
    }
  };

  const worker = async () => {
    while (next < inputs.length && !signal?.aborted && callbackFailure === undefined) {
      const index = next++;
      const result = await runItem(index);
      results[index] = result;
      if (onResult !== undefined && callbackFailure === undefined) {
        try {
          await onResult(result);
        } catch (error) {
          callbackFailure = { error };
        }
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, inputs.length) }, worker));
  } finally {
    signal?.removeEventListener("abort", abortAll);
  }
  if (callbackFailure !== undefined) throw callbackFailure.error;
  for (let index = 0; index < inputs.length; index++) {
    results[index] ??= { index, status: "cancelled", latencyMs: 0 };
  }
  return results;
}

/** The server's error for a failed run (`{ __error__: { error, message } }`), as one line. */
function runError(output: unknown): string | undefined {
  if (output === null || typeof output !== "object" || !("__error__" in output)) return undefined;
  const problem = (output as { __error__?: { error?: unknown; message?: unknown } }).__error__;
  const name = typeof problem?.error === "string" ? problem.error : "Error";
  const message = typeof problem?.message === "string" ? problem.message : JSON.stringify(problem);
  return describeError(Object.assign(new Error(serverMessage(message)), { name }));
}

// The dev server wraps an error's JSON (`{"error":"InvalidConfigError","message":"…"}`) inside the
// message; unwrap it so the line reads like the original error.
function serverMessage(message: string): string {
  try {
    const inner = JSON.parse(message) as { error?: unknown; message?: unknown };
    if (typeof inner.message === "string") {
      return typeof inner.error === "string" ? `${inner.error}: ${inner.message}` : inner.message;
    }
  } catch {
    // not JSON: keep the message as it is
  }
  return message;
}

function checkParams(
  params: RunBatchOnServerParams<any, any>,
  assistantId: string,
  concurrency: number,
  timeoutMs: number,
): void {
  if (params.client === undefined) {
    let valid = false;
    try {
      valid = ["http:", "https:"].includes(new URL(params.url ?? "").protocol);
    } catch {
      valid = false;
    }
    if (!valid) {
      throw new InvalidArgumentError({
        parameter: "url",
        value: params.url,
        message:
          'give the LangGraph server\'s base URL, e.g. "http://127.0.0.1:2024" (or pass `client`).',
      });
    }
  }
  if (!Array.isArray(params.inputs)) {
    throw new InvalidArgumentError({
      parameter: "inputs",
      value: typeof params.inputs,
      message:
        'must be an array of graph inputs, e.g. `[{ messages: [{ role: "user", content: "…" }] }]`.',
    });
  }
  if (typeof assistantId !== "string" || assistantId.trim() === "") {
    throw new InvalidArgumentError({
      parameter: "assistantId",
      value: assistantId,
      message: 'give an assistant id or a graph id such as "moa".',
    });
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidArgumentError({
      parameter: "concurrency",
      value: concurrency,
      message: "must be a whole number ≥ 1.",
    });
  }
  checkTimerDelay(timeoutMs, "timeoutMs", "milliseconds one run may take");
}
