import { randomUUID } from "node:crypto";
import type { BaseMessage } from "@langchain/core/messages";
import type { ModelLoader } from "../config/config-to-params.js";
import { parseMoaConfig, type ResolvedMoaConfig } from "../config/moa-config.js";
import {
  createMoaAnswerer,
  type Answerer,
  type AnswerOptions,
  type MoaRun,
} from "../eval/answerer.js";
import type { GenerationResult } from "../eval/generation.js";
import { DEFAULT_PRICES } from "../models/price-table.js";
import { analyzeRunBudget, type BudgetTables, type RunBudgetAnalysis } from "./budget-analysis.js";
import { CachingChatModel } from "./caching-chat-model.js";
import { ABLATION_RUN_METADATA_KEY, type CallCache, type CallRecord } from "./call-cache.js";
import type { AblationVariant } from "./studies.js";

/** Sampling and reliability settings shared by every variant of a study. */
export interface VariantSettings {
  /** Temperature of every call (the paper: 0.7). */
  temperature: number;
  /** Output cap of every call (the reference code: 2048). */
  maxTokens: number;
  /** Retries of a failed request. @default the configuration's (2) */
  retries?: number;
  /** Whole-call timeout in milliseconds. @default the graph's (300000) */
  callTimeoutMs?: number;
}

/** Parameters of {@link createVariantRunner}. */
export interface CreateVariantRunnerParams {
  variant: AblationVariant;
  /** Builds a model from `"provider:model"` and its settings (e.g. `loadChatModel` with an env). */
  loadModel: ModelLoader;
  /** The study's shared cache: every model of the variant is wrapped with it. */
  callCache: CallCache;
  settings: VariantSettings;
  /** Prices and parameter counts for the budget of each run. */
  tables?: BudgetTables;
  /** Cache namespace of the backend (`"simulated"` for the loopback simulator). @default none */
  cacheNamespace?: string;
}

/** One answered query with its call log and budget. */
export interface VariantAnswer extends GenerationResult {
  budget: RunBudgetAnalysis;
}

/** Answers queries with one variant's Mixture-of-Agents, every model behind the shared cache. */
export interface VariantRunner extends Answerer<VariantAnswer> {
  readonly variant: AblationVariant;
  /** The validated configuration the graph was built from. */
  readonly config: ResolvedMoaConfig;
  /**
   * Runs the graph on `messages` and returns the final answer with the run's budget (tokens, list
   * cost, TFLOPs and critical-path latency, per call and per layer). `temperature` replaces the
   * study's for every call of this run (MT-Bench's per-category temperatures).
   */
  answer(messages: BaseMessage[], options?: AnswerOptions): Promise<VariantAnswer>;
}

/**
 * Builds the runner of one variant. The configuration is validated and the graph for the study's
 * temperature is built at once, so a bad model string or a missing API key fails before any call.
 */
export function createVariantRunner(params: CreateVariantRunnerParams): VariantRunner {
  const { variant, settings, callCache } = params;
  const config = parseMoaConfig(
    {
      ...(variant.config.layers > 1 ? { proposers: variant.config.proposers } : {}),
      aggregator: variant.config.aggregator,
      layers: variant.config.layers,
      aggregation: variant.config.aggregation,
      samples: variant.config.samples,
      temperature: settings.temperature,
      maxTokens: settings.maxTokens,
      ...(settings.retries !== undefined ? { retries: settings.retries } : {}),
      ...(settings.callTimeoutMs !== undefined ? { callTimeoutMs: settings.callTimeoutMs } : {}),
    },
    `ablation variant ${variant.id}`,
  );
  const answerer = createMoaAnswerer({
    config,
    // Every model of the variant answers through the study's shared call cache.
    loadModel: (spec, sampling) =>
      new CachingChatModel({
        model: params.loadModel(spec, sampling),
        modelId: spec,
        callCache,
        ...(params.cacheNamespace ? { namespace: params.cacheNamespace } : {}),
      }),
    prices: params.tables?.prices ?? DEFAULT_PRICES,
  });
  return {
    variant,
    config,
    async answer(messages, options = {}) {
      const runId = randomUUID();
      let run: MoaRun;
      let records: CallRecord[] = [];
      try {
        run = await answerer.run(messages, {
          ...options,
          metadata: { [ABLATION_RUN_METADATA_KEY]: runId },
        });
      } finally {
        // A failed run's calls stay in the cache (they were paid for) but not in any budget.
        records = callCache.takeRecords(runId);
      }
      const budget = analyzeRunBudget(records, params.tables);
      return {
        output: run.output,
        usage: { inputTokens: budget.inputTokens, outputTokens: budget.outputTokens },
        costUsd: budget.pricedCostUsd,
        budget,
      };
    },
  };
}
