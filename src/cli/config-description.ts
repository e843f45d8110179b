import { describeConfig } from "../ablation/results-table.js";
import type { ResolvedMoaConfig } from "../config/moa-config.js";
import { PRESETS } from "../presets/presets.js";

/**
 * One line describing the configuration that runs: the preset's own description when the
 * models, layers, samples and aggregation are the preset's, otherwise the configuration after
 * the overrides (e.g. `2 layers: a, b → c`), never a paper description that no longer applies.
 */
export function describeRunConfiguration(config: ResolvedMoaConfig): string {
  const preset = PRESETS[config.preset];
  const asPreset =
    preset.aggregator === config.aggregator &&
    preset.layers === config.layers &&
    preset.aggregation === config.aggregation &&
    preset.samples === config.samples &&
    preset.proposers.join("\n") === config.proposers.join("\n");
  if (asPreset) return preset.description;
  return describeConfig({
    proposers: [...config.proposers],
    samples: config.samples,
    aggregator: config.aggregator,
    layers: config.layers,
    aggregation: config.aggregation,
  });
}
