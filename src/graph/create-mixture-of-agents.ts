import type { BindToolsInput, ToolChoice } from "@langchain/core/language_models/chat_models";
import type { ReferenceFormat } from "../prompts/inject-references.js";
import type { AggregationStrategy, ProposerSpec } from "../plan/proposer-spec.js";
import { buildMoaGraph, type MoaStateGraph } from "./build-moa-graph.js";
import { resolvePlan, type RunBudget } from "../plan/resolve-plan.js";
import type { MoaLimits } from "../plan/moa-limits.js";

/**
 * Parameters of {@link createMixtureOfAgents}.
 */
export interface CreateMixtureOfAgentsParams {
  /**
   * The proposers of every proposer layer. Give this or `layerProposers` (required when
   * `layers` > 1).
   * @example [qwen110b, qwen72b, { model: llama70b, id: "llama" }]
   */
  proposers?: ProposerSpec[];
  /**
   * One proposer list per proposer layer (length `layers - 1`), for layers with different
   * models. Mutually exclusive with `proposers`.
   */
  layerProposers?: ProposerSpec[][];
  /**
   * Total number of MoA layers, **including** the final aggregation: 3 is the paper's MoA,
   * 2 is MoA-Lite, 1 lets the aggregator answer alone (the single-model baseline).
   * @default 3 (or `layerProposers.length + 1`)
   */
  layers?: number;
  /** The final aggregator (or, with `aggregation: "rank"`, the ranker). */
  aggregator: ProposerSpec;
  /**
   * `"synthesize"`: the aggregator writes a new answer from the references (the paper's MoA).
   * `"rank"`: the LLM-ranker ablation; the aggregator model picks one last-layer answer, which
   * is returned verbatim.
   * @default "synthesize"
   */
  aggregation?: AggregationStrategy;
  /**
   * Successful proposals every proposer layer needs; below it the run fails with
   * `InsufficientProposalsError`. Failed proposals are recorded, never injected.
   * @default 1
   */
  minProposals?: number;
  /**
   * Whether proposer tokens appear in `streamMode: "messages"` (tagged with `moa_role`,
   * `moa_layer`, `moa_proposer_id` metadata). The aggregator's tokens always stream.
   * @default true
   */
  streamProposerTokens?: boolean;
  /**
   * Whole-call timeout of every proposer and aggregator call in milliseconds, streaming
   * included (an HTTP client's own timeout stops at the response headers, so a stream that
   * stalls later needs this). A proposer that times out becomes an `error` proposal. At most
   * 2147483647 (`MAX_TIMER_DELAY_MS`, the longest Node.js timer).
   * @default 300000
   */
  callTimeoutMs?: number;
  /**
   * Straggler cut-off: once `minProposals` proposals of a layer succeeded, the calls still
   * running get this many milliseconds, then are cancelled (their requests aborted) and
   * recorded as `error` proposals starting with "cancelled"; the layer goes on. At most
   * 2147483647 (`MAX_TIMER_DELAY_MS`).
   * @default undefined (wait for every proposer)
   */
  stragglerGraceMs?: number;
  /**
   * What the final node does when the aggregator (or ranker) still fails after its retries:
   * another model takes over, or `"first-proposal"` returns the first successful last-layer
   * proposal verbatim. Recorded in `aggregation.fallback`.
   * @default undefined (the run fails with the aggregator's error)
   */
  aggregatorFallback?: ProposerSpec | "first-proposal";
  /**
   * How the previous layer's answers are rendered in the Aggregate-and-Synthesize prompt.
   * `"paper"` is the paper's byte-exact `"\n{i}. {answer}"` list, which a proposal can forge
   * (an answer containing `"\n7. …"` reads like a seventh reference). `"delimited"` wraps each
   * answer in `<reference index="i">…</reference>` with delimiters inside answers escaped, so no
   * answer can add, end or renumber references. The ranker's prompt (JSON) is unaffected.
   * @default "paper"
   */
  referenceFormat?: ReferenceFormat;
  /**
   * Per-run budget. Before any call, a pre-flight estimate that cannot fit refuses the run
   * (`BudgetExceededError`, phase "preflight"): by default the expected cost (every call writes
   * `budget.expectedOutputTokens`, default 500), or with `budget.check: "upper"` the upper bound
   * (every call writes its full cap). During the run, actual usage is tallied and the run stops
   * as soon as a cap is crossed (phase "run", in-flight calls aborted): that is the hard stop.
   * @example { maxCostUsd: 0.05, prices: { "gpt-4o": { inputPerMillion: 5, outputPerMillion: 15 } } }
   */
  budget?: RunBudget;
  /**
   * Context windows (tokens) by proposer id or model name, for the context guard; a spec's own
   * `contextWindow` wins and a built-in table covers the paper's models.
   */
  contextWindows?: Record<string, number>;
  /**
   * Size limits checked before anything is built (proposers per layer, samples, layers, model
   * calls per run); a value above one fails with `InvalidArgumentError` naming the field. Give
   * only the fields to change.
   * @default DEFAULT_MOA_LIMITS: { maxProposersPerLayer: 64, maxSamples: 16, maxLayers: 16, maxCallsPerRun: 512 }
   * @example { maxProposersPerLayer: 128, maxCallsPerRun: 1024 }
   */
  limits?: Partial<MoaLimits>;
  /**
   * Tools bound to the aggregator only (the synthesize aggregator and its fallback model; not the
   * ranker). Proposers never receive tool schemas: a conversation holding tool calls and tool
   * results reaches them as text (`[assistant called tool get_weather({"city":"Paris"})]`,
   * `[tool get_weather returned: …]`), while the aggregator sees the real messages plus the
   * references and may answer with `tool_calls`, kept on the turn's answer message.
   * `ChatMixtureOfAgents.bindTools` sets this. The aggregator model must implement `bindTools`.
   * @default undefined (no tools)
   */
  aggregatorTools?: BindToolsInput[];
  /**
   * How the aggregator must use `aggregatorTools`, passed to its `bindTools` as `tool_choice`:
   * `"auto"`, `"required"` (some tool call; OpenAI's name; Anthropic's is `"any"`), `"none"` or
   * a tool's name / provider-specific object. Needs `aggregatorTools`.
   * @default the aggregator model's own default (OpenAI: `"auto"`)
   */
  aggregatorToolChoice?: ToolChoice;
}

