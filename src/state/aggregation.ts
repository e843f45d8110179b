import { z } from "zod";
import { UsageSchema, type Usage } from "./proposal.js";

/** How the final node produced the answer. */
export type AggregationMode = "synthesize" | "rank";

/** The LLM-ranker's decision (only with `aggregation: "rank"`). */
export interface Ranking {
  /** 1-based number of the chosen answer among the numbered candidates. */
  choice: number;
  /** The chosen proposal's proposer and sample. */
  proposerId: string;
  sample: number;
  /** True when no usable reply came back and the first successful proposal was used. */
  fallback: boolean;
  /** The ranker's raw replies (one, or two after the strict retry). */
  replies: string[];
  /** One entry per ranker call, in order (first try, then the stricter retry). */
  calls?: RankerCall[];
}

/** One call of the LLM-ranker. */
export interface RankerCall {
  /** Id of the model called (the ranker, or the fallback model after it failed). */
  modelId: string;
  usage?: Usage;
  latencyMs: number;
}

/** What the final node did this turn. */
export interface Aggregation {
  mode: AggregationMode;
  /** Id of the aggregator (or ranker) model. */
  aggregatorId: string;
  /** Number of references the final node received. */
  references: number;
  usage?: Usage;
  latencyMs?: number;
  ranking?: Ranking;
  /** True when the context guard shortened the references the final node received. */
  referencesTruncated?: boolean;
  /** Set when the aggregator failed and `aggregatorFallback` produced the answer. */
  fallback?: AggregatorFallbackRecord;
}

/** How `aggregatorFallback` stood in for a failed aggregator. */
export interface AggregatorFallbackRecord {
  /** The aggregator's error (credential-free). */
  reason: string;
  /** The fallback model's id, or `"first-proposal"`. */
  used: string;
}

export const RankingSchema = z.object({
  choice: z.number().int(),
  proposerId: z.string(),
  sample: z.number().int(),
  fallback: z.boolean(),
  replies: z.array(z.string()),
  calls: z
    .array(z.object({ modelId: z.string(), usage: UsageSchema.optional(), latencyMs: z.number() }))
    .optional(),
});

export const AggregationSchema = z.object({
  mode: z.enum(["synthesize", "rank"]),
  aggregatorId: z.string(),
  references: z.number().int(),
  usage: UsageSchema.optional(),
  latencyMs: z.number().optional(),
  ranking: RankingSchema.optional(),
  referencesTruncated: z.boolean().optional(),
  fallback: z.object({ reason: z.string(), used: z.string() }).optional(),
});
