import { Option, type Command } from "commander";
import { PRESET_NAMES } from "../presets/presets.js";
import type { MoaConfigInput } from "../config/moa-config.js";
import { CliError } from "./cli-error.js";

/** The model options shared by `moa run`, `moa eval generate` and friends. */
export interface ModelFlags {
  preset?: string;
  proposers?: string;
  aggregator?: string;
  layers?: string;
  aggregation?: string;
  samples?: string;
  temperature?: string;
  maxTokens?: string;
  minProposals?: string;
  timeoutMs?: string;
  retries?: string;
  stragglerGraceMs?: string;
  budgetUsd?: string;
  budgetTokens?: string;
  referenceFormat?: string;
  budgetCheck?: string;
  expectedOutputTokens?: string;
}

/** Adds the model options to a command. */
export function addModelOptions(command: Command): Command {
  return command
    .addOption(new Option("--preset <name>", "starting configuration").choices(PRESET_NAMES))
    .option("--proposers <models>", 'comma-separated "provider:model" list')
    .option("--aggregator <model>", 'final aggregator, "provider:model"')
    .option(
      "--layers <n>",
      "layers including the final aggregation (3 = MoA, 2 = MoA-Lite, 1 = aggregator alone)",
    )
    .addOption(
      new Option("--aggregation <mode>", "synthesize, or rank (LLM-ranker)").choices([
        "synthesize",
        "rank",
      ]),
    )
    .option("--samples <k>", "parallel samples per proposer")
    .option("--temperature <t>", "sampling temperature of every call")
    .option("--max-tokens <n>", "output token cap of every call")
    .option("--min-proposals <n>", "successful proposals each layer needs")
    .option("--timeout-ms <ms>", "whole-call timeout of every model call (default 300000)")
    .option(
      "--retries <n>",
      "retries of a failed request: 429 (honouring Retry-After), 5xx, timeouts (default 2)",
    )
    .option(
      "--straggler-grace-ms <ms>",
      "once a layer's quorum is met, cancel the rest after this long",
    )
    .option("--budget-usd <usd>", "refuse or stop the run above this cost (list prices)")
    .option("--budget-tokens <n>", "refuse or stop the run above this many tokens")
    .addOption(
      new Option(
        "--reference-format <format>",
        "how references reach the aggregator: paper (numbered list, the default) or delimited (escaped <reference> tags a proposal cannot forge)",
      ).choices(["paper", "delimited"]),
    )
    .addOption(
      new Option(
        "--budget-check <estimate>",
        "which pre-flight estimate refuses a budgeted run: expected (typical answers; default) or upper (every call at --max-tokens); the running tally stops the run either way",
      ).choices(["expected", "upper"]),
    )
    .option(
      "--expected-output-tokens <n>",
      "typical output tokens of one call, for the expected estimate (default 500)",
    );
}

/**
 * Turns the flags into a configuration input for `parseMoaConfig` (which reports every invalid
 * value). Numbers must be numbers: `--layers three` is a usage error here.
 */
export function flagsToConfig(flags: ModelFlags): MoaConfigInput {
  const config: Record<string, unknown> = {};
  if (flags.preset !== undefined) config.preset = flags.preset;
  if (flags.proposers !== undefined) {
    config.proposers = flags.proposers
      .split(",")
      .map((spec) => spec.trim())
      .filter(Boolean);
  }
  if (flags.aggregator !== undefined) config.aggregator = flags.aggregator;
  if (flags.aggregation !== undefined) config.aggregation = flags.aggregation;
  if (flags.referenceFormat !== undefined) config.referenceFormat = flags.referenceFormat;
  if (flags.budgetCheck !== undefined) config.budgetCheck = flags.budgetCheck;
  const numbers: [keyof ModelFlags, string, string][] = [
    ["layers", "layers", "--layers"],
    ["samples", "samples", "--samples"],
    ["temperature", "temperature", "--temperature"],
    ["maxTokens", "maxTokens", "--max-tokens"],
    ["minProposals", "minProposals", "--min-proposals"],
    ["timeoutMs", "callTimeoutMs", "--timeout-ms"],
    ["retries", "retries", "--retries"],
    ["stragglerGraceMs", "stragglerGraceMs", "--straggler-grace-ms"],
    ["budgetUsd", "maxCostUsd", "--budget-usd"],
    ["budgetTokens", "maxRunTokens", "--budget-tokens"],
    ["expectedOutputTokens", "expectedOutputTokens", "--expected-output-tokens"],
  ];
  for (const [flag, key, name] of numbers) {
    const raw = flags[flag];
    if (raw === undefined) continue;
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value)) {
      throw new CliError(`${name} must be a number, got "${raw}".`);
    }
    config[key] = value;
  }
  return config as MoaConfigInput;
}
