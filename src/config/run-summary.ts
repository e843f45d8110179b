import {
  findPrice,
  LOCAL_PRICE_SOURCE,
  priceTokens,
  type PriceRow,
} from "../models/price-table.js";
import type { ResolvedMoaConfig } from "./moa-config.js";
import type { Aggregation } from "../state/aggregation.js";
import type { Proposal, Usage } from "../state/proposal.js";

/** One line of the per-layer table: a proposer call or the final call. */
export interface SummaryRow {
  layer: number;
  role: "proposer" | "aggregator" | "ranker";
  proposerId: string;
  sample: number;
  status: "ok" | "error";
  inputTokens?: number;
  outputTokens?: number;
  latencyMs?: number;
  /** USD, or `undefined` when the model has no known price. */
  costUsd?: number;
  error?: string;
}

/** What `moa run` reports after the answer. */
export interface RunSummary {
  rows: SummaryRow[];
  usage: Usage;
  /** Sum over calls with known prices. */
  costUsd: number;
  /** Models whose price is unknown (their calls are not in `costUsd`). */
  unpricedModels: string[];
  /** Models priced at $0 because they run on this machine (`local:`, `ollama:`). */
  localModels: string[];
  wallTimeMs: number;
  /**
   * What the final node did that the table does not show: the ranker's fallback to the first
   * proposal, the aggregator's fallback, references shortened by the context guard.
   */
  notes: string[];
}

/**
 * Builds the per-layer table and totals of a finished run. Prices come from `prices`; a model
 * without a row is listed in `unpricedModels`, never priced by guess.
 */
export function summarizeRun(
  state: { proposals: Proposal[]; aggregation?: Aggregation | null; usage?: Usage },
  config: ResolvedMoaConfig,
  prices: readonly PriceRow[],
  wallTimeMs: number,
): RunSummary {
  const unpriced = new Set<string>();
  const local = new Set<string>();
  const cost = (spec: string, usage: Usage | undefined) => {
    if (!usage) return undefined;
    const row = findPrice(spec, prices);
    if (!row) {
      unpriced.add(spec);
      return undefined;
    }
    if (row.source === LOCAL_PRICE_SOURCE) local.add(spec);
    return priceTokens(row, usage.inputTokens, usage.outputTokens);
  };
  const rows: SummaryRow[] = state.proposals.map((proposal) => ({
    layer: proposal.layer,
    role: "proposer",
    proposerId: proposal.proposerId,
    sample: proposal.sample,
    status: proposal.status,
    inputTokens: proposal.usage?.inputTokens,
    outputTokens: proposal.usage?.outputTokens,
    latencyMs: proposal.latencyMs,
    costUsd: cost(config.proposers[proposal.proposerIndex] ?? proposal.proposerId, proposal.usage),
    error: proposal.error,
  }));
  const aggregation = state.aggregation;
  const rankerCalls = aggregation?.ranking?.calls;
  if (aggregation && rankerCalls?.length) {
    // One row per ranker call: the first try and, after an unusable reply, the stricter retry.
    rankerCalls.forEach((call, index) => {
      rows.push({
        layer: config.layers,
        role: "ranker",
        proposerId: call.modelId,
        sample: index,
        status: "ok",
        inputTokens: call.usage?.inputTokens,
        outputTokens: call.usage?.outputTokens,
        latencyMs: call.latencyMs,
        costUsd: cost(config.aggregator, call.usage),
      });
    });
  } else if (aggregation) {
    rows.push({
      layer: config.layers,
      role: aggregation.mode === "rank" ? "ranker" : "aggregator",
      proposerId: aggregation.aggregatorId,
      sample: 0,
      status: "ok",
      inputTokens: aggregation.usage?.inputTokens,
      outputTokens: aggregation.usage?.outputTokens,
      latencyMs: aggregation.latencyMs,
      costUsd: cost(config.aggregator, aggregation.usage),
    });
  }
  return {
    rows,
    usage: state.usage ?? { inputTokens: 0, outputTokens: 0 },
    costUsd: rows.reduce((total, row) => total + (row.costUsd ?? 0), 0),
    unpricedModels: [...unpriced].sort(),
    localModels: [...local].sort(),
    wallTimeMs,
    notes: aggregation ? aggregationNotes(aggregation) : [],
  };
}

function aggregationNotes(aggregation: Aggregation): string[] {
  const notes: string[] = [];
  if (aggregation.fallback) {
    notes.push(
      `${aggregation.mode === "rank" ? "ranker" : "aggregator"} failed (${aggregation.fallback.reason}); the answer came from the fallback: ${aggregation.fallback.used}.`,
    );
  }
  const ranking = aggregation.ranking;
  if (ranking?.fallback) {
    notes.push(
      `ranker fallback: no usable choice in ${ranking.replies.length} repl${ranking.replies.length === 1 ? "y" : "ies"}; the answer is the first successful proposal (${ranking.proposerId} #${ranking.sample}), not a ranked one.`,
    );
  }
  if (aggregation.referencesTruncated) {
    notes.push("context: the context guard shortened the references the final call received.");
  }
  return notes;
}
