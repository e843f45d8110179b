import type { BindToolsInput, ToolChoice } from "@langchain/core/language_models/chat_models";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { isChatModel, modelName } from "../models/model-name.js";
import { withSampling } from "../models/with-sampling.js";
import { knownContextWindow } from "../context/context-windows.js";
import { REFERENCE_FORMATS, type ReferenceFormat } from "../prompts/inject-references.js";
import type { TokenPrice } from "../models/price-table.js";
import { checkTimerDelay } from "../utils/timer-delay.js";
import { resolveLimits, type MoaLimits } from "./moa-limits.js";
import type {
  AggregationStrategy,
  BudgetCheck,
  MoaPlan,
  ProposerSpec,
  ResolvedAggregatorFallback,
  ResolvedBudget,
  ResolvedProposer,
} from "./proposer-spec.js";

/** A run's budget (see {@link CreateMixtureOfAgentsParams.budget}). */
export interface RunBudget {
  /** Refuse or stop the run above this many US dollars. */
  maxCostUsd?: number;
  /** Refuse or stop the run above this many tokens (input + output, every call). */
  maxTokens?: number;
  /** USD per million tokens, keyed by proposer id or model name. Unknown prices are never guessed. */
  prices?: Record<string, TokenPrice>;
  /** Output tokens the pre-flight estimate assumes for a call with no `maxTokens`. @default 2048 */
  assumedOutputTokens?: number;
  /**
   * Typical output tokens of one call, for the expected-cost estimate (a call with a smaller cap
   * writes its cap). @default DEFAULT_EXPECTED_OUTPUT_TOKENS (500)
   */
  expectedOutputTokens?: number;
  /**
   * Which pre-flight estimate refuses the run: `"expected"` (typical answers of
   * `expectedOutputTokens`) or `"upper"` (every call writes its full cap: a run that passes can
   * never cost more). The running tally stops the run once a cap is crossed either way.
   * @default DEFAULT_BUDGET_CHECK ("expected")
   */
  check?: BudgetCheck;
}

/**
 * Default of `budget.expectedOutputTokens`: the AlpacaEval 2.0 answers of the paper's models and
 * MoA runs (13 output files × 805) average 1,141–1,969 characters per file, pooled mean 1,677,
 * ≈ 479 tokens at 3.5 characters per token; rounded up to 500.
 */
export const DEFAULT_EXPECTED_OUTPUT_TOKENS = 500;

/**
 * Default of `budget.check`: the expected estimate. The upper bound prices every call at its
 * 2048-token cap and refuses runs that cost a fraction of it; the running tally stays the hard
 * stop.
 */
export const DEFAULT_BUDGET_CHECK: BudgetCheck = "expected";

/** Default whole-call timeout: long enough for a 2k-token answer from a slow large model. */
export const DEFAULT_CALL_TIMEOUT_MS = 300_000;

/** Parameters of {@link createMixtureOfAgents}; every field is documented there. */
export interface MoaPlanParams {
  proposers?: ProposerSpec[];
  layerProposers?: ProposerSpec[][];
  layers?: number;
  aggregator: ProposerSpec;
  aggregation?: AggregationStrategy;
  minProposals?: number;
  callTimeoutMs?: number;
  stragglerGraceMs?: number;
  aggregatorFallback?: ProposerSpec | "first-proposal";
  budget?: RunBudget;
  contextWindows?: Record<string, number>;
  referenceFormat?: ReferenceFormat;
  limits?: Partial<MoaLimits>;
  aggregatorTools?: BindToolsInput[];
  aggregatorToolChoice?: ToolChoice;
}

const DEFAULT_LAYERS = 3;

/**
 * Checks the factory arguments and resolves them into a {@link MoaPlan}: unique proposer ids,
 * models with per-proposer sampling applied, one proposer list per layer. Throws
 * {@link InvalidArgumentError} naming the parameter and the fix; never calls a model.
 *
 * The steps run in a fixed order (cheap shape checks first, sizes before any list is resolved),
 * so a call with several mistakes always reports the same one.
 */
