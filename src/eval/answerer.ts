import type { BaseMessage } from "@langchain/core/messages";
import { configToParams, type ModelLoader } from "../config/config-to-params.js";
import type { ResolvedMoaConfig } from "../config/moa-config.js";
import { createMixtureOfAgents } from "../graph/create-mixture-of-agents.js";
import { DEFAULT_PRICES, type PriceRow } from "../models/price-table.js";
import { messageText } from "../models/usage.js";
import type { MoaState } from "../state/moa-state.js";
import type { GenerationResult } from "./generation.js";

/** Options of one answer. */
export interface AnswerOptions {
  /** Cancels the run (every in-flight call). */
  signal?: AbortSignal;
  /**
   * Replaces the configuration's temperature for every call of this run (MT-Bench's per-category
   * temperatures).
   */
  temperature?: number;
}

/**
 * Answers a conversation (ending with the user turn) with its final text, tokens and cost: what
 * the eval stages and the ablation's variants generate with.
 */
export interface Answerer<Answer extends GenerationResult = GenerationResult> {
  answer(messages: BaseMessage[], options?: AnswerOptions): Promise<Answer>;
}

/** One finished graph run of a {@link MoaAnswerer}. */
export interface MoaRun {
  /** The final answer's text. */
  output: string;
  /** The graph's final state (proposals, aggregation, usage). */
  state: MoaState;
  /** The configuration the run used (with its temperature). */
  config: ResolvedMoaConfig;
}

/** Parameters of {@link createMoaAnswerer}. */
export interface CreateMoaAnswererParams {
  /** The validated configuration (`parseMoaConfig`). */
  config: ResolvedMoaConfig;
  /**
   * Builds each model from `"provider:model"` and its sampling settings, e.g.
   * `(spec, settings) => loadChatModel(spec, { env, ...settings })`; wrap the model here to
   * cache or record its calls.
   */
  loadModel: ModelLoader;
  /** Prices for the graph's budget checks. @default DEFAULT_PRICES */
  prices?: readonly PriceRow[];
}

/** Runs the Mixture-of-Agents of one configuration on conversations. */
export interface MoaAnswerer {
  readonly config: ResolvedMoaConfig;
  /** One graph run on `messages`; `metadata` goes to every call of the run (run-scoped ids). */
  run(
    messages: BaseMessage[],
    options?: AnswerOptions & { metadata?: Record<string, unknown> },
  ): Promise<MoaRun>;
}

/**
 * The graph `moa run` builds from a configuration, as an answerer. LangChain models take their
 * temperature at construction, so one graph (with its own models) is compiled per distinct
 * temperature and reused; the configuration's own graph is built at once, so a bad model string
 * or a missing API key fails before any instance starts.
 *
 * @example
 * ```ts
 * const answerer = createMoaAnswerer({
 *   config: parseMoaConfig({ preset: "moa-lite" }, "my configuration"),
 *   loadModel: (spec, settings) => loadChatModel(spec, settings),
 * });
 * const { output } = await answerer.run([new HumanMessage("Why is the sky blue?")]);
 * ```
 */
export function createMoaAnswerer(params: CreateMoaAnswererParams): MoaAnswerer {
  const { config, loadModel } = params;
  const prices = params.prices ?? DEFAULT_PRICES;
  const graphs = new Map<
    number,
    { graph: ReturnType<typeof compile>; config: ResolvedMoaConfig }
  >();
  const compile = (configured: ResolvedMoaConfig) =>
    createMixtureOfAgents(configToParams(configured, loadModel, prices)).compile();
  const graphFor = (temperature: number) => {
    let entry = graphs.get(temperature);
    if (entry === undefined) {
      const configured = { ...config, temperature };
      entry = { graph: compile(configured), config: configured };
      graphs.set(temperature, entry);
    }
    return entry;
  };
  graphFor(config.temperature);
  return {
    config,
    async run(messages, options = {}) {
      const { graph, config: configured } = graphFor(options.temperature ?? config.temperature);
      const state = (await graph.invoke(
        { messages },
        {
          ...(options.signal ? { signal: options.signal } : {}),
          ...(options.metadata ? { metadata: options.metadata } : {}),
        },
      )) as MoaState;
      const final = state.messages.at(-1);
      return { output: final ? messageText(final) : "", state, config: configured };
    },
  };
}
