import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { isChatModel, modelName } from "../models/model-name.js";
import { withSampling } from "../models/with-sampling.js";
import type {
  AggregationStrategy,
  MoaPlan,
  ProposerSpec,
  ResolvedProposer,
} from "./proposer-spec.js";

/** Parameters of {@link createMixtureOfAgents}; every field is documented there. */
export interface MoaPlanParams {
  proposers?: ProposerSpec[];
  layerProposers?: ProposerSpec[][];
  layers?: number;
  aggregator: ProposerSpec;
  aggregation?: AggregationStrategy;
  minProposals?: number;
}

const DEFAULT_LAYERS = 3;

/**
 * Checks the factory arguments and resolves them into a {@link MoaPlan}: unique proposer ids,
 * models with per-proposer sampling applied, one proposer list per layer. Throws
 * {@link InvalidArgumentError} naming the parameter and the fix; never calls a model.
 */
export function resolvePlan(params: MoaPlanParams): MoaPlan {
  if (params == null || typeof params !== "object") {
    throw new InvalidArgumentError({
      parameter: "params",
      value: params,
      message: "pass an object such as `{ proposers: [modelA, modelB], aggregator: modelC }`.",
    });
  }
  const { proposers, layerProposers } = params;
  const aggregation = params.aggregation ?? "synthesize";
  if (aggregation !== "synthesize" && aggregation !== "rank") {
    throw new InvalidArgumentError({
      parameter: "aggregation",
      value: aggregation,
      message: 'use "synthesize" (the paper\'s aggregator) or "rank" (the LLM-ranker ablation).',
    });
  }
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

  const proposerLayers: ResolvedProposer[][] = [];
  for (let layer = 1; layer < layers; layer++) {
    const list = layerProposers ? layerProposers[layer - 1] : proposers;
    const parameter = layerProposers ? `layerProposers[${layer - 1}]` : "proposers";
    proposerLayers.push(resolveProposerList(list, parameter));
  }

  const aggregator = resolveProposer(params.aggregator, "aggregator", 0);
  if (aggregator.samples !== 1) {
    throw new InvalidArgumentError({
      parameter: "aggregator.samples",
      value: aggregator.samples,
      message: "the aggregator answers once; remove `samples` from the aggregator spec.",
    });
  }

  const minProposals = params.minProposals ?? 1;
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
  return { proposerLayers, aggregator, aggregation, minProposals };
}

/** Calls one layer makes: the sum of its proposers' samples. */
export function fanOut(proposers: readonly ResolvedProposer[]): number {
  return proposers.reduce((total, proposer) => total + proposer.samples, 0);
}

function resolveProposerList(
  list: ProposerSpec[] | undefined,
  parameter: string,
): ResolvedProposer[] {
  if (!Array.isArray(list) || list.length === 0) {
    throw new InvalidArgumentError({
      parameter,
      value: list,
      message:
        "must be a non-empty array of chat models or `{ model, id?, samples?, temperature?, maxTokens? }` objects.",
    });
  }
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
  if (isChatModel(spec)) return { id: modelName(spec), index, model: spec, samples: 1 };
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
  const { id, model, samples = 1, temperature, maxTokens } = spec;
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
  };
}

function describe(value: unknown): unknown {
  if (value == null || typeof value !== "object") return value;
  return `{ ${Object.keys(value).join(", ")} }`;
}