export function resolvePlan(params: MoaPlanParams): MoaPlan {
  checkParamsObject(params);
  checkToolChoice(params);
  const limits = resolveLimits(params.limits);
  const aggregation = resolveAggregation(params.aggregation ?? "synthesize");
  const referenceFormat = resolveReferenceFormat(params.referenceFormat ?? "paper");
  const layers = resolveLayerCount(params, aggregation, limits);
  const proposerLayers = resolveProposerLayers(params, layers, limits);
  const aggregator = resolveAggregator(params.aggregator);
  const minProposals = resolveMinProposals(params.minProposals ?? 1, proposerLayers);
  const callTimeoutMs = resolveTimeouts(params.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS, params);
  applyContextWindows(params.contextWindows ?? {}, [...proposerLayers.flat(), aggregator]);
  return {
    proposerLayers,
    aggregator,
    aggregation,
    minProposals,
    callTimeoutMs,
    stragglerGraceMs: params.stragglerGraceMs,
    aggregatorFallback: resolveAggregatorFallback(params.aggregatorFallback, layers),
    budget: resolveBudget(params.budget),
    referenceFormat,
    ...(params.aggregatorTools?.length
      ? {
          aggregatorTools: resolveAggregatorTools(params.aggregatorTools, aggregator),
          ...(params.aggregatorToolChoice !== undefined
            ? { aggregatorToolChoice: params.aggregatorToolChoice }
            : {}),
        }
      : {}),
  };
}

function checkToolChoice(params: MoaPlanParams): void {
  if (params.aggregatorToolChoice !== undefined && !params.aggregatorTools?.length) {
    throw new InvalidArgumentError({
      parameter: "aggregatorToolChoice",
      value: params.aggregatorToolChoice,
      message:
        "a tool choice needs tools: give `aggregatorTools` too, or remove `aggregatorToolChoice`.",
    });
  }
}

function resolveAggregatorTools(
  tools: BindToolsInput[],
  aggregator: ResolvedProposer,
): BindToolsInput[] {
  if (typeof aggregator.model.bindTools !== "function") {
    throw new InvalidArgumentError({
      parameter: "aggregatorTools",
      value: `${tools.length} tool(s)`,
      message: `the aggregator model "${aggregator.id}" has no \`bindTools\`; use a chat model that supports tool calling as \`aggregator\`, or remove \`aggregatorTools\`.`,
    });
  }
  return tools;
}

function checkParamsObject(params: MoaPlanParams): void {
  if (params == null || typeof params !== "object") {
    throw new InvalidArgumentError({
      parameter: "params",
      value: params,
      message: "pass an object such as `{ proposers: [modelA, modelB], aggregator: modelC }`.",
    });
  }
}

function resolveAggregation(aggregation: AggregationStrategy): AggregationStrategy {
  if (aggregation !== "synthesize" && aggregation !== "rank") {
    throw new InvalidArgumentError({
      parameter: "aggregation",
      value: aggregation,
      message: 'use "synthesize" (the paper\'s aggregator) or "rank" (the LLM-ranker ablation).',
    });
  }
  return aggregation;
}

function resolveReferenceFormat(referenceFormat: ReferenceFormat): ReferenceFormat {
  if (!REFERENCE_FORMATS.includes(referenceFormat)) {
    throw new InvalidArgumentError({
      parameter: "referenceFormat",
      value: referenceFormat,
      message:
        'use "paper" (the paper\'s numbered list) or "delimited" (references in escaped <reference> tags).',
    });
  }
  return referenceFormat;
}

/** The number of layers, checked against the proposer lists, the strategy and the limits. */
function resolveLayerCount(
  params: MoaPlanParams,
  aggregation: AggregationStrategy,
  limits: MoaLimits,
): number {
  const { proposers, layerProposers } = params;
  if (proposers !== undefined && layerProposers !== undefined) {
    throw new InvalidArgumentError({
      parameter: "layerProposers",
      value: "(both given)",
      message:
        "give either `proposers` (the same list for every layer) or `layerProposers`, not both.",
    });
  }

  let layers = params.layers;
  if (layers === undefined) layers = layerProposers ? layerProposers.length + 1 : DEFAULT_LAYERS;
  if (!Number.isInteger(layers) || layers < 1) {
    throw new InvalidArgumentError({
      parameter: "layers",
      value: layers,
      message:
        "must be a whole number ≥ 1 (3 = the paper's MoA, 2 = MoA-Lite, 1 = aggregator alone).",
    });
  }
  // Sizes are checked before any list is resolved or allocated: one request with `layers: 1e9`
  // or 10,000 proposers must fail here, not exhaust memory.
  if (layers > limits.maxLayers) {
    throw new InvalidArgumentError({
      parameter: layerProposers && params.layers === undefined ? "layerProposers" : "layers",
      value: layers,
      message: `${layers} layers is above the limit of ${limits.maxLayers}; use fewer layers, or raise \`limits.maxLayers\`.`,
    });
  }
  if (layerProposers !== undefined) {
    if (!Array.isArray(layerProposers) || layerProposers.length !== layers - 1) {
      throw new InvalidArgumentError({
        parameter: "layerProposers",
        value: Array.isArray(layerProposers) ? `${layerProposers.length} lists` : layerProposers,
        message: `needs one proposer list per proposer layer: ${layers - 1} list(s) for \`layers: ${layers}\` (layers counts the final aggregation too).`,
      });
    }
  }
  if (layers > 1 && proposers === undefined && layerProposers === undefined) {
    throw new InvalidArgumentError({
      parameter: "proposers",
      value: undefined,
      message: `\`layers: ${layers}\` needs proposers: pass \`proposers: [modelA, modelB, …]\` or \`layerProposers\`, or set \`layers: 1\` to let the aggregator answer alone.`,
    });
  }
  if (aggregation === "rank" && layers < 2) {
    throw new InvalidArgumentError({
      parameter: "aggregation",
      value: aggregation,
      message: 'the ranker picks one proposal, so `aggregation: "rank"` needs `layers` ≥ 2.',
    });
  }
  return layers;
}

