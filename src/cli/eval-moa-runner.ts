import type { BaseMessage } from "@langchain/core/messages";
import { configToParams } from "../config/config-to-params.js";
import type { ResolvedMoaConfig } from "../config/moa-config.js";
import type { GenerationResult } from "../eval/generation.js";
import { createMixtureOfAgents } from "../graph/create-mixture-of-agents.js";
import { messageText, type ProviderEnvironment } from "../models/index.js";
import { loadChatModel } from "../load-chat-model.js";
import { DEFAULT_PRICES, type PriceRow } from "../models/price-table.js";
import type { MoaState } from "../state/moa-state.js";
import { summarizeRun } from "./run-summary.js";

/** Answers a conversation with the Mixture-of-Agents of a configuration (one graph run). */
export interface MoaRunner {
  /**
   * Runs the graph on `messages` (the conversation, ending with the user turn) and returns the
   * final answer with the run's tokens and list-price cost. `temperature` replaces the
   * configuration's for every call of this run (MT-Bench's per-category temperatures).
   */
  answer(
    messages: BaseMessage[],
    options?: { signal?: AbortSignal; temperature?: number },
  ): Promise<GenerationResult>;
}

/**
 * The MoA graph `moa run` would build from the same model options, as a generation function
 * for the eval stages. LangChain models take their temperature at construction, so one graph
 * (with its own clients) is compiled per distinct temperature and reused; the configuration's
 * own graph is built at once, so a missing API key fails before any instance starts.
 */
export function createMoaRunner(
  config: ResolvedMoaConfig,
  env: ProviderEnvironment,
  prices: readonly PriceRow[] = DEFAULT_PRICES,
): MoaRunner {
  const graphs = new Map<
    number,
    { graph: ReturnType<typeof compile>; config: ResolvedMoaConfig }
  >();
  const graphFor = (temperature: number) => {
    let entry = graphs.get(temperature);
    if (entry === undefined) {
      const configured = { ...config, temperature };
      entry = { graph: compile(configured, env, prices), config: configured };
      graphs.set(temperature, entry);
    }
    return entry;
  };
  graphFor(config.temperature);
  return {
    async answer(messages, options = {}) {
      const { graph, config: configured } = graphFor(options.temperature ?? config.temperature);
      const state = (await graph.invoke(
        { messages },
        options.signal ? { signal: options.signal } : {},
      )) as MoaState;
      const final = state.messages.at(-1);
      const summary = summarizeRun(state, configured, prices, 0);
      return {
        output: final ? messageText(final) : "",
        usage: summary.usage,
        costUsd: summary.costUsd,
      };
    },
  };
}

function compile(config: ResolvedMoaConfig, env: ProviderEnvironment, prices: readonly PriceRow[]) {
  return createMixtureOfAgents(
    configToParams(config, (spec, sampling) => loadChatModel(spec, { env, ...sampling }), prices),
  ).compile();
}
