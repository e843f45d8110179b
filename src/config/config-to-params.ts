import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { CreateMixtureOfAgentsParams } from "../graph/create-mixture-of-agents.js";
import type { ResolvedMoaConfig } from "./moa-config.js";

/** Builds a chat model from a "provider:model" string with sampling settings (e.g. `loadChatModel`). */
export type ModelLoader = (
  spec: string,
  sampling: { temperature: number; maxTokens: number },
) => BaseChatModel;

/**
 * Turns a resolved serializable configuration into factory parameters, loading each distinct
 * model string once. Proposer ids are the model part of the spec (`Qwen/Qwen1.5-72B-Chat`).
 */
export function configToParams(
  config: ResolvedMoaConfig,
  loadModel: ModelLoader,
): CreateMixtureOfAgentsParams {
  const sampling = { temperature: config.temperature, maxTokens: config.maxTokens };
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
  };
}

function specModel(spec: string): string {
  return spec.slice(spec.indexOf(":") + 1);
}
