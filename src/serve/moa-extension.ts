import type { ResolvedMoaConfig } from "../config/moa-config.js";
import type { PriceRow } from "../models/price-table.js";
import { summarizeRun } from "../config/run-summary.js";
import type { MoaState } from "../state/moa-state.js";

/** The `moa` object of every completion: how the virtual model produced the answer. */
export interface MoaExtension {
  layers: number;
  aggregation: ResolvedMoaConfig["aggregation"];
  /** `"ok"`, or `"degraded"` when a proposer failed or the final call fell back. */
  status: "ok" | "degraded";
  /** One row per call: the proposers of every layer, then the aggregator (or ranker). */
  proposers: Array<{
    layer: number;
    role: "proposer" | "aggregator" | "ranker";
    id: string;
    sample: number;
    status: "ok" | "error";
    input_tokens: number | null;
    output_tokens: number | null;
    latency_ms: number | null;
    cost_usd: number | null;
    error: string | null;
  }>;
  /** Token totals of all calls. */
  tokens: { input: number; output: number; total: number };
  latency_ms: number;
  /** USD at list prices, over the calls of priced models. */
  cost_usd: number;
  /** Models without a known price (their calls are not in `cost_usd`). */
  unpriced_models: string[];
  /** What the final node did that the rows do not show (fallbacks, shortened references). */
  notes: string[];
}

/** Builds the `moa` extension of a finished run. */
export function moaExtension(
  state: MoaState,
  config: ResolvedMoaConfig,
  prices: readonly PriceRow[],
  latencyMs: number,
): MoaExtension {
  const summary = summarizeRun(state, config, prices, latencyMs);
  const degraded =
    summary.rows.some((row) => row.status === "error") ||
    state.aggregation?.fallback != null ||
    state.aggregation?.ranking?.fallback === true;
  return {
    layers: config.layers,
    aggregation: config.aggregation,
    status: degraded ? "degraded" : "ok",
    proposers: summary.rows.map((row) => ({
      layer: row.layer,
      role: row.role,
      id: row.proposerId,
      sample: row.sample,
      status: row.status,
      input_tokens: row.inputTokens ?? null,
      output_tokens: row.outputTokens ?? null,
      latency_ms: row.latencyMs ?? null,
      cost_usd: row.costUsd ?? null,
      error: row.error ?? null,
    })),
    tokens: {
      input: summary.usage.inputTokens,
      output: summary.usage.outputTokens,
      total: summary.usage.inputTokens + summary.usage.outputTokens,
    },
    latency_ms: Math.round(latencyMs),
    cost_usd: summary.costUsd,
    unpriced_models: summary.unpricedModels,
    notes: summary.notes,
  };
}
