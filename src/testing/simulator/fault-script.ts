import type { SimulatorRequestInfo } from "./request-info.js";

/**
 * An error response in OpenAI's JSON error shape. A `retryAfterSeconds` adds a `Retry-After`
 * header (clients that retry honour it). Statuses with a known OpenAI shape: 400, 401, 403, 404,
 * 429 (`rate_limit_exceeded`), 500 and 503 (`server_error`); any other 4xx/5xx gets a generic body.
 */
export interface StatusFault {
  kind: "status";
  /** HTTP status, 400–599. */
  status: number;
  /** Seconds for the `Retry-After` header. */
  retryAfterSeconds?: number;
  /** Replaces the default error message. */
  message?: string;
  /**
   * Quote the key the request carried, as providers and proxies that echo a rejected key do:
   * `{apiKey}` in `message` becomes the request's `Authorization: Bearer` token; without a
   * `message`, OpenAI's "Incorrect API key provided: <key>. …" text is used. For redaction tests.
   */
  echoApiKey?: boolean;
}

/**
 * A 400 with OpenAI's exact `context_length_exceeded` body. The window it names is the model's
 * `contextWindow` (default 4096); the prompt size is the request's, raised past the window if
 * the prompt is actually smaller.
 */
export interface ContextLengthFault {
  kind: "context-length";
}

/** Accepts the request and never answers, until the client aborts or the server closes. */
export interface HangFault {
  kind: "hang";
}

/**
 * Starts a stream, sends `afterTokens` content tokens, then stops sending with the connection
 * still open. A non-streaming request hangs instead (it has nothing partial to send).
 */
export interface StallFault {
  kind: "stall";
  /** Content tokens sent before the stall. */
  afterTokens: number;
}

/** Status 200 with a body that is not valid JSON (for streams: a `data:` line of garbage). */
export interface MalformedJsonFault {
  kind: "malformed-json";
}

/** A successful completion whose content is `""`. */
export interface EmptyFault {
  kind: "empty";
}

/** A normal answer after `ms` milliseconds of extra latency. */
export interface DelayFault {
  kind: "delay";
  /** Extra latency in milliseconds. */
  ms: number;
}

/** One injected fault; see each member for its effect. */
export type Fault =
  | StatusFault
  | ContextLengthFault
  | HangFault
  | StallFault
  | MalformedJsonFault
  | EmptyFault
  | DelayFault;

/**
 * Faults of one model, scripted per call (calls are numbered from 0 as requests arrive).
 *
 * - an array: entry `i` applies to call `i`; `undefined`/`null` entries and calls past the end
 *   are answered normally;
 * - a function of the call index and the request: return a fault, or `undefined` for a normal
 *   answer.
 *
 * @example
 * ```ts
 * // First call rate-limited, second one hangs, the rest succeed.
 * const faults: FaultScript = [{ kind: "status", status: 429, retryAfterSeconds: 1 }, { kind: "hang" }];
 * // Every third call fails.
 * const flaky: FaultScript = (call) => (call % 3 === 2 ? { kind: "status", status: 500 } : undefined);
 * ```
 */
export type FaultScript =
  | ReadonlyArray<Fault | null | undefined>
  | ((callIndex: number, request: SimulatorRequestInfo) => Fault | null | undefined);

/**
 * The fault a script assigns to one call, or `undefined` for a normal answer.
 */
export function faultForCall(
  script: FaultScript | undefined,
  callIndex: number,
  request: SimulatorRequestInfo,
): Fault | undefined {
  if (script === undefined) return undefined;
  const fault = typeof script === "function" ? script(callIndex, request) : script[callIndex];
  return fault ?? undefined;
}

/**
 * Explains what is wrong with a fault, or returns `undefined` when it is valid.
 */
export function describeFaultProblem(fault: unknown): string | undefined {
  if (typeof fault !== "object" || fault === null || !("kind" in fault)) {
    return "a fault must be an object with a `kind`";
  }
  const candidate = fault as Record<string, unknown>;
  const nonNegative = (value: unknown): boolean =>
    typeof value === "number" && Number.isFinite(value) && value >= 0;
  switch (candidate.kind) {
    case "status":
      if (
        typeof candidate.status !== "number" ||
        !Number.isInteger(candidate.status) ||
        candidate.status < 400 ||
        candidate.status > 599
      ) {
        return "a status fault needs an integer `status` between 400 and 599";
      }
      if (candidate.retryAfterSeconds !== undefined && !nonNegative(candidate.retryAfterSeconds)) {
        return "`retryAfterSeconds` must be a number ≥ 0";
      }
      return undefined;
    case "stall":
      return Number.isInteger(candidate.afterTokens) && nonNegative(candidate.afterTokens)
        ? undefined
        : "a stall fault needs an integer `afterTokens` ≥ 0";
    case "delay":
      return nonNegative(candidate.ms) ? undefined : "a delay fault needs `ms` ≥ 0";
    case "context-length":
    case "hang":
    case "malformed-json":
    case "empty":
      return undefined;
    default:
      return `unknown fault kind ${JSON.stringify(candidate.kind)}; use "status", "context-length", "hang", "stall", "malformed-json", "empty" or "delay"`;
  }
}
