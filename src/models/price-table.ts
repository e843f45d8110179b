import { splitModelSpec } from "./parse-model-spec.js";

/** USD per million tokens. */
export interface TokenPrice {
  /** USD per 1M input (prompt) tokens. */
  inputPerMillion: number;
  /** USD per 1M output (completion) tokens. */
  outputPerMillion: number;
}

/** The list price of one model, per million tokens, with where it comes from. */
export interface PriceRow extends TokenPrice {
  /** Provider prefix as in "provider:model". */
  provider: string;
  /** Model id as the provider spells it. */
  model: string;
  /** Where the price was read. */
  source: string;
  /** The date the price applied (ISO). */
  date: string;
}

const TOGETHER = "https://www.together.ai/pricing (serverless inference, per-size tiers)";
const OPENAI = "https://openai.com/api/pricing/";
// The current lineups were transcribed on 2026-12-02 on a machine without network access, from
// the providers' public list prices as last known (dated as of 2025-08-15): check them.
const TRANSCRIBED = " (transcribed 2026-12-02 without network access; check the page)";
const CURRENT_AS_OF = "2025-08-15";

/** Providers whose models run on the user's own machine: priced at $0. */
export const LOCAL_PROVIDERS: readonly string[] = ["local", "ollama"];

/** The `source` of the $0 price of a model that runs on the user's machine. */
export const LOCAL_PRICE_SOURCE = "priced at $0 because it runs on your machine";

function current(
  provider: "openai" | "together" | "groq",
  model: string,
  inputPerMillion: number,
  outputPerMillion: number,
): PriceRow {
  const page = {
    openai: OPENAI,
    together: "https://www.together.ai/pricing",
    groq: "https://groq.com/pricing",
  }[provider];
  return {
    provider,
    model,
    inputPerMillion,
    outputPerMillion,
    source: page + TRANSCRIBED,
    date: CURRENT_AS_OF,
  };
}

/**
 * Built-in list prices: the paper's models as of its budget analysis (Together, 2024-05-22, and
 * OpenAI's launch prices; the budget analysis depends on these rows), then the current lineups of
 * OpenAI, Together and Groq as of {@link CURRENT_AS_OF}. Every row names its source and date.
 * Prices change: pass your own rows to override (`--prices FILE` on the CLI; the first match
 * wins); a model with no row has an unknown cost, never a guessed one. `local:` and `ollama:`
 * models need no row: they are priced at $0 (see {@link findPrice}).
 */
