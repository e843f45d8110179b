/** The list price of one model, per million tokens, with where it comes from. */
export interface PriceRow {
  /** Provider prefix as in "provider:model". */
  provider: string;
  /** Model id as the provider spells it. */
  model: string;
  /** USD per 1M input (prompt) tokens. */
  inputPerMillion: number;
  /** USD per 1M output (completion) tokens. */
  outputPerMillion: number;
  /** Where the price was read. */
  source: string;
  /** The date the price applied (ISO). */
  date: string;
}

const TOGETHER = "https://www.together.ai/pricing (serverless inference, per-size tiers)";
const OPENAI = "https://openai.com/api/pricing/";

/**
 * Built-in list prices for the paper's models, as of the paper's budget analysis (Together,
 * 2024-05-22) and OpenAI's launch prices. Prices change: pass your own rows to override
 * (`--prices FILE` on the CLI); a model with no row has an unknown cost, never a guessed one.
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
];

/** Finds the price of "provider:model" (exact match), or `undefined` when unknown. */
export function findPrice(
  spec: string,
  table: readonly PriceRow[] = DEFAULT_PRICES,
): PriceRow | undefined {
  const colon = spec.indexOf(":");
  const provider = spec.slice(0, colon);
  const model = spec.slice(colon + 1);
  return table.find((row) => row.provider === provider && row.model === model);
}

/** USD cost of a call's tokens at a row's prices. */
export function priceTokens(row: PriceRow, inputTokens: number, outputTokens: number): number {
  return (inputTokens * row.inputPerMillion + outputTokens * row.outputPerMillion) / 1_000_000;
}
