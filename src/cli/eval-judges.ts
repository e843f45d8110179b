import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { ALPACA_EVAL_JUDGE_SETTINGS } from "../eval/alpaca-eval/judge.js";
import { FLASK_JUDGE_SETTINGS } from "../eval/flask/judge-prompt.js";
import { MT_BENCH_JUDGE_SETTINGS } from "../eval/mt-bench/judge-prompts.js";
import type { Usage } from "../state/index.js";
import { type ProviderEnvironment } from "../models/index.js";
import { loadChatModel } from "../load-chat-model.js";
import { DEFAULT_PRICES, findPrice, priceTokens, type PriceRow } from "../models/price-table.js";
import type { Benchmark } from "./eval-options.js";

/** The judges the papers used, as "provider:model" strings (the default of `--judge`). */
export const OFFICIAL_JUDGES: Readonly<Record<Benchmark, string>> = Object.freeze({
  "alpaca-eval": `openai:${ALPACA_EVAL_JUDGE_SETTINGS.model}`,
  "mt-bench": `openai:${MT_BENCH_JUDGE_SETTINGS.model}`,
  flask: `openai:${FLASK_JUDGE_SETTINGS.model}`,
});

/**
 * Builds the judge of a benchmark from a "provider:model" string with the official sampling
 * settings, whatever the model: AlpacaEval 2.0 temperature 1, one token, logprobs with the top 5;
 * MT-Bench temperature 0, 2048 tokens; FLASK temperature 0, 1024 tokens. Any OpenAI-compatible
 * endpoint works through the provider's base-URL variable.
 */
export function loadJudge(
  benchmark: Benchmark,
  spec: string,
  env: ProviderEnvironment,
): BaseChatModel {
  switch (benchmark) {
    case "alpaca-eval": {
      const { temperature, maxTokens, logprobs, topLogprobs } = ALPACA_EVAL_JUDGE_SETTINGS;
      return loadChatModel(spec, {
        env,
        temperature,
        maxTokens,
        openAIFields: { logprobs, topLogprobs },
      });
    }
    case "mt-bench":
      return loadChatModel(spec, {
        env,
        temperature: MT_BENCH_JUDGE_SETTINGS.temperature,
        maxTokens: MT_BENCH_JUDGE_SETTINGS.maxTokens,
      });
    case "flask":
      return loadChatModel(spec, {
        env,
        temperature: FLASK_JUDGE_SETTINGS.temperature,
        maxTokens: FLASK_JUDGE_SETTINGS.maxTokens,
      });
  }
}

/** Prices a judge's usage at list prices; 0 when the model has no known price. */
export function judgeCostOf(
  spec: string,
  prices: readonly PriceRow[] = DEFAULT_PRICES,
): (usage: Usage) => number {
  const row = findPrice(spec, prices);
  return (usage) => (row ? priceTokens(row, usage.inputTokens, usage.outputTokens) : 0);
}