/**
 * Creates a Mixture-of-Agents graph (Wang et al. 2024): layers of proposers, each seeing the
 * previous layer's answers through the Aggregate-and-Synthesize prompt, then one aggregator.
 *
 * Returns an **uncompiled** `StateGraph`, so you choose the checkpointer and name at
 * `.compile()`. Arguments are checked before anything is built; nothing is called until the
 * graph runs.
 *
 * @example
 * ```ts
 * import { ChatOpenAI } from "@langchain/openai";
 * import { HumanMessage } from "@langchain/core/messages";
 * import { createMixtureOfAgents } from "langgraph-moa";
 *
 * const model = (name: string) => new ChatOpenAI({ model: name, temperature: 0.7 });
 * const graph = createMixtureOfAgents({
 *   proposers: [model("gpt-4o-mini"), model("gpt-4.1-mini"), model("gpt-4.1-nano")],
 *   aggregator: model("gpt-4o"),
 *   layers: 3,
 * }).compile();
 *
 * const result = await graph.invoke({ messages: [new HumanMessage("Why is the sky blue?")] });
 * console.log(result.messages.at(-1)?.content, result.proposals.length);
 * ```
 */
export function createMixtureOfAgents(params: CreateMixtureOfAgentsParams): MoaStateGraph {
  const plan = resolvePlan(params);
  return buildMoaGraph({
    getPlan: () => plan,
    finalNodes: [plan.aggregation],
    streamProposerTokens: params.streamProposerTokens ?? true,
  });
}
