/** How a stage retries an instance whose call failed for a transient reason. */
export interface RetryOptions {
  /** Attempts per instance and run, the first included. @default 5 */
  maxAttempts?: number;
  /** Delay before the second attempt; doubles each time. @default 1000 */
  initialDelayMs?: number;
  /** Upper bound of one delay (a server's `retry-after` may ask for more, up to this). @default 60000 */
  maxDelayMs?: number;
}

/** {@link RetryOptions} with defaults applied. */
export type ResolvedRetryOptions = Required<RetryOptions>;

/** Applies the defaults of {@link RetryOptions}. */
export function resolveRetryOptions(options: RetryOptions = {}): ResolvedRetryOptions {
  return {
    maxAttempts: options.maxAttempts ?? 5,
    initialDelayMs: options.initialDelayMs ?? 1000,
    maxDelayMs: options.maxDelayMs ?? 60_000,
  };
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  status?: unknown;
  code?: unknown;
  lc_error_code?: unknown;
  headers?: unknown;
  response?: { status?: unknown; headers?: unknown };
  cause?: unknown;
}

function statusOf(error: ErrorLike): number | undefined {
  const status = error.status ?? error.response?.status;
  return typeof status === "number" ? status : undefined;
}

/**
 * True for provider rate limiting: HTTP 429, OpenAI's `RateLimitError`, LangChain's
 * `MODEL_RATE_LIMIT`, or a message saying so. The stage pauses every worker when it sees one.
 */
export function isRateLimitError(error: unknown): boolean {
  if (error == null || typeof error !== "object") return false;
  const candidate = error as ErrorLike;
  if (statusOf(candidate) === 429) return true;
  if (candidate.name === "RateLimitError" || candidate.lc_error_code === "MODEL_RATE_LIMIT")
    return true;
  const message = typeof candidate.message === "string" ? candidate.message : "";
  return /rate.?limit|too many requests|\b429\b/i.test(message);
}

/**
 * True for failures worth retrying: rate limits, server errors (5xx, 408, 409), timeouts and
 * dropped connections. Client errors (bad request, authentication) and parse errors are not.
 */
export function isTransientError(error: unknown): boolean {
  if (isRateLimitError(error)) return true;
  if (error == null || typeof error !== "object") return false;
  const candidate = error as ErrorLike;
  const status = statusOf(candidate);
  if (status !== undefined) return status >= 500 || status === 408 || status === 409;
  const name = typeof candidate.name === "string" ? candidate.name : "";
  if (/^(?:TimeoutError|APIConnectionError|APIConnectionTimeoutError|FetchError)$/.test(name))
    return true;
  const code = typeof candidate.code === "string" ? candidate.code : "";
  if (/^(?:ECONNRESET|ETIMEDOUT|ECONNREFUSED|EAI_AGAIN|EPIPE|UND_ERR_\w+)$/.test(code)) return true;
  const message = typeof candidate.message === "string" ? candidate.message : "";
  if (/timed? ?out|socket hang up|ECONNRESET|fetch failed|network error/i.test(message))
    return true;
  return (
    candidate.cause !== undefined && candidate.cause !== error && isTransientError(candidate.cause)
  );
}

/** The server's requested wait (`retry-after-ms` or `retry-after` seconds/date), if any. */
export function retryAfterMs(error: unknown, now = Date.now()): number | undefined {
  if (error == null || typeof error !== "object") return undefined;
  const candidate = error as ErrorLike;
  const headers = candidate.headers ?? candidate.response?.headers;
  const read = (name: string): string | undefined => {
    if (!headers || typeof headers !== "object") return undefined;
    if (typeof (headers as Headers).get === "function")
      return (headers as Headers).get(name) ?? undefined;
    const value = (headers as Record<string, unknown>)[name];
    return typeof value === "string" ? value : undefined;
  };
  const milliseconds = Number(read("retry-after-ms"));
  if (Number.isFinite(milliseconds) && milliseconds >= 0 && read("retry-after-ms") !== undefined)
    return milliseconds;
  const after = read("retry-after");
  if (after === undefined) return undefined;
  const seconds = Number(after);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Delay before attempt `attempt + 1` (1-based `attempt` just failed): exponential, capped. */
export function backoffDelayMs(
  attempt: number,
  options: ResolvedRetryOptions,
  error?: unknown,
): number {
  const exponential = options.initialDelayMs * 2 ** Math.max(0, attempt - 1);
  const requested = retryAfterMs(error) ?? 0;
  return Math.min(options.maxDelayMs, Math.max(exponential, requested));
}
