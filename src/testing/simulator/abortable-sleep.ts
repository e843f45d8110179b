import { sleep } from "../../utils/abortable-sleep.js";

/**
 * Waits `ms` milliseconds, or less if `signal` aborts first. Resolves `true` when the full time
 * elapsed and `false` when it was cut short; never rejects, so a cancelled request never leaves
 * an unhandled rejection behind.
 *
 * @example
 * ```ts
 * if (!(await abortableSleep(200, signal))) return; // the client went away
 * ```
 */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return sleep(ms, signal).then(
    () => true,
    () => false,
  );
}

/**
 * Waits until `signal` aborts (a hanging request waits for its client or for server shutdown).
 */
export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    signal.addEventListener("abort", () => resolve(), { once: true });
  });
}
