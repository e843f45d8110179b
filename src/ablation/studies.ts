import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import type { AggregationStrategy } from "../plan/proposer-spec.js";
import { parseModelSpec, splitModelSpec } from "../models/parse-model-spec.js";
import { PAPER_PROPOSERS } from "../presets/presets.js";

/** The ablation studies of the paper that `runAblationStudy` (and `moa ablate`) run. */
export const STUDY_NAMES = ["ranker", "proposers", "roles", "layers"] as const;

/** One of {@link STUDY_NAMES}. */
export type StudyName = (typeof STUDY_NAMES)[number];

/** The serializable MoA configuration of one variant. */
export interface VariantConfig {
  /** Proposers of every proposer layer, `"provider:model"` (ignored when `layers` is 1). */
  proposers: string[];
  /** Samples per proposer per layer. */
  samples: number;
  /** The final aggregator (or ranker). */
  aggregator: string;
  /** Layers including the final aggregation. */
  layers: number;
  aggregation: AggregationStrategy;
}

/** One configuration of a study. */
export interface AblationVariant {
  /** Stable, file-name-safe id, e.g. `ranker-l3`, `single-n2`. */
  id: string;
  /** Human label for tables and plots. */
  label: string;
  /** Which line of the study it belongs to (plot colour), e.g. `aggregator`, `LLM-ranker`. */
  series: string;
  config: VariantConfig;
}

/** What a study is built from. */
export interface StudyOptions {
  /**
   * The models, `"provider:model"`. The first is the single proposer of the `proposers` study.
   * @default the paper's six (PAPER_PROPOSERS)
   */
  models?: readonly string[];
  /** The fixed aggregator. @default the first model (the paper: Qwen1.5-110B-Chat) */
  aggregator?: string;
  /**
   * Layers including the final aggregation: the largest layer count of `ranker` and `layers`,
   * the layer count of every `proposers` and `roles` variant.
   * @default 3 for `ranker` and `layers`, 2 for `proposers` and `roles` (the paper's ablations)
   */
  layers?: number;
}

/** Numbers of proposers the paper's `proposers` study uses (Table 3). */
export const PROPOSER_COUNTS: readonly number[] = [1, 2, 3, 6];

/**
 * Builds the variant grid of a study (checked before any call; throws
 * {@link InvalidArgumentError} naming the option):
 *
 * - `ranker`: aggregator vs LLM-ranker at every layer count 2…L (the paper's Figure 4a), plus the
 *   aggregator alone (`layers: 1`) as the shared baseline;
 * - `proposers`: n = 1, 2, 3, 6 proposers (up to the number of models, plus all of them), as n
 *   different models (`multi-n<n>`, the first n) and as the first model sampled n times
 *   (`single-n<n>`), with the fixed aggregator (Table 3); n = 1 is one variant;
 * - `roles`: each model as the aggregator with every model proposing (`aggregator-<model>`), and
 *   as the only proposer, sampled once per model, with the fixed aggregator
 *   (`proposer-<model>`) (Table 4);
 * - `layers`: 1…L layers with every model proposing and the fixed aggregator.
 *
 * @example
 * ```ts
 * buildStudy("proposers", { models: ["together:a", "together:b", "together:c"] }).map((v) => v.id);
 * // ["n1", "multi-n2", "single-n2", "multi-n3", "single-n3"]
 * ```
 */
