import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { CreateMixtureOfAgentsParams } from "../graph/create-mixture-of-agents.js";
import type { TokenPrice } from "../models/price-table.js";
import { DEFAULT_PRICES, findPrice, type PriceRow } from "../models/price-table.js";
import type { ResolvedMoaConfig } from "./moa-config.js";
import { splitModelSpec } from "../models/parse-model-spec.js";

/** Settings a {@link ModelLoader} applies to the models it builds. */
export interface ModelLoadSettings {
  temperature: number;
  maxTokens: number;
  /** Retries of failed requests, when the configuration sets them. */
  maxRetries?: number;
}

/** Builds a chat model from a "provider:model" string with its settings (e.g. `loadChatModel`). */
export type ModelLoader = (spec: string, settings: ModelLoadSettings) => BaseChatModel;

/**
 * Turns a resolved serializable configuration into factory parameters, loading each distinct
 * model string once. Proposer ids are the model part of the spec (`Qwen/Qwen1.5-72B-Chat`).
 */
export function configToParams(
  config: ResolvedMoaConfig,
  loadModel: ModelLoader,
  prices: readonly PriceRow[] = DEFAULT_PRICES,
): CreateMixtureOfAgentsParams {
  const sampling: ModelLoadSettings = {
    temperature: config.temperature,
    maxTokens: config.maxTokens,
    ...(config.retries !== undefined ? { maxRetries: config.retries } : {}),
  };
  const cache = new Map<string, BaseChatModel>();
  const load = (spec: string) => {
    let model = cache.get(spec);
    if (model === undefined) {
      model = loadModel(spec, sampling);
      cache.set(spec, model);
    }
    return model;
  };
  return {
    proposers:
      config.layers > 1
        ? config.proposers.map((spec) => ({
            id: specModel(spec),
            model: load(spec),
            samples: config.samples,
          }))
        : undefined,
    aggregator: { id: specModel(config.aggregator), model: load(config.aggregator) },
    layers: config.layers,
    aggregation: config.aggregation,
    minProposals: config.minProposals,
    callTimeoutMs: config.callTimeoutMs,
    stragglerGraceMs: config.stragglerGraceMs,
    referenceFormat: config.referenceFormat,
    budget:
      config.maxCostUsd !== undefined || config.maxRunTokens !== undefined
        ? {
            maxCostUsd: config.maxCostUsd,
            maxTokens: config.maxRunTokens,
            prices: priceMap([...config.proposers, config.aggregator], prices),
            ...(config.budgetCheck !== undefined ? { check: config.budgetCheck } : {}),
            ...(config.expectedOutputTokens !== undefined
              ? { expectedOutputTokens: config.expectedOutputTokens }
              : {}),
          }
        : undefined,
  };
}

/** Prices by proposer id (the model part of each spec) for the budget; unknown ones left out. */
function priceMap(
  specs: readonly string[],
  table: readonly PriceRow[],
): Record<string, TokenPrice> {
  const map: Record<string, TokenPrice> = {};
  for (const spec of specs) {
    const row = findPrice(spec, table);
    if (row)
      map[specModel(spec)] = {
        inputPerMillion: row.inputPerMillion,
        outputPerMillion: row.outputPerMillion,
      };
  }
  return map;
}

function specModel(spec: string): string {
  return splitModelSpec(spec).model;
}
