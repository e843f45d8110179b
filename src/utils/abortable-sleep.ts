/**
 * The longest delay one Node timer holds: longer ones fire after 1 ms (with a
 * `TimeoutOverflowWarning`), so {@link sleep} waits longer delays in several timers.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Waits `ms` milliseconds. Rejects with `signal.reason` if `signal` is already aborted or aborts
 * before the time is up (the timer is cleared, so nothing keeps running afterwards). Delays past
 * {@link MAX_TIMER_MS} are waited in full, never clamped to 1 ms as a single Node timer would.
 *
 * @example
 * ```ts
 * await sleep(backoffMs, signal); // throws the abort reason when the run is cancelled
 * ```
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const deadline = Date.now() + ms;
    let timer: ReturnType<typeof setTimeout>;
    const arm = (remaining: number) => {
      timer = setTimeout(
        () => {
          const left = deadline - Date.now();
          if (remaining > MAX_TIMER_MS && left > 0) return arm(left);
          signal?.removeEventListener("abort", onAbort);
          resolve();
        },
        Math.min(Math.max(0, remaining), MAX_TIMER_MS),
      );
    };
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    arm(ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
