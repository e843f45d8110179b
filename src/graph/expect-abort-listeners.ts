import { getMaxListeners, setMaxListeners } from "node:events";

/** Node's default MaxListeners, kept as headroom for listeners that are not ours. */
const HEADROOM = 10;

/**
 * Tells Node that a superstep's abort signal will carry one `abort` listener per parallel
 * branch: LangGraph gives the tasks of a superstep one shared signal and LangChain adds a
 * listener to it for every task (`raceWithSignal`), so a layer of more than ~10 branches (say
 * 6 proposers × 2 samples) would otherwise print a MaxListenersExceededWarning on every run.
 * The propose node calls it first thing: its synchronous start runs before the next branch's
 * listener is added. Only raises the limit of that one signal, never lowers it.
 */
export function expectAbortListeners(signal: AbortSignal | undefined, branches: number): void {
  if (signal === undefined) return;
  const needed = branches + HEADROOM;
  if (getMaxListeners(signal) < needed) setMaxListeners(needed, signal);
}
