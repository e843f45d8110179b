import type { ReferenceFormat } from "../prompts/inject-references.js";
import type {
  BaseChatModel,
  BindToolsInput,
  ToolChoice,
} from "@langchain/core/language_models/chat_models";
import type { TokenPrice } from "../models/price-table.js";

/**
 * A proposer (or the aggregator): a chat model, or a model with settings.
 *
 * @example
 * ```ts
 * const proposers: ProposerSpec[] = [
 *   qwen,                                               // plain model
 *   { id: "llama", model: llama, temperature: 0.7 },    // named, with sampling settings
 *   { model: mixtral, samples: 3 },                     // three parallel samples
 * ];
 * ```
 */
export type ProposerSpec =
  | BaseChatModel
  | {
      /** Unique id shown in state, streams and traces. @default derived from the model name */
      id?: string;
      /** The chat model. */
      model: BaseChatModel;
      /** Parallel samples of this model per layer (single-proposer / Self-MoA). @default 1 */
      samples?: number;
      /** Sampling temperature for this proposer; overrides the model's own. */
      temperature?: number;
      /** Output token cap for this proposer; overrides the model's own. */
      maxTokens?: number;
      /**
       * Context window of the model in tokens, for the context guard.
       * @default the `contextWindows` parameter, else the built-in table by model name
       */
      contextWindow?: number;
    };

/** A proposer after validation: a unique id, its position, a ready model, a sample count. */
export interface ResolvedProposer {
  id: string;
  /** Position in its layer's list; references are ordered by it. */
  index: number;
  model: BaseChatModel;
  samples: number;
  /** Model name (for price and context-window tables). */
  modelName: string;
  /** Output cap of each call, when known (spec, else the model's own `maxTokens`). */
  maxOutputTokens?: number;
  /** Context window for the context guard, when known. */
  contextWindow?: number;
}

/** What the final node does when the aggregator fails after its retries. */
export type ResolvedAggregatorFallback = ResolvedProposer | "first-proposal";

/** How the final node turns the last layer's answers into one answer. */
export type AggregationStrategy = "synthesize" | "rank";

/** Everything a Mixture-of-Agents graph needs to run, after validation. */
export interface MoaPlan {
  /** One list per proposer layer (`layers - 1` lists; empty for `layers = 1`). */
  proposerLayers: ResolvedProposer[][];
  aggregator: ResolvedProposer;
  aggregation: AggregationStrategy;
  minProposals: number;
  /** Whole-call timeout of every model call, streaming included. */
  callTimeoutMs: number;
  /** Grace period after a layer's quorum before its stragglers are cancelled. */
  stragglerGraceMs?: number;
  aggregatorFallback?: ResolvedAggregatorFallback;
  budget?: ResolvedBudget;
  /** How references are rendered for layer-2+ proposers and the aggregator. */
  referenceFormat: ReferenceFormat;
  /** Tools bound to the aggregator's calls only (never to proposers or the ranker). */
  aggregatorTools?: BindToolsInput[];
  /** `tool_choice` of the aggregator's `bindTools` (with `aggregatorTools` only). */
  aggregatorToolChoice?: ToolChoice;
}

/** A run's budget after validation. */
export interface ResolvedBudget {
  maxCostUsd?: number;
  maxTokens?: number;
  /** USD per million tokens, by proposer id or model name. */
  prices: Readonly<Record<string, TokenPrice>>;
  /** Output tokens assumed by the pre-flight estimate for calls with no known cap. */
  assumedOutputTokens: number;
  /** Typical output tokens of one call, for the expected-cost estimate. */
  expectedOutputTokens: number;
  /** Which pre-flight estimate gates the run. */
  check: BudgetCheck;
}

/**
 * Which pre-flight estimate gates a budgeted run: `"expected"` (every call writes a typical
 * answer, `budget.expectedOutputTokens`) or `"upper"` (every call writes its full output cap).
 */
export type BudgetCheck = "upper" | "expected";