export const DEFAULT_PRICES: readonly PriceRow[] = [
  {
    provider: "together",
    model: "Qwen/Qwen1.5-110B-Chat",
    inputPerMillion: 1.8,
    outputPerMillion: 1.8,
    source: TOGETHER,
    date: "2024-05-22",
  },
  {
    provider: "together",
    model: "Qwen/Qwen1.5-72B-Chat",
    inputPerMillion: 0.9,
    outputPerMillion: 0.9,
    source: TOGETHER,
    date: "2024-05-22",
  },
  {
    provider: "together",
    model: "meta-llama/Llama-3-70b-chat-hf",
    inputPerMillion: 0.9,
    outputPerMillion: 0.9,
    source: TOGETHER,
    date: "2024-05-22",
  },
  {
    provider: "together",
    model: "mistralai/Mixtral-8x22B-Instruct-v0.1",
    inputPerMillion: 1.2,
    outputPerMillion: 1.2,
    source: TOGETHER,
    date: "2024-05-22",
  },
  {
    provider: "together",
    model: "microsoft/WizardLM-2-8x22B",
    inputPerMillion: 1.2,
    outputPerMillion: 1.2,
    source: TOGETHER,
    date: "2024-05-22",
  },
  {
    provider: "together",
    model: "databricks/dbrx-instruct",
    inputPerMillion: 1.2,
    outputPerMillion: 1.2,
    source: TOGETHER,
    date: "2024-05-22",
  },
  {
    provider: "openai",
    model: "gpt-4o",
    inputPerMillion: 5,
    outputPerMillion: 15,
    source: OPENAI,
    date: "2024-05-13",
  },
  {
    provider: "openai",
    model: "gpt-4o-2024-05-13",
    inputPerMillion: 5,
    outputPerMillion: 15,
    source: OPENAI,
    date: "2024-05-13",
  },
  {
    provider: "openai",
    model: "gpt-4-turbo-2024-04-09",
    inputPerMillion: 10,
    outputPerMillion: 30,
    source: OPENAI,
    date: "2024-04-09",
  },
  {
    provider: "openai",
    model: "gpt-4-1106-preview",
    inputPerMillion: 10,
    outputPerMillion: 30,
    source: OPENAI,
    date: "2023-11-06",
  },
  {
    provider: "openai",
    model: "gpt-4",
    inputPerMillion: 30,
    outputPerMillion: 60,
    source: OPENAI,
    date: "2023-06-13",
  },
  {
    provider: "openai",
    model: "gpt-4-0613",
    inputPerMillion: 30,
    outputPerMillion: 60,
    source: OPENAI,
    date: "2023-06-13",
  },
  // OpenAI, current lineup.
  current("openai", "gpt-5", 1.25, 10),
  current("openai", "gpt-5-mini", 0.25, 2),
  current("openai", "gpt-5-nano", 0.05, 0.4),
  current("openai", "gpt-4.1", 2, 8),
  current("openai", "gpt-4.1-mini", 0.4, 1.6),
  current("openai", "gpt-4.1-nano", 0.1, 0.4),
  current("openai", "gpt-4o-mini", 0.15, 0.6),
  current("openai", "gpt-4o-2024-08-06", 2.5, 10),
  current("openai", "o3", 2, 8),
  current("openai", "o4-mini", 1.1, 4.4),
  current("openai", "o3-mini", 1.1, 4.4),
  // Together, current serverless lineup.
  current("together", "meta-llama/Llama-3.3-70B-Instruct-Turbo", 0.88, 0.88),
  current("together", "meta-llama/Meta-Llama-3.1-8B-Instruct-Turbo", 0.18, 0.18),
  current("together", "meta-llama/Meta-Llama-3.1-405B-Instruct-Turbo", 3.5, 3.5),
  current("together", "meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", 0.27, 0.85),
  current("together", "meta-llama/Llama-4-Scout-17B-16E-Instruct", 0.18, 0.59),
  current("together", "Qwen/Qwen2.5-72B-Instruct-Turbo", 1.2, 1.2),
  current("together", "Qwen/Qwen2.5-7B-Instruct-Turbo", 0.3, 0.3),
  current("together", "Qwen/Qwen3-235B-A22B-Instruct-2507-tput", 0.2, 0.6),
  current("together", "deepseek-ai/DeepSeek-V3", 1.25, 1.25),
  current("together", "deepseek-ai/DeepSeek-R1", 3, 7),
  current("together", "openai/gpt-oss-120b", 0.15, 0.6),
  current("together", "openai/gpt-oss-20b", 0.05, 0.2),
  current("together", "moonshotai/Kimi-K2-Instruct", 1, 3),
  current("together", "mistralai/Mixtral-8x7B-Instruct-v0.1", 0.6, 0.6),
  // Groq, current lineup.
  current("groq", "llama-3.3-70b-versatile", 0.59, 0.79),
  current("groq", "llama-3.1-8b-instant", 0.05, 0.08),
  current("groq", "meta-llama/llama-4-maverick-17b-128e-instruct", 0.2, 0.6),
  current("groq", "meta-llama/llama-4-scout-17b-16e-instruct", 0.11, 0.34),
  current("groq", "openai/gpt-oss-120b", 0.15, 0.75),
  current("groq", "openai/gpt-oss-20b", 0.1, 0.5),
  current("groq", "qwen/qwen3-32b", 0.29, 0.59),
  current("groq", "moonshotai/kimi-k2-instruct", 1, 3),
];

/**
 * Finds the price of "provider:model" (exact match; the first matching row wins), or
 * `undefined` when unknown. A model of a {@link LOCAL_PROVIDERS} provider with no row is priced
 * at $0 (source {@link LOCAL_PRICE_SOURCE}): it runs on the user's machine.
 */
export function findPrice(
  spec: string,
  table: readonly PriceRow[] = DEFAULT_PRICES,
): PriceRow | undefined {
  const { provider, model } = splitModelSpec(spec);
  const row = table.find(
    (candidate) => candidate.provider === provider && candidate.model === model,
  );
  if (row || provider === undefined || !LOCAL_PROVIDERS.includes(provider)) return row;
  return {
    provider,
    model,
    inputPerMillion: 0,
    outputPerMillion: 0,
    source: LOCAL_PRICE_SOURCE,
    date: "n/a",
  };
}

/**
 * USD cost of tokens at a price: the one cost formula of the project (pre-flight estimates,
 * running tallies, plans, judges and summaries all use it).
 */
export function priceTokens(price: TokenPrice, inputTokens: number, outputTokens: number): number {
  return (inputTokens * price.inputPerMillion + outputTokens * price.outputPerMillion) / 1_000_000;
}
