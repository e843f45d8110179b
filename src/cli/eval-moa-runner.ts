import type { ResolvedMoaConfig } from "../config/moa-config.js";
import { createMoaAnswerer, type Answerer } from "../eval/answerer.js";
import type { ProviderEnvironment } from "../models/index.js";
import { loadChatModel } from "../load-chat-model.js";
import { DEFAULT_PRICES, type PriceRow } from "../models/price-table.js";
import { summarizeRun } from "../config/run-summary.js";

/** Answers a conversation with the Mixture-of-Agents of a configuration (one graph run). */
export type MoaRunner = Answerer;

/**
 * The MoA graph `moa run` would build from the same model options (see `createMoaAnswerer`),
 * with each run's tokens and list-price cost as `moa run` sums them.
 */
export function createMoaRunner(
  config: ResolvedMoaConfig,
  env: ProviderEnvironment,
  prices: readonly PriceRow[] = DEFAULT_PRICES,
): MoaRunner {
  const answerer = createMoaAnswerer({
    config,
    loadModel: (spec, sampling) => loadChatModel(spec, { env, ...sampling }),
    prices,
  });
  return {
    async answer(messages, options = {}) {
      const run = await answerer.run(messages, options);
      const summary = summarizeRun(run.state, run.config, prices, 0);
      return { output: run.output, usage: summary.usage, costUsd: summary.costUsd };
    },
  };
}
