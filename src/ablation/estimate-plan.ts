import type { BudgetTotals, LayerTotals } from "./budget-analysis.js";
import { knownContextWindow } from "../context/context-windows.js";
import {
  CHARACTERS_PER_TOKEN,
  estimateMessageTokens,
  estimateTokens,
} from "../context/estimate-tokens.js";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import type { MoaRole } from "../graph/model-call-config.js";
import type { AggregationStrategy } from "../plan/proposer-spec.js";
import { DEFAULT_PRICES, findPrice, priceTokens, type PriceRow } from "../models/price-table.js";
import { AGGREGATE_AND_SYNTHESIZE_PROMPT } from "../prompts/aggregate-and-synthesize-prompt.js";
import { buildRankMessages } from "../prompts/rank-prompt.js";
import {
  DEFAULT_PARAMETERS,
  callTflops,
  findParameters,
  type ParameterRow,
} from "./model-parameters.js";
import { splitModelSpec } from "../models/parse-model-spec.js";

/** The configuration a plan is made for (the shape of a resolved MoA configuration). */
export interface PlanConfig {
  /** Proposers of every proposer layer, `"provider:model"`. */
  proposers: readonly string[];
  aggregator: string;
  /** Layers including the final aggregation. */
  layers: number;
  aggregation: AggregationStrategy;
  samples: number;
  /** Output cap of every call. */
  maxTokens: number;
}

/** Throughput assumptions of the latency estimate. */
export interface LatencyAssumptions {
  /** Time to the first token of every call, in milliseconds. @default 500 */
  firstTokenMs?: number;
  /** Decoding speed of every model, tokens per second. @default 50 */
  tokensPerSecond?: number;
}

/** Inputs of {@link estimatePlan}. */
export interface EstimatePlanInput {
  config: PlanConfig;
  /** Expected tokens of the conversation sent to layer 1. */
  promptTokens: number;
  /**
   * Expected tokens of each answer. @default `config.maxTokens` (an upper bound: every call
   * writes its full cap, as the pre-flight budget check assumes)
   */
  outputTokens?: number;
  /** @default DEFAULT_PRICES */
  prices?: readonly PriceRow[];
  /** @default DEFAULT_PARAMETERS */
  parameters?: readonly ParameterRow[];
  latency?: LatencyAssumptions;
}

/** One model's calls in a planned layer. */
export interface PlannedCalls {
  modelId: string;
  /** Parallel calls (samples). */
  calls: number;
  /** Per call. */
  inputTokens: number;
  /** Per call. */
  outputTokens: number;
  /** All of this model's calls in the layer; `undefined` without a price. */
  costUsd?: number;
  /** Per call: 2 × active parameters × tokens; `undefined` without a parameter count. */
  tflops?: number;
  /** Per call. */
  latencyMs: number;
}

/** One planned layer. */
export interface PlannedLayer extends LayerTotals {
  /** Slowest call of the layer. */
  latencyMs: number;
  models: PlannedCalls[];
}

/** A pre-flight estimate of one query (one MoA run). */
export interface PlanEstimate extends BudgetTotals {
  layers: PlannedLayer[];
  calls: number;
  /**
   * Calls whose prompt plus answer would not fit the model's known context window: the context
   * guard will shorten their references (or, for layer 1, the provider will refuse the prompt).
   */
  contextWarnings: { layer: number; modelId: string; tokens: number; contextWindow: number }[];
  /** What the estimate assumed. */
  assumptions: {
    promptTokens: number;
    outputTokens: number;
    /** True when `outputTokens` is the output cap (an upper bound), not an expectation. */
    outputIsUpperBound: boolean;
    rankReplyTokens: number;
    firstTokenMs: number;
    tokensPerSecond: number;
    charactersPerToken: number;
  };
}

/** Tokens of the LLM-ranker's reply (one number). */
export const RANK_REPLY_TOKENS = 2;

/**
 * Pre-flight estimate of one query before spending anything: per layer, the calls, tokens,
 * list-price cost, TFLOPs (the paper's definition: the largest parallel call per layer, summed
 * over layers) and latency (time to first token + output / decoding speed, the slowest call per
 * layer, summed over layers). Layer 1 reads the prompt; later layers and the aggregator read the
 * prompt, the Aggregate-and-Synthesize text and every answer of the previous layer — the same
 * token model as the budget's pre-flight check (`estimateRun`). Unknown prices and parameter
 * counts stay unknown.
 *
 * @example
 * ```ts
 * const plan = estimatePlan({ config: { ...PRESETS.moa, proposers: [...PRESETS.moa.proposers] }, promptTokens: 200, outputTokens: 400 });
 * plan.costUsd; plan.tflops; plan.criticalPathMs;
 * ```
 */
