import { isCancelReason } from "./turn-coordinator.js";

/** The abort signal of one model call and how to explain its firing. */
export interface CallSignal {
  signal: AbortSignal;
  /** Why the call was aborted, when it was aborted by the timeout or its turn; else `undefined`. */
  reason(): string | undefined;
  /**
   * Settles like `promise`, or rejects with the signal's reason the moment the signal aborts,
   * whichever comes first: a model whose retries or waits do not listen to its signal (a
   * user's own `ChatOpenAI`, whose LangChain retry waits ignore it) cannot hold the layer past
   * the call's deadline. A late settlement of `promise` is ignored.
   */
  bound<T>(promise: Promise<T>): Promise<T>;
  dispose(): void;
}

/**
 * Combines the run's signal, the turn's cancellation (straggler cut-off, budget) and a
 * whole-call timeout that, unlike the HTTP client's, also covers a stream that stalls after
 * its headers arrived.
 *
 * The call's signal aborts with the reason of the first source that aborts, as
 * `AbortSignal.any([timeout, run, turn])` would. It is built by hand because `AbortSignal.any`
 * costs ~40 µs and a weak reference per call on Node 20 (most of a MoA call's own overhead), and
 * because adding one listener per call to the run's signal — shared by every branch of a run —
 * would trip Node's MaxListeners warning with more than 10 parallel proposers.
 */
export function createCallSignal(
  runSignal: AbortSignal | undefined,
  turn: AbortController | undefined,
  timeoutMs: number,
): CallSignal {
  const call = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    call.abort(new Error(`timeout after ${timeoutMs} ms`));
  }, timeoutMs);
  timer.unref?.();
  const unfollowRun = runSignal ? follow(runSignal, call) : undefined;
  const unfollowTurn = turn ? follow(turn.signal, call) : undefined;
  return {
    signal: call.signal,
    reason() {
      if (runSignal?.aborted) return undefined;
      if (turn?.signal.aborted && isCancelReason(turn.signal.reason))
        return turn.signal.reason.message;
      if (timedOut) {
        return `timeout: the call did not finish within ${timeoutMs} ms (\`callTimeoutMs\`)`;
      }
      return undefined;
    },
    bound(promise) {
      return new Promise((resolve, reject) => {
        const onAbort = () => reject(call.signal.reason);
        if (call.signal.aborted) onAbort();
        else call.signal.addEventListener("abort", onAbort, { once: true });
        // Both handlers: a rejection after the abort is handled here, never unhandled.
        promise.then(
          (value) => {
            call.signal.removeEventListener("abort", onAbort);
            resolve(value);
          },
          (error: unknown) => {
            call.signal.removeEventListener("abort", onAbort);
            reject(error);
          },
        );
      });
    },
    dispose() {
      clearTimeout(timer);
      unfollowRun?.();
      unfollowTurn?.();
    },
  };
}

/** Calls following each source signal; the source holds one listener for all of them. */
const followers = new WeakMap<AbortSignal, Set<AbortController>>();

/**
 * Aborts `controller` (with the source's reason) when `source` aborts, at once if it already
 * has; returns the function that stops following. However many calls follow a signal, it gets
 * a single `abort` listener.
 */
function follow(source: AbortSignal, controller: AbortController): () => void {
  if (source.aborted) {
    controller.abort(source.reason);
    return () => {};
  }
  let calls = followers.get(source);
  if (!calls) {
    const registered = new Set<AbortController>();
    followers.set(source, registered);
    source.addEventListener(
      "abort",
      () => {
        followers.delete(source);
        for (const follower of registered) follower.abort(source.reason);
        registered.clear();
      },
      { once: true },
    );
    calls = registered;
  }
  calls.add(controller);
  const registered = calls;
  return () => {
    registered.delete(controller);
  };
}
