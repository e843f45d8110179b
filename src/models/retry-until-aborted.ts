import { sleep } from "../utils/abortable-sleep.js";

/**
 * Upper bound of one wait between attempts, whatever a server's `Retry-After` asks: LangChain
 * gives up on longer hints itself (it treats them as capacity errors), and Node would fire a
 * timer of 2^31 ms or more after 1 ms.
 */
export const MAX_RETRY_DELAY_MS = 60_000;

/** Options of {@link retryUntilAborted}. */
export interface RetryUntilAbortedOptions {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Ends every wait (and so the whole call) the moment it aborts. */
  signal?: AbortSignal;
  /** Whether a failed attempt may be retried (retries left permitting). */
  shouldRetry: (error: unknown) => boolean;
}

/**
 * Runs `attempt`, retrying failures `shouldRetry` accepts, up to `maxRetries` times, with
 * {@link retryDelayMs} between attempts. Unlike LangChain's `AsyncCaller` (whose backoff and
 * `Retry-After` waits do not listen to the call's signal), every wait ends when `signal` aborts:
 * the call then rejects with the signal's reason at once and leaves no timer behind, so a
 * whole-call timeout, a straggler cut-off or a cancelled run also cuts a rate-limit wait.
 *
 * @example
 * ```ts
 * const reply = await retryUntilAborted(() => client.create(request, { signal }), {
 *   maxRetries: 2,
 *   signal,
 *   shouldRetry: (error) => (error as { status?: number }).status === 429,
 * });
 * ```
 */
export async function retryUntilAborted<T>(
  attempt: () => Promise<T>,
  options: RetryUntilAbortedOptions,
): Promise<T> {
  for (let retry = 0; ; retry += 1) {
    try {
      options.signal?.throwIfAborted();
      return await attempt();
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (retry >= options.maxRetries || !options.shouldRetry(error)) throw error;
      await sleep(retryDelayMs(retry, error), options.signal);
    }
  }
}

/**
 * The wait before retry `retry` (0-based) after `error`: LangChain's backoff (1 s × 2^retry,
 * times a random factor in [1, 2)) or the error's `retryAfterMs` hint (LangChain sets it from
 * `Retry-After`), whichever is longer, capped at {@link MAX_RETRY_DELAY_MS}.
 *
 * @example
 * ```ts
 * retryDelayMs(0, { retryAfterMs: 30_000 }); // 30000
 * retryDelayMs(0, { retryAfterMs: 1e12 }); // 60000, not a 1 ms overflowed timer
 * ```
 */
export function retryDelayMs(retry: number, error: unknown, random = Math.random): number {
  const backoff = Math.round((1 + random()) * 1000 * 2 ** retry);
  const hint = (error as { retryAfterMs?: unknown } | null)?.retryAfterMs;
  const requested = typeof hint === "number" && hint > 0 ? hint : 0;
  return Math.min(MAX_RETRY_DELAY_MS, Math.max(backoff, requested));
}
