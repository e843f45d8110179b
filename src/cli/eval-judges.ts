import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { BENCHMARK_NAMES, BENCHMARKS, type BenchmarkName } from "../eval/benchmarks/registry.js";
import type { Usage } from "../state/index.js";
import { type ProviderEnvironment } from "../models/index.js";
import { loadChatModel } from "../load-chat-model.js";
import { DEFAULT_PRICES, findPrice, priceTokens, type PriceRow } from "../models/price-table.js";

/** The judges the papers used, as "provider:model" strings (the default of `--judge`). */
export const OFFICIAL_JUDGES: Readonly<Record<BenchmarkName, string>> = Object.freeze(
  Object.fromEntries(
    BENCHMARK_NAMES.map((name) => [name, BENCHMARKS[name].judgeSettings.officialJudge]),
  ) as Record<BenchmarkName, string>,
);

/** Help of `--judge` (in `moa eval judge` and `moa ablate`), naming each benchmark's default. */
export const JUDGE_FLAG_HELP = `judge "provider:model" (default: ${Object.entries(OFFICIAL_JUDGES)
  .map(([benchmark, spec]) => `${benchmark} ${spec}`)
  .join(", ")})`;

/**
 * Builds the judge of a benchmark from a "provider:model" string with the official sampling
 * settings, whatever the model: AlpacaEval 2.0 temperature 1, one token, logprobs with the top 5;
 * MT-Bench temperature 0, 2048 tokens; FLASK temperature 0, 1024 tokens. Any OpenAI-compatible
 * endpoint works through the provider's base-URL variable.
 */
export function loadJudge(
  benchmark: BenchmarkName,
  spec: string,
  env: ProviderEnvironment,
): BaseChatModel {
  const { temperature, maxTokens, openAIFields } = BENCHMARKS[benchmark].judgeSettings;
  return loadChatModel(spec, {
    env,
    temperature,
    maxTokens,
    ...(openAIFields ? { openAIFields } : {}),
  });
}

/** Prices a judge's usage at list prices; 0 when the model has no known price. */
export function judgeCostOf(
  spec: string,
  prices: readonly PriceRow[] = DEFAULT_PRICES,
): (usage: Usage) => number {
  const row = findPrice(spec, prices);
  return (usage) => (row ? priceTokens(row, usage.inputTokens, usage.outputTokens) : 0);
}
