import { parseMoaConfig, type ResolvedMoaConfig } from "../config/moa-config.js";
import { InvalidConfigError } from "../errors/invalid-config-error.js";
import { PRESET_NAMES } from "../presets/presets.js";

/**
 * The virtual models a server offers: every preset under its own name, plus the entries of a
 * config file's object (name → MoA configuration in the shape of `MoaConfigSchema`, each
 * parsed with `parseMoaConfig`). A config entry of a preset's name replaces the preset.
 *
 * @example
 * ```ts
 * virtualModels({ "fast-moa": { preset: "moa-lite", layers: 2, proposers: ["openai:gpt-4o-mini"] } });
 * ```
 */
export function virtualModels(
  config: unknown = {},
  source = "serve config",
): Record<string, ResolvedMoaConfig> {
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new InvalidConfigError({
      source,
      issues: [{ path: "", message: "must be an object of model name → MoA configuration." }],
    });
  }
  const models: Record<string, ResolvedMoaConfig> = {};
  for (const preset of PRESET_NAMES) models[preset] = parseMoaConfig({ preset }, preset);
  for (const [name, entry] of Object.entries(config)) {
    models[name] = parseMoaConfig(entry, `${source} › ${name}`);
  }
  return models;
}