export function estimatePlan(input: EstimatePlanInput): PlanEstimate {
  const { config } = input;
  const wholeNumber = (value: number, parameter: string, minimum: number) => {
    if (!Number.isInteger(value) || value < minimum) {
      throw new InvalidArgumentError({
        parameter,
        value,
        message: `must be a whole number ≥ ${minimum}.`,
      });
    }
  };
  wholeNumber(input.promptTokens, "promptTokens", 0);
  const outputTokens = input.outputTokens ?? config.maxTokens;
  wholeNumber(outputTokens, "outputTokens", 1);
  wholeNumber(config.layers, "config.layers", 1);
  wholeNumber(config.samples, "config.samples", 1);
  const firstTokenMs = input.latency?.firstTokenMs ?? 500;
  const tokensPerSecond = input.latency?.tokensPerSecond ?? 50;
  if (!(firstTokenMs >= 0) || !(tokensPerSecond > 0)) {
    throw new InvalidArgumentError({
      parameter: "latency",
      value: input.latency,
      message: "needs `firstTokenMs` ≥ 0 and `tokensPerSecond` > 0.",
    });
  }
  const prices = input.prices ?? DEFAULT_PRICES;
  const parameters = input.parameters ?? DEFAULT_PARAMETERS;
  const unpriced = new Set<string>();
  const unknownParameters = new Set<string>();
  const synthesizeOverhead = estimateTokens(AGGREGATE_AND_SYNTHESIZE_PROMPT);
  const rankOverhead = estimateMessageTokens(buildRankMessages({ query: "", candidates: [] }));

  const plan = (modelId: string, calls: number, inputTokens: number, output: number) => {
    const price = findPrice(modelId, prices);
    const size = findParameters(modelId, parameters);
    if (!price) unpriced.add(modelId);
    if (!size) unknownParameters.add(modelId);
    return {
      modelId,
      calls,
      inputTokens,
      outputTokens: output,
      ...(price ? { costUsd: priceTokens(price, inputTokens * calls, output * calls) } : {}),
      ...(size ? { tflops: callTflops(size.activeParametersB, inputTokens + output) } : {}),
      latencyMs: firstTokenMs + (output / tokensPerSecond) * 1000,
    } satisfies PlannedCalls;
  };

  const layers: PlannedLayer[] = [];
  let previousOutput = 0;
  for (let layer = 1; layer <= config.layers; layer++) {
    const final = layer === config.layers;
    const rank = final && config.aggregation === "rank";
    const overhead = layer === 1 ? 0 : (rank ? rankOverhead : synthesizeOverhead) + previousOutput;
    const inputTokens = input.promptTokens + overhead;
    const models = final
      ? [plan(config.aggregator, 1, inputTokens, rank ? RANK_REPLY_TOKENS : outputTokens)]
      : config.proposers.map((proposer) =>
          plan(proposer, config.samples, inputTokens, outputTokens),
        );
    const role: MoaRole = !final ? "proposer" : rank ? "ranker" : "aggregator";
    const sum = (value: (calls: PlannedCalls) => number) =>
      models.reduce((total, calls) => total + value(calls), 0);
    layers.push({
      layer,
      role,
      calls: sum((calls) => calls.calls),
      inputTokens: sum((calls) => calls.inputTokens * calls.calls),
      outputTokens: sum((calls) => calls.outputTokens * calls.calls),
      ...(models.every((calls) => calls.costUsd !== undefined)
        ? { costUsd: sum((calls) => calls.costUsd!) }
        : {}),
      ...(models.every((calls) => calls.tflops !== undefined)
        ? { tflops: Math.max(...models.map((calls) => calls.tflops!)) }
        : {}),
      latencyMs: Math.max(...models.map((calls) => calls.latencyMs)),
      models,
    });
    previousOutput = sum((calls) => calls.outputTokens * calls.calls);
  }
  const total = (value: (layer: PlannedLayer) => number) =>
    layers.reduce((sum, layer) => sum + value(layer), 0);
  const pricedCostUsd = layers.reduce(
    (sum, layer) => sum + layer.models.reduce((inner, calls) => inner + (calls.costUsd ?? 0), 0),
    0,
  );
  return {
    layers,
    calls: total((layer) => layer.calls),
    inputTokens: total((layer) => layer.inputTokens),
    outputTokens: total((layer) => layer.outputTokens),
    ...(unpriced.size === 0 ? { costUsd: pricedCostUsd } : {}),
    pricedCostUsd,
    unpriced: [...unpriced].sort(),
    ...(unknownParameters.size === 0 ? { tflops: total((layer) => layer.tflops!) } : {}),
    unknownParameters: [...unknownParameters].sort(),
    criticalPathMs: total((layer) => layer.latencyMs),
    contextWarnings: layers.flatMap((layer) =>
      layer.models.flatMap((calls) => {
        const contextWindow = knownContextWindow(splitModelSpec(calls.modelId).model);
        const tokens = calls.inputTokens + calls.outputTokens;
        return contextWindow !== undefined && tokens > contextWindow
          ? [{ layer: layer.layer, modelId: calls.modelId, tokens, contextWindow }]
          : [];
      }),
    ),
    assumptions: {
      promptTokens: input.promptTokens,
      outputTokens,
      outputIsUpperBound: input.outputTokens === undefined,
      rankReplyTokens: RANK_REPLY_TOKENS,
      firstTokenMs,
      tokensPerSecond,
      charactersPerToken: CHARACTERS_PER_TOKEN,
    },
  };
}
