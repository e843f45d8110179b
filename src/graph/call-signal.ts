import { isCancelReason } from "./turn-coordinator.js";

/** The abort signal of one model call and how to explain its firing. */
export interface CallSignal {
  signal: AbortSignal;
  /** Why the call was aborted, when it was aborted by the timeout or its turn; else `undefined`. */
  reason(): string | undefined;
  dispose(): void;
}

/**
 * Combines the run's signal, the turn's cancellation (straggler cut-off, budget) and a
 * whole-call timeout that, unlike the HTTP client's, also covers a stream that stalls after
 * its headers arrived.
 */
export function createCallSignal(
  runSignal: AbortSignal | undefined,
  turn: AbortController | undefined,
  timeoutMs: number,
): CallSignal {
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new Error(`timeout after ${timeoutMs} ms`)),
    timeoutMs,
  );
  timer.unref?.();
  const signals = [timeout.signal];
  if (runSignal) signals.push(runSignal);
  if (turn) signals.push(turn.signal);
  return {
    signal: AbortSignal.any(signals),
    reason() {
      if (runSignal?.aborted) return undefined;
      if (turn?.signal.aborted && isCancelReason(turn.signal.reason))
        return turn.signal.reason.message;
      if (timeout.signal.aborted) {
        return `timeout: the call did not finish within ${timeoutMs} ms (\`callTimeoutMs\`)`;
      }
      return undefined;
    },
    dispose() {
      clearTimeout(timer);
    },
  };
}
