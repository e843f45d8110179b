import type { Usage } from "../state/index.js";

/**
 * What a generation function returns for one instance (or one MT-Bench turn). Plug in any model
 * or the MoA graph: `async (instance) => ({ output: await answer(instance.instruction) })`.
 */
export interface GenerationResult {
  /** The answer text. */
  output: string;
  /** Tokens spent, for the running cost. */
  usage?: Usage;
  /** Cost in US dollars, when the generator knows it (else the stage's `costOf(usage)`). */
  costUsd?: number;
}
