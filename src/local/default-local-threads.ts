import { availableParallelism } from "node:os";

/**
 * CPU threads per local model when none are configured: one core is left to the rest of the
 * process (other models, the event loop), and at most 4, where llama.cpp's decoding stops
 * getting faster on shared CPUs. On a 2-core machine this is 1: measured there, node-llama-cpp
 * with `threads: 2` runs about 5× slower and unsteadily, because every model of a MoA layer
 * competes for both cores.
 *
 * @param cores - Logical cores available. @default `os.availableParallelism()`
 * @example
 * ```ts
 * defaultLocalThreads(2); // 1
 * defaultLocalThreads(16); // 4
 * ```
 */
export function defaultLocalThreads(cores: number = availableParallelism()): number {
  return Math.max(1, Math.min(4, Math.floor(cores) - 1));
}
