import type { MoaRole } from "../graph/model-call-config.js";
import { DEFAULT_PRICES, findPrice, priceTokens, type PriceRow } from "../models/price-table.js";
import type { CallRecord } from "./call-cache.js";
import {
  DEFAULT_PARAMETERS,
  callTflops,
  findParameters,
  type ParameterRow,
} from "./model-parameters.js";

/** The tables a budget is computed from. */
export interface BudgetTables {
  /** List prices; the first matching row wins. @default DEFAULT_PRICES */
  prices?: readonly PriceRow[];
  /** Parameter counts; the first matching row wins. @default DEFAULT_PARAMETERS */
  parameters?: readonly ParameterRow[];
}

/** One call with its cost and TFLOPs. */
export interface CallBudget extends CallRecord {
  /** USD at list price; `undefined` when the model has no price. */
  costUsd?: number;
  /** 2 × active parameters × tokens; `undefined` when the parameter count is unknown. */
  tflops?: number;
}

/** The totals of one layer, measured ({@link LayerBudget}) or planned (`PlannedLayer`). */
export interface LayerTotals {
  layer: number;
  /** `proposer` for proposer layers, `aggregator` or `ranker` for the final layer. */
  role: MoaRole;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** USD of the layer; `undefined` when a call of it has no price. */
  costUsd?: number;
  /** The maximum over the layer's parallel calls; `undefined` when a parameter count is unknown. */
  tflops?: number;
}

/** One layer of a run: its parallel calls. */
export interface LayerBudget extends LayerTotals {
  /**
   * The layer's TFLOPs: the maximum over its parallel calls (a proposer's samples and proposers
   * run side by side), a retried call adding to its own chain. `undefined` when a count is unknown.
   */
  tflops?: number;
  /** The layer's latency: the slowest chain of calls, from their measured latencies. */
  criticalPathMs: number;
}

/** Totals of one query's budget, measured ({@link RunBudgetAnalysis}) or planned (`PlanEstimate`). */
export interface BudgetTotals {
  inputTokens: number;
  outputTokens: number;
  /** USD of the query; `undefined` when any call has no price. */
  costUsd?: number;
  /** USD of the calls with a known price. */
  pricedCostUsd: number;
  /** Models without a price (`provider:model`). */
  unpriced: string[];
  /** Σ over layers of the layer TFLOPs; `undefined` when any call's parameter count is unknown. */
  tflops?: number;
  /** Models without a parameter count. */
  unknownParameters: string[];
  /** Σ over layers of the layer latency (the slowest call of each layer). */
  criticalPathMs: number;
}

/** The budget of one graph run (one query). */
export interface RunBudgetAnalysis extends BudgetTotals {
  calls: CallBudget[];
  layers: LayerBudget[];
  /** Calls answered from the cache. */
  cachedCalls: number;
}

/**
 * The budget of one run from its call log, as the paper's budget analysis defines it:
 * - tokens and list-price cost per call, per layer and in total (a model without a price makes
 *   the cost unknown rather than zero; `pricedCostUsd` keeps the known part);
 * - TFLOPs per layer = the maximum over the layer's parallel calls of 2 × active parameters ×
 *   tokens, summed over layers (the paper's latency proxy);
 * - critical-path latency = Σ over layers of the slowest call, from the measured latencies (a
 *   replayed call counts with its original latency).
 * Calls of one slot (same role, proposer and sample in a layer, e.g. the ranker's strict retry)
 * are sequential, so they add up within their chain.
 *
 * @example
 * ```ts
 * const budget = analyzeRunBudget(cache.takeRecords(runId));
 * budget.tflops; // e.g. 1.9e3
 * ```
 */
export function analyzeRunBudget(
  records: readonly CallRecord[],
  tables: BudgetTables = {},
): RunBudgetAnalysis {
  const prices = tables.prices ?? DEFAULT_PRICES;
  const parameters = tables.parameters ?? DEFAULT_PARAMETERS;
  const unpriced = new Set<string>();
  const unknownParameters = new Set<string>();
  const calls: CallBudget[] = records.map((record) => {
    const inputTokens = record.usage?.inputTokens ?? 0;
    const outputTokens = record.usage?.outputTokens ?? 0;
    const price = findPrice(record.modelId, prices);
    const size = findParameters(record.modelId, parameters);
    if (!price) unpriced.add(record.modelId);
    if (!size) unknownParameters.add(record.modelId);
    return {
      ...record,
      ...(price ? { costUsd: priceTokens(price, inputTokens, outputTokens) } : {}),
      ...(size ? { tflops: callTflops(size.activeParametersB, inputTokens + outputTokens) } : {}),
    };
  });
  const layerNumbers = [...new Set(calls.map((call) => call.layer))].sort((a, b) => a - b);
  const layers = layerNumbers.map((layer) => layerBudget(layer, calls));
  const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
  return {
    calls,
    layers,
    inputTokens: sum(calls.map((call) => call.usage?.inputTokens ?? 0)),
    outputTokens: sum(calls.map((call) => call.usage?.outputTokens ?? 0)),
    ...(unpriced.size === 0 ? { costUsd: sum(calls.map((call) => call.costUsd ?? 0)) } : {}),
    pricedCostUsd: sum(calls.map((call) => call.costUsd ?? 0)),
    unpriced: [...unpriced].sort(),
    ...(unknownParameters.size === 0 ? { tflops: sum(layers.map((layer) => layer.tflops!)) } : {}),
    unknownParameters: [...unknownParameters].sort(),
    criticalPathMs: sum(layers.map((layer) => layer.criticalPathMs)),
    cachedCalls: calls.filter((call) => call.cached).length,
  };
}

