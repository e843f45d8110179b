import { z } from "zod";
import { UsageSchema } from "./proposal.js";

/** Schema of {@link RankerCall}. */
export const RankerCallSchema = z.object({
  /** Id of the model called (the ranker, or the fallback model after it failed). */
  modelId: z.string(),
  usage: UsageSchema.optional(),
  latencyMs: z.number(),
});

/** One call of the LLM-ranker. */
export type RankerCall = z.infer<typeof RankerCallSchema>;

/** Schema of {@link Ranking}. */
export const RankingSchema = z.object({
  /** 1-based number of the chosen answer among the numbered candidates. */
  choice: z.number().int(),
  /** The chosen proposal's proposer and sample. */
  proposerId: z.string(),
  sample: z.number().int(),
  /** True when no usable reply came back and the first successful proposal was used. */
  fallback: z.boolean(),
  /** The ranker's raw replies (one, or two after the strict retry). */
  replies: z.array(z.string()),
  /** One entry per ranker call, in order (first try, then the stricter retry). */
  calls: z.array(RankerCallSchema).optional(),
});

/** The LLM-ranker's decision (only with `aggregation: "rank"`). */
export type Ranking = z.infer<typeof RankingSchema>;

/** Schema of {@link AggregatorFallbackRecord}. */
export const AggregatorFallbackRecordSchema = z.object({
  /** The aggregator's error (credential-free). */
  reason: z.string(),
  /** The fallback model's id, or `"first-proposal"`. */
  used: z.string(),
});

/** How `aggregatorFallback` stood in for a failed aggregator. */
export type AggregatorFallbackRecord = z.infer<typeof AggregatorFallbackRecordSchema>;

/** Schema of {@link AggregationMode}. */
export const AggregationModeSchema = z.enum(["synthesize", "rank"]);

/** How the final node produced the answer. */
export type AggregationMode = z.infer<typeof AggregationModeSchema>;

/** Schema of {@link Aggregation}. */
export const AggregationSchema = z.object({
  mode: AggregationModeSchema,
  /** Id of the aggregator (or ranker) model. */
  aggregatorId: z.string(),
  /** Number of references the final node received. */
  references: z.number().int(),
  usage: UsageSchema.optional(),
  latencyMs: z.number().optional(),
  ranking: RankingSchema.optional(),
  /** True when the context guard shortened the references the final node received. */
  referencesTruncated: z.boolean().optional(),
  /** Set when the aggregator failed and `aggregatorFallback` produced the answer. */
  fallback: AggregatorFallbackRecordSchema.optional(),
});

/** What the final node did this turn. */
export type Aggregation = z.infer<typeof AggregationSchema>;