/** One resolved proposer list per proposer layer, after the size limits are checked. */
function resolveProposerLayers(
  { proposers, layerProposers }: MoaPlanParams,
  layers: number,
  limits: MoaLimits,
): ResolvedProposer[][] {
  const layerLists: { list: ProposerSpec[]; parameter: string }[] = [];
  for (let layer = 1; layer < layers; layer++) {
    const list = layerProposers ? layerProposers[layer - 1] : proposers;
    const parameter = layerProposers ? `layerProposers[${layer - 1}]` : "proposers";
    checkLayerSize(list, parameter, limits);
    layerLists.push({ list, parameter });
  }
  checkCallsPerRun(layerLists, proposers !== undefined ? "proposers" : "layerProposers", limits);
  return layerLists.map(({ list, parameter }) => resolveProposerList(list, parameter));
}

function resolveAggregator(spec: ProposerSpec): ResolvedProposer {
  const aggregator = resolveProposer(spec, "aggregator", 0);
  if (aggregator.samples !== 1) {
    throw new InvalidArgumentError({
      parameter: "aggregator.samples",
      value: aggregator.samples,
      message: "the aggregator answers once; remove `samples` from the aggregator spec.",
    });
  }
  return aggregator;
}

function resolveMinProposals(
  minProposals: number,
  proposerLayers: readonly ResolvedProposer[][],
): number {
  const smallestLayer = Math.min(...proposerLayers.map(fanOut));
  if (!Number.isInteger(minProposals) || minProposals < 1) {
    throw new InvalidArgumentError({
      parameter: "minProposals",
      value: minProposals,
      message: "must be a whole number ≥ 1 (successful proposals needed in every layer).",
    });
  }
  if (proposerLayers.length > 0 && minProposals > smallestLayer) {
    throw new InvalidArgumentError({
      parameter: "minProposals",
      value: minProposals,
      message: `a layer sends only ${smallestLayer} call(s), so it can never reach ${minProposals} proposals; lower \`minProposals\` or add proposers.`,
    });
  }
  return minProposals;
}

/** Checks `callTimeoutMs` and `stragglerGraceMs`; returns the call timeout. */
function resolveTimeouts(
  callTimeoutMs: number,
  { stragglerGraceMs }: Pick<MoaPlanParams, "stragglerGraceMs">,
): number {
  checkTimerDelay(
    callTimeoutMs,
    "callTimeoutMs",
    "milliseconds a model call may take, streaming included",
  );
  if (stragglerGraceMs !== undefined) {
    checkTimerDelay(
      stragglerGraceMs,
      "stragglerGraceMs",
      "milliseconds to wait for stragglers once the quorum is met",
      { allowZero: true },
    );
  }
  return callTimeoutMs;
}

/**
 * Fills each proposer's context window for the context guard: its spec's, else `contextWindows`
 * by id, then by model name, else the built-in table.
 */
function applyContextWindows(
  contextWindows: Record<string, number>,
  proposers: readonly ResolvedProposer[],
): void {
  for (const [key, window] of Object.entries(contextWindows)) {
    positive(window, `contextWindows.${key}`, "the model's context window in tokens");
  }
  for (const proposer of proposers) {
    proposer.contextWindow ??=
      contextWindows[proposer.id] ??
      contextWindows[proposer.modelName] ??
      knownContextWindow(proposer.modelName);
  }
}