export function buildStudy(study: StudyName, options: StudyOptions = {}): AblationVariant[] {
  if (!(STUDY_NAMES as readonly string[]).includes(study)) {
    throw new InvalidArgumentError({
      parameter: "study",
      value: study,
      message: `use one of ${STUDY_NAMES.join(", ")}.`,
    });
  }
  const models = [...(options.models ?? PAPER_PROPOSERS)];
  if (models.length === 0) {
    throw new InvalidArgumentError({
      parameter: "models",
      value: models,
      message: 'needs at least one "provider:model".',
    });
  }
  models.forEach((model, index) => parseModelSpec(model) && checkUnique(models, model, index));
  const aggregator = options.aggregator ?? models[0]!;
  parseModelSpec(aggregator);
  const defaultLayers = study === "ranker" || study === "layers" ? 3 : 2;
  const layers = options.layers ?? defaultLayers;
  const minimum = study === "layers" ? 1 : 2;
  if (!Number.isInteger(layers) || layers < minimum || layers > 10) {
    throw new InvalidArgumentError({
      parameter: "layers",
      value: layers,
      message: `must be a whole number from ${minimum} to 10 for the ${study} study (layers count the final aggregation: 2 = one proposer layer).`,
    });
  }
  const variant = (
    id: string,
    label: string,
    series: string,
    config: Partial<VariantConfig> & Pick<VariantConfig, "layers">,
  ): AblationVariant => ({
    id,
    label,
    series,
    config: {
      proposers: config.layers > 1 ? (config.proposers ?? models) : [],
      samples: config.layers > 1 ? (config.samples ?? 1) : 1,
      aggregator: config.aggregator ?? aggregator,
      layers: config.layers,
      aggregation: config.aggregation ?? "synthesize",
    },
  });
  const alone = variant("alone", `${shortName(aggregator)} alone (1 layer)`, "aggregator alone", {
    layers: 1,
  });
  switch (study) {
    case "ranker":
      return [
        alone,
        ...range(2, layers).flatMap((count) => [
          variant(`aggregator-l${count}`, `aggregator, ${count} layers`, "aggregator", {
            layers: count,
          }),
          variant(`ranker-l${count}`, `LLM-ranker, ${count} layers`, "LLM-ranker", {
            layers: count,
            aggregation: "rank",
          }),
        ]),
      ];
    case "layers":
      return range(1, layers).map((count) =>
        count === 1
          ? { ...alone, id: "l1" }
          : variant(`l${count}`, `${count} layers`, "layers", { layers: count }),
      );
    case "proposers": {
      const counts = PROPOSER_COUNTS.filter((count) => count <= models.length);
      if (!counts.includes(models.length)) counts.push(models.length);
      const single = models[0]!;
      return counts.flatMap((count) =>
        count === 1
          ? [
              variant("n1", `n = 1 (${shortName(single)})`, "n = 1", {
                layers,
                proposers: [single],
              }),
            ]
          : [
              variant(`multi-n${count}`, `n = ${count} different models`, "multiple models", {
                layers,
                proposers: models.slice(0, count),
              }),
              variant(
                `single-n${count}`,
                `n = ${count} samples of ${shortName(single)}`,
                "one model sampled n times",
                { layers, proposers: [single], samples: count },
              ),
            ],
      );
    }
    case "roles":
      return [
        ...models.map((model) =>
          variant(`aggregator-${slug(model)}`, `${shortName(model)} aggregates`, "as aggregator", {
            layers,
            aggregator: model,
          }),
        ),
        ...models.map((model) =>
          variant(
            `proposer-${slug(model)}`,
            `${shortName(model)} proposes ×${models.length}`,
            "as only proposer",
            { layers, proposers: [model], samples: models.length },
          ),
        ),
      ];
  }
}

/** The model part of a spec without its organisation: `together:Qwen/Qwen1.5-72B-Chat` → `Qwen1.5-72B-Chat`. */
export function shortName(spec: string): string {
  const { model } = splitModelSpec(spec);
  return model.slice(model.lastIndexOf("/") + 1);
}

/** A file-name-safe id of a model: lower case, runs of other characters turned into `-`. */
export function slug(spec: string): string {
  return (
    shortName(spec)
      .toLowerCase()
      .replace(/[^a-z0-9.]+/g, "-")
      .replace(/^-+|-+$/g, "") || "model"
  );
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from + 1) }, (_, index) => from + index);
}

function checkUnique(models: readonly string[], model: string, index: number): true {
  if (models.indexOf(model) !== index) {
    throw new InvalidArgumentError({
      parameter: "models",
      value: model,
      message: `lists ${model} twice; give each model once (use the proposers study for repeated samples).`,
    });
  }
  const clash = models.findIndex(
    (other, position) => position < index && slug(other) === slug(model),
  );
  if (clash >= 0) {
    throw new InvalidArgumentError({
      parameter: "models",
      value: model,
      message: `${models[clash]} and ${model} share the short name "${slug(model)}" that names their variants; compare models with different names.`,
    });
  }
  return true;
}