function layerBudget(layer: number, all: readonly CallBudget[]): LayerBudget {
  const calls = all.filter((call) => call.layer === layer);
  const chains = new Map<string, CallBudget[]>();
  for (const call of calls) {
    const slot = `${call.role}\u0000${call.proposerId}\u0000${call.sample}`;
    chains.set(slot, [...(chains.get(slot) ?? []), call]);
  }
  const chainValues = (value: (call: CallBudget) => number | undefined) =>
    [...chains.values()].map((chain) => {
      let total = 0;
      for (const call of chain) {
        const part = value(call);
        if (part === undefined) return undefined;
        total += part;
      }
      return total;
    });
  const tflopsChains = chainValues((call) => call.tflops);
  const latencyChains = chainValues((call) => call.latencyMs) as number[];
  const knownCost = calls.every((call) => call.costUsd !== undefined);
  const role = calls.some((call) => call.role === "ranker")
    ? "ranker"
    : calls.some((call) => call.role === "aggregator")
      ? "aggregator"
      : "proposer";
  return {
    layer,
    role,
    calls: calls.length,
    inputTokens: calls.reduce((total, call) => total + (call.usage?.inputTokens ?? 0), 0),
    outputTokens: calls.reduce((total, call) => total + (call.usage?.outputTokens ?? 0), 0),
    ...(knownCost
      ? { costUsd: calls.reduce((total, call) => total + (call.costUsd ?? 0), 0) }
      : {}),
    ...(tflopsChains.every((value) => value !== undefined)
      ? { tflops: Math.max(0, ...(tflopsChains as number[])) }
      : {}),
    criticalPathMs: Math.max(0, ...latencyChains),
  };
}

/** A variant's budget over all its runs: totals and per-run means. */
export interface VariantBudget {
  /** Graph runs (queries) accounted for. */
  runs: number;
  calls: number;
  cachedCalls: number;
  inputTokens: number;
  outputTokens: number;
  /** Total USD over the runs; `undefined` when a price is unknown. */
  costUsd?: number;
  /** Total USD of the priced calls. */
  pricedCostUsd: number;
  /** Mean USD per run. */
  meanCostUsd?: number;
  /** Mean TFLOPs per run (the paper's latency proxy, per query). */
  meanTflops?: number;
  /** Mean critical-path latency per run, in milliseconds. */
  meanCriticalPathMs: number;
  /** Per-layer means over the runs (tokens, cost, TFLOPs, latency). */
  layers: LayerBudget[];
  unpriced: string[];
  unknownParameters: string[];
}

/**
 * Folds the budgets of a variant's runs into totals and per-run means (per layer too). Layers are
 * matched by number; means divide by the number of runs.
 */
export function summarizeVariantBudget(runs: readonly RunBudgetAnalysis[]): VariantBudget {
  const count = runs.length;
  const sum = (value: (run: RunBudgetAnalysis) => number) =>
    runs.reduce((total, run) => total + value(run), 0);
  const unpriced = [...new Set(runs.flatMap((run) => run.unpriced))].sort();
  const unknownParameters = [...new Set(runs.flatMap((run) => run.unknownParameters))].sort();
  const costKnown = count > 0 && unpriced.length === 0;
  const tflopsKnown = count > 0 && unknownParameters.length === 0;
  const layerNumbers = [...new Set(runs.flatMap((run) => run.layers.map((layer) => layer.layer)))];
  layerNumbers.sort((a, b) => a - b);
  const layers: LayerBudget[] = layerNumbers.map((number) => {
    const matching = runs.flatMap((run) => run.layers.filter((layer) => layer.layer === number));
    const mean = (value: (layer: LayerBudget) => number) =>
      matching.reduce((total, layer) => total + value(layer), 0) / count;
    return {
      layer: number,
      role: matching[0]!.role,
      calls: mean((layer) => layer.calls),
      inputTokens: mean((layer) => layer.inputTokens),
      outputTokens: mean((layer) => layer.outputTokens),
      ...(matching.every((layer) => layer.costUsd !== undefined)
        ? { costUsd: mean((layer) => layer.costUsd!) }
        : {}),
      ...(matching.every((layer) => layer.tflops !== undefined)
        ? { tflops: mean((layer) => layer.tflops!) }
        : {}),
      criticalPathMs: mean((layer) => layer.criticalPathMs),
    };
  });
  const pricedCostUsd = sum((run) => run.pricedCostUsd);
  return {
    runs: count,
    calls: sum((run) => run.calls.length),
    cachedCalls: sum((run) => run.cachedCalls),
    inputTokens: sum((run) => run.inputTokens),
    outputTokens: sum((run) => run.outputTokens),
    ...(costKnown ? { costUsd: pricedCostUsd, meanCostUsd: pricedCostUsd / count } : {}),
    pricedCostUsd,
    ...(tflopsKnown ? { meanTflops: sum((run) => run.tflops!) / count } : {}),
    meanCriticalPathMs: count === 0 ? 0 : sum((run) => run.criticalPathMs) / count,
    layers,
    unpriced,
    unknownParameters,
  };
}