function resolveAggregatorFallback(
  aggregatorFallback: MoaPlanParams["aggregatorFallback"],
  layers: number,
): ResolvedAggregatorFallback | undefined {
  if (aggregatorFallback === "first-proposal") {
    if (layers < 2) {
      throw new InvalidArgumentError({
        parameter: "aggregatorFallback",
        value: "first-proposal",
        message:
          'there are no proposals with `layers: 1`; pass a fallback model instead of "first-proposal".',
      });
    }
    return "first-proposal";
  }
  if (aggregatorFallback === undefined) return undefined;
  return resolveProposer(aggregatorFallback, "aggregatorFallback", 0);
}

/** Calls one layer makes: the sum of its proposers' samples. */
export function fanOut(proposers: readonly ResolvedProposer[]): number {
  return proposers.reduce((total, proposer) => total + proposer.samples, 0);
}

function checkLayerSize(
  list: ProposerSpec[] | undefined,
  parameter: string,
  limits: MoaLimits,
): asserts list is ProposerSpec[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw new InvalidArgumentError({
      parameter,
      value: list,
      message:
        "must be a non-empty array of chat models or `{ model, id?, samples?, temperature?, maxTokens? }` objects.",
    });
  }
  if (list.length > limits.maxProposersPerLayer) {
    throw new InvalidArgumentError({
      parameter,
      value: `${list.length} proposers`,
      message: `${list.length} proposers in one layer is above the limit of ${limits.maxProposersPerLayer}; use fewer proposers, or raise \`limits.maxProposersPerLayer\`.`,
    });
  }
  list.forEach((spec, index) => {
    const samples = specSamples(spec);
    if (samples > limits.maxSamples) {
      throw new InvalidArgumentError({
        parameter: `${parameter}[${index}].samples`,
        value: samples,
        message: `${samples} samples is above the limit of ${limits.maxSamples}; use fewer samples, or raise \`limits.maxSamples\`.`,
      });
    }
  });
}

/** A spec's `samples` when it is a number (invalid values are reported by `resolveProposer`). */
function specSamples(spec: ProposerSpec): number {
  const samples = isChatModel(spec) ? 1 : (spec as { samples?: unknown } | null)?.samples;
  return typeof samples === "number" && samples > 1 ? samples : 1;
}

/**
 * Refuses a plan whose calls (every layer's samples, plus the final call) exceed the limit,
 * counted from the specs before they are resolved.
 */
function checkCallsPerRun(
  layerLists: readonly { list: ProposerSpec[] }[],
  parameter: string,
  limits: MoaLimits,
): void {
  let calls = 1;
  for (const { list } of layerLists) {
    for (const spec of list) calls += specSamples(spec);
  }
  if (calls > limits.maxCallsPerRun) {
    throw new InvalidArgumentError({
      parameter,
      value: `${calls} calls`,
      message: `the run would make ${calls} model calls (every layer's proposers × samples, plus the final call), above the limit of ${limits.maxCallsPerRun}; use fewer proposers, samples or layers, or raise \`limits.maxCallsPerRun\`.`,
    });
  }
}

function resolveProposerList(list: ProposerSpec[], parameter: string): ResolvedProposer[] {
  const resolved = list.map((spec, index) =>
    resolveProposer(spec, `${parameter}[${index}]`, index),
  );
  // Ids must be unique within a layer: they key the proposals and the stream metadata. An id
  // the caller chose keeps it; any other clash takes the first free `-2`, `-3`, … suffix that is
  // neither taken nor chosen elsewhere in the list (`[a, a, { id: "a-2", … }]`).
  const chosen = list.map((spec) => !isChatModel(spec) && spec.id !== undefined);
  const reserved = new Set(resolved.filter((_, index) => chosen[index]).map(({ id }) => id));
  const taken = new Set<string>();
  resolved.forEach((proposer, index) => {
    const base = proposer.id;
    const free = (id: string) =>
      !taken.has(id) && ((chosen[index] && id === base) || !reserved.has(id));
    for (let suffix = 2; !free(proposer.id); suffix++) proposer.id = `${base}-${suffix}`;
    taken.add(proposer.id);
  });
  return resolved;
}

