import { z } from "zod";
import { InvalidConfigError } from "../errors/invalid-config-error.js";
import { DEFAULT_MOA_LIMITS, resolveLimits, type MoaLimits } from "../plan/moa-limits.js";
import { MAX_TIMER_DELAY_MS } from "../utils/timer-delay.js";
import { REFERENCE_FORMATS, type ReferenceFormat } from "../prompts/inject-references.js";
import type { BudgetCheck } from "../plan/proposer-spec.js";
import {
  DEFAULT_PRESET,
  PRESETS,
  PRESET_NAMES,
  type MoaPreset,
  type PresetName,
} from "../presets/presets.js";

const modelString = z
  .string()
  .regex(/^[A-Za-z][\w-]*:.+$/, 'must be a "provider:model" string such as "openai:gpt-4o"');

const timerMax = `must be ≤ ${MAX_TIMER_DELAY_MS} (about 24.8 days, the longest Node.js timer)`;

/**
 * Builds the configuration schema for the given size limits (`.max()` on the lists and counts,
 * so zod refuses an oversized list before it parses its items). {@link MoaConfigSchema} is the
 * schema of the default limits.
 */
export function createMoaConfigSchema(limits: Readonly<MoaLimits> = DEFAULT_MOA_LIMITS) {
  return z
    .object({
      preset: z
        .enum(PRESET_NAMES as [PresetName, ...PresetName[]], {
          error: `unknown preset; use one of ${PRESET_NAMES.join(", ")}`,
        })
        .default(DEFAULT_PRESET)
        .describe(
          `Starting configuration: ${PRESET_NAMES.join(", ")}. The other fields override it.`,
        ),
      proposers: z
        .array(modelString)
        .min(1, "needs at least one proposer")
        .max(
          limits.maxProposersPerLayer,
          `at most ${limits.maxProposersPerLayer} proposers (limit \`maxProposersPerLayer\`)`,
        )
        .optional()
        .describe(
          'Proposer models as "provider:model" strings (every proposer layer uses the same list).',
        ),
      aggregator: modelString
        .optional()
        .describe('The final aggregator (or ranker), "provider:model". Default: from the preset.'),
      layers: z
        .number()
        .int("must be a whole number")
        .min(1, "must be ≥ 1")
        .max(limits.maxLayers, `must be ≤ ${limits.maxLayers} (limit \`maxLayers\`)`)
        .optional()
        .describe(
          "Total layers including the final aggregation: 3 = MoA, 2 = MoA-Lite, 1 = aggregator alone.",
        ),
      aggregation: z
        .enum(["synthesize", "rank"])
        .optional()
        .describe(
          '"synthesize" (Aggregate-and-Synthesize) or "rank" (the LLM-ranker ablation). Default: from the preset.',
        ),
      samples: z
        .number()
        .int("must be a whole number")
        .min(1, "must be ≥ 1")
        .max(limits.maxSamples, `must be ≤ ${limits.maxSamples} (limit \`maxSamples\`)`)
        .optional()
        .describe(
          "Parallel samples per proposer in every layer (Self-MoA / single-proposer ablation).",
        ),
      temperature: z
        .number()
        .min(0, "must be ≥ 0")
        .max(2, "must be ≤ 2")
        .optional()
        .describe("Sampling temperature of every call (the paper: 0.7). Default: from the preset."),
      maxTokens: z
        .number()
        .int("must be a whole number")
        .min(1, "must be ≥ 1")
        .optional()
        .describe(
          "Output token cap of every call (the reference code: 2048). Default: from the preset.",
        ),
      minProposals: z
        .number()
        .int("must be a whole number")
        .min(1, "must be ≥ 1")
        .optional()
        .describe("Successful proposals each layer needs (quorum). Default 1."),
      callTimeoutMs: z
        .number()
        .int("must be a whole number")
        .min(1, "must be ≥ 1")
        .max(MAX_TIMER_DELAY_MS, timerMax)
        .optional()
        .describe(
          "Whole-call timeout of every model call in ms, streaming included. Default 300000.",
        ),
      retries: z
        .number()
        .int("must be a whole number")
        .min(0, "must be ≥ 0")
        .max(10, "must be ≤ 10")
        .optional()
        .describe(
          "Retries of a failed request (429 honouring Retry-After, 5xx, timeouts). Default 2.",
        ),
      stragglerGraceMs: z
        .number()
        .min(0, "must be ≥ 0")
        .max(MAX_TIMER_DELAY_MS, timerMax)
        .optional()
        .describe(
          "Once a layer's quorum is met, cancel the rest after this many ms. Default: wait for all.",
        ),
      maxCostUsd: z
        .number()
        .positive("must be > 0")
        .optional()
        .describe("Budget: refuse or stop the run above this cost in USD (list prices)."),
      maxRunTokens: z
        .number()
        .int("must be a whole number")
        .min(1, "must be ≥ 1")
        .optional()
        .describe("Budget: refuse or stop the run above this many tokens (all calls)."),
      referenceFormat: z
        .enum(REFERENCE_FORMATS as [ReferenceFormat, ...ReferenceFormat[]])
        .optional()
        .describe(
          '"paper" (the paper\'s numbered list, forgeable by a proposal) or "delimited" (each reference in escaped <reference> tags). Default "paper".',
        ),
      budgetCheck: z
        .enum(["expected", "upper"])
        .optional()
        .describe(
          'Budget: which pre-flight estimate refuses the run: "expected" (typical answers of `expectedOutputTokens`) or "upper" (every call at its full `maxTokens`). The running tally stops the run either way. Default "expected".',
        ),
      expectedOutputTokens: z
        .number()
        .int("must be a whole number")
        .min(1, "must be ≥ 1")
        .optional()
        .describe(
          "Budget: typical output tokens of one call for the expected estimate (AlpacaEval answers average ≈ 480). Default 500.",
        ),
    })
    .strict();
}

