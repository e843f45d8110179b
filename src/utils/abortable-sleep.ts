/**
 * Waits `ms` milliseconds. Rejects with `signal.reason` if `signal` is already aborted or aborts
 * before the time is up (the timer is cleared, so nothing keeps running afterwards).
 *
 * @example
 * ```ts
 * await sleep(backoffMs, signal); // throws the abort reason when the run is cancelled
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