function resolveProposer(spec: ProposerSpec, parameter: string, index: number): ResolvedProposer {
  if (isChatModel(spec)) {
    return {
      id: modelName(spec),
      index,
      model: spec,
      samples: 1,
      modelName: modelName(spec),
      maxOutputTokens: ownMaxTokens(spec),
    };
  }
  if (
    spec == null ||
    typeof spec !== "object" ||
    !isChatModel((spec as { model?: unknown }).model)
  ) {
    throw new InvalidArgumentError({
      parameter,
      value: describe(spec),
      message:
        'expected a LangChain chat model or `{ model: chatModel, … }` (use loadChatModel("provider:model") to build one from a string).',
    });
  }
  const { id, model, samples = 1, temperature, maxTokens, contextWindow } = spec;
  if (contextWindow !== undefined) {
    positive(contextWindow, `${parameter}.contextWindow`, "the model's context window in tokens");
  }
  if (id !== undefined && (typeof id !== "string" || id.trim() === "")) {
    throw new InvalidArgumentError({
      parameter: `${parameter}.id`,
      value: id,
      message: "must be a non-empty string.",
    });
  }
  if (!Number.isInteger(samples) || samples < 1) {
    throw new InvalidArgumentError({
      parameter: `${parameter}.samples`,
      value: samples,
      message: "must be a whole number ≥ 1.",
    });
  }
  if (temperature !== undefined && !(Number.isFinite(temperature) && temperature >= 0)) {
    throw new InvalidArgumentError({
      parameter: `${parameter}.temperature`,
      value: temperature,
      message: "must be a finite number ≥ 0 (the paper uses 0.7 for proposers).",
    });
  }
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && maxTokens >= 1)) {
    throw new InvalidArgumentError({
      parameter: `${parameter}.maxTokens`,
      value: maxTokens,
      message: "must be a whole number ≥ 1.",
    });
  }
  return {
    id: id?.trim() ?? modelName(model),
    index,
    model: withSampling(model, { temperature, maxTokens }, parameter),
    samples,
    modelName: modelName(model),
    maxOutputTokens: maxTokens ?? ownMaxTokens(model),
    contextWindow,
  };
}

function ownMaxTokens(model: object): number | undefined {
  const value = (model as { maxTokens?: unknown }).maxTokens;
  return typeof value === "number" && value > 0 ? value : undefined;
}

function positive(value: unknown, parameter: string, what: string): void {
  if (!(typeof value === "number" && Number.isFinite(value) && value > 0)) {
    throw new InvalidArgumentError({
      parameter,
      value,
      message: `must be a number > 0 (${what}).`,
    });
  }
}

function resolveBudget(budget: RunBudget | undefined): ResolvedBudget | undefined {
  if (budget === undefined) return undefined;
  if (budget.maxCostUsd === undefined && budget.maxTokens === undefined) {
    throw new InvalidArgumentError({
      parameter: "budget",
      value: budget,
      message: "set `maxCostUsd` and/or `maxTokens`, or leave `budget` out.",
    });
  }
  if (budget.maxCostUsd !== undefined)
    positive(budget.maxCostUsd, "budget.maxCostUsd", "US dollars");
  if (budget.maxTokens !== undefined)
    positive(budget.maxTokens, "budget.maxTokens", "tokens per run");
  const assumedOutputTokens = budget.assumedOutputTokens ?? 2048;
  positive(assumedOutputTokens, "budget.assumedOutputTokens", "tokens");
  const expectedOutputTokens = budget.expectedOutputTokens ?? DEFAULT_EXPECTED_OUTPUT_TOKENS;
  positive(expectedOutputTokens, "budget.expectedOutputTokens", "tokens per call");
  const check = budget.check ?? DEFAULT_BUDGET_CHECK;
  if (check !== "upper" && check !== "expected") {
    throw new InvalidArgumentError({
      parameter: "budget.check",
      value: check,
      message:
        'use "expected" (typical answers, `budget.expectedOutputTokens`) or "upper" (every call at its full cap).',
    });
  }
  const prices = budget.prices ?? {};
  for (const [key, price] of Object.entries(prices)) {
    if (!(price?.inputPerMillion >= 0 && price?.outputPerMillion >= 0)) {
      throw new InvalidArgumentError({
        parameter: `budget.prices.${key}`,
        value: price,
        message: "needs `inputPerMillion` and `outputPerMillion` (USD per million tokens, ≥ 0).",
      });
    }
  }
  return {
    maxCostUsd: budget.maxCostUsd,
    maxTokens: budget.maxTokens,
    prices,
    assumedOutputTokens,
    expectedOutputTokens,
    check,
  };
}

function describe(value: unknown): unknown {
  if (value == null || typeof value !== "object") return value;
  return `{ ${Object.keys(value).join(", ")} }`;
}