/**
 * The serializable MoA configuration: CLI flags, the `context` of deployed graphs and eval run
 * files all go through this one schema. Every field is optional and overrides the preset.
 * Counts are capped by {@link DEFAULT_MOA_LIMITS} (see {@link createMoaConfigSchema}).
 */
export const MoaConfigSchema = createMoaConfigSchema();

/** A configuration as written by a user (everything optional). */
export type MoaConfigInput = z.input<typeof MoaConfigSchema>;

/** A configuration with the preset applied: everything the graph needs, as strings. */
export interface ResolvedMoaConfig extends MoaPreset {
  preset: PresetName;
  minProposals: number;
  callTimeoutMs?: number;
  retries?: number;
  stragglerGraceMs?: number;
  maxCostUsd?: number;
  maxRunTokens?: number;
  referenceFormat?: ReferenceFormat;
  budgetCheck?: BudgetCheck;
  expectedOutputTokens?: number;
}

/**
 * Validates a serializable configuration and applies its preset. Throws
 * {@link InvalidConfigError} listing every problem (`source` names where it came from, e.g.
 * `"context"` or `"moa run options"`). `limits` (the deployment owner's, never the input's)
 * caps the counts; @default DEFAULT_MOA_LIMITS. Cross-field checks (a quorum larger than a layer, a
 * ranker without proposer layers) are reported here too, before any model is built.
 *
 * @example
 * ```ts
 * parseMoaConfig({ preset: "moa-lite", aggregator: "openai:gpt-4o" }, "context");
 * ```
 */
export function parseMoaConfig(
  input: unknown,
  source: string,
  limits?: Partial<MoaLimits>,
): ResolvedMoaConfig {
  const resolvedLimits = resolveLimits(limits);
  const schema = limits === undefined ? MoaConfigSchema : createMoaConfigSchema(resolvedLimits);
  const parsed = schema.safeParse(input ?? {});
  if (!parsed.success) {
    throw new InvalidConfigError({
      source,
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.join("."),
        message: describeIssue(issue),
      })),
    });
  }
  const { preset, ...overrides } = parsed.data;
  const base: MoaPreset = PRESETS[preset];
  const resolved: ResolvedMoaConfig = {
    ...base,
    proposers: overrides.proposers ?? [...base.proposers],
    aggregator: overrides.aggregator ?? base.aggregator,
    layers: overrides.layers ?? base.layers,
    aggregation: overrides.aggregation ?? base.aggregation,
    samples: overrides.samples ?? base.samples,
    temperature: overrides.temperature ?? base.temperature,
    maxTokens: overrides.maxTokens ?? base.maxTokens,
    minProposals: overrides.minProposals ?? 1,
    preset,
    callTimeoutMs: overrides.callTimeoutMs,
    retries: overrides.retries,
    stragglerGraceMs: overrides.stragglerGraceMs,
    maxCostUsd: overrides.maxCostUsd,
    maxRunTokens: overrides.maxRunTokens,
    referenceFormat: overrides.referenceFormat,
    budgetCheck: overrides.budgetCheck,
    expectedOutputTokens: overrides.expectedOutputTokens,
  };
  const issues = [];
  const fanOut = resolved.proposers.length * resolved.samples;
  if (resolved.layers > 1 && resolved.minProposals > fanOut) {
    issues.push({
      path: "minProposals",
      message: `a layer sends ${fanOut} call(s), so it can never reach ${resolved.minProposals}; lower it or add proposers.`,
    });
  }
  const calls = (resolved.layers - 1) * fanOut + 1;
  if (calls > resolvedLimits.maxCallsPerRun) {
    issues.push({
      path: "layers",
      message: `the run would make ${calls} model calls ((layers − 1) × proposers × samples + 1), above the limit of ${resolvedLimits.maxCallsPerRun}; use fewer layers, proposers or samples.`,
    });
  }
  if (resolved.aggregation === "rank" && resolved.layers < 2) {
    issues.push({
      path: "aggregation",
      message: '"rank" picks a proposal, so it needs `layers` ≥ 2.',
    });
  }
  if (issues.length > 0) throw new InvalidConfigError({ source, issues });
  return resolved;
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") {
    return `unknown option(s) ${issue.keys.map((key) => `\`${key}\``).join(", ")}; known options: ${Object.keys(
      MoaConfigSchema.shape,
    ).join(", ")}.`;
  }
  if (issue.code === "invalid_value" && issue.path[0] === "preset") {
    return `unknown preset; use one of ${PRESET_NAMES.join(", ")}.`;
  }
  return issue.message;
}
