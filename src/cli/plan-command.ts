import type { Command } from "commander";
import Table from "cli-table3";
import { estimatePlan, type PlanEstimate } from "../ablation/estimate-plan.js";
import { findParameters } from "../ablation/model-parameters.js";
import { describeConfig } from "../ablation/results-table.js";
import { parseMoaConfig, type ResolvedMoaConfig } from "../config/moa-config.js";
import { DEFAULT_BUDGET_CHECK, DEFAULT_EXPECTED_OUTPUT_TOKENS } from "../plan/resolve-plan.js";
import { findPrice, LOCAL_PRICE_SOURCE, type PriceRow } from "../models/price-table.js";
import { loadParameterTable, PARAMETER_FILE_HELP } from "./ablate-parameter-file.js";
import { CliError, EXIT } from "./cli-error.js";
import { describeRunConfiguration } from "./config-description.js";
import { formatContextWarning } from "./context-warnings.js";
import type { CliIo } from "./cli-io.js";
import { integerFlag } from "./eval-options.js";
import { addModelOptions, flagsToConfig, type ModelFlags } from "./model-options.js";
import { loadPriceTable, PRICE_FILE_HELP } from "./price-file.js";

interface PlanFlags extends ModelFlags {
  promptTokens?: string;
  outputTokens?: string;
  tokensPerSecond?: string;
  firstTokenMs?: string;
  prices?: string;
  parameters?: string;
  json?: boolean;
}

/** Default expected prompt: a typical AlpacaEval instruction is well under this. */
const DEFAULT_PROMPT_TOKENS = 200;

/**
 * Registers `moa plan`: a pre-flight estimate of one query for a configuration (calls, tokens,
 * list-price cost, TFLOPs and critical-path latency per layer) from expected prompt and output
 * lengths, before spending anything. No model is built and no key is needed.
 */
export function registerPlanCommand(program: Command, io: CliIo): void {
  addModelOptions(
    program
      .command("plan")
      .description(
        "estimate one query's cost, tokens, TFLOPs and critical-path latency for a configuration, before spending anything",
      ),
  )
    .option(
      "--prompt-tokens <n>",
      `expected tokens of the prompt (default ${DEFAULT_PROMPT_TOKENS})`,
    )
    .option(
      "--output-tokens <n>",
      `expected tokens of each answer (default: --expected-output-tokens, else ${DEFAULT_EXPECTED_OUTPUT_TOKENS}); the upper bound at --max-tokens is shown too`,
    )
    .option(
      "--tokens-per-second <n>",
      "assumed decoding speed of every model, for the latency estimate (default 50)",
    )
    .option("--first-token-ms <ms>", "assumed time to first token of every call (default 500)")
    .option("--prices <file>", PRICE_FILE_HELP)
    .option("--parameters <file>", PARAMETER_FILE_HELP)
    .option("--json", "print the estimate as one JSON object")
    .action((flags: PlanFlags) => {
      io.exitCode = runPlan(flags, io);
    });
}

function runPlan(flags: PlanFlags, io: CliIo): number {
  const config = parseMoaConfig(flagsToConfig(flags), "moa plan options");
  const promptTokens =
    integerFlag(flags.promptTokens, "--prompt-tokens", 0) ?? DEFAULT_PROMPT_TOKENS;
  const outputTokens = integerFlag(flags.outputTokens, "--output-tokens", 1);
  const firstTokenMs = integerFlag(flags.firstTokenMs, "--first-token-ms", 0);
  let tokensPerSecond: number | undefined;
  if (flags.tokensPerSecond !== undefined) {
    tokensPerSecond = Number(flags.tokensPerSecond);
    if (!(Number.isFinite(tokensPerSecond) && tokensPerSecond > 0)) {
      throw new CliError(
        `--tokens-per-second must be a number > 0, got "${flags.tokensPerSecond}".`,
      );
    }
  }
  const prices = loadPriceTable(flags.prices);
  const parameters = loadParameterTable(flags.parameters);
  const plan = (output: number | undefined) =>
    estimatePlan({
      config,
      promptTokens,
      ...(output !== undefined ? { outputTokens: output } : {}),
      prices,
      parameters,
      latency: {
        ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
        ...(tokensPerSecond !== undefined ? { tokensPerSecond } : {}),
      },
    });
  // The expectation (a typical answer, never above the cap) and the upper bound (every call
  // writes its cap): the budget check gates on one of them, `moa plan` shows both.
  const expectedOutput = Math.min(
    outputTokens ?? config.expectedOutputTokens ?? DEFAULT_EXPECTED_OUTPUT_TOKENS,
    config.maxTokens,
  );
  const estimate = plan(expectedOutput);
  const upperBound = plan(undefined);
  const models = [...new Set([...(config.layers > 1 ? config.proposers : []), config.aggregator])];
  const budget = budgetVerdict(config, { expected: estimate, upper: upperBound });
  if (flags.json) {
    io.stdout(
      `${JSON.stringify(
        {
          config: { ...config, description: describeRunConfiguration(config) },
          estimate,
          upperBound,
          budget,
          prices: models.flatMap((model) => findPrice(model, prices) ?? []),
          parameters: models.flatMap((model) => findParameters(model, parameters) ?? []),
        },
        null,
        2,
      )}\n`,
    );
    return planExitCode(budget);
  }
  io.stdout(`${formatPlan(config, estimate, io.color)}\n`);
  io.stdout(`${formatUpperBound(upperBound)}\n`);
  for (const model of models) {
    const price = findPrice(model, prices);
    const size = findParameters(model, parameters);
    io.stdout(
      `  ${model}: ${
        price ? describePrice(price) : "no price (cost unknown; add it with --prices)"
      }; ${
        size
          ? `${size.activeParametersB}B active of ${size.totalParametersB}B (${size.source})`
          : "no parameter count (TFLOPs unknown; add it with --parameters)"
      }\n`,
    );
  }
  if (budget) io.stdout(`${budget.message}\n`);
  return planExitCode(budget);
}

/** 1 when a budget was given and the plan does not fit it (scripts can gate a run on it). */
function planExitCode(budget: { fits: boolean } | undefined): number {
  return budget === undefined || budget.fits ? EXIT.ok : EXIT.failure;
}

/** The plan as a per-layer table with totals and its assumptions. */
export function formatPlan(
  config: ResolvedMoaConfig,
  estimate: PlanEstimate,
  color = false,
): string {
  const table = new Table({
    head: [
      "layer",
      "role",
      "calls",
      "input tokens",
      "output tokens",
      "cost $",
      "TFLOPs",
      "latency s",
    ],
    style: color ? {} : { head: [], border: [] },
    colAligns: ["right", "left", "right", "right", "right", "right", "right", "right"],
  });
  const usd = (value: number | undefined) => (value === undefined ? "unknown" : value.toFixed(4));
  const tflops = (value: number | undefined) =>
    value === undefined ? "unknown" : value.toFixed(1);
  for (const layer of estimate.layers) {
    table.push([
      layer.layer,
      layer.role,
      layer.calls,
      layer.inputTokens,
      layer.outputTokens,
      usd(layer.costUsd),
      tflops(layer.tflops),
      (layer.latencyMs / 1000).toFixed(1),
    ]);
  }
  table.push([
    "total",
    "",
    estimate.calls,
    estimate.inputTokens,
    estimate.outputTokens,
    usd(estimate.costUsd),
    tflops(estimate.tflops),
    (estimate.criticalPathMs / 1000).toFixed(1),
  ]);
  const { assumptions } = estimate;
  const output = assumptions.outputIsUpperBound
    ? `${assumptions.outputTokens} output tokens per call (the --max-tokens cap: an upper bound; pass --output-tokens for an expectation)`
    : `${assumptions.outputTokens} output tokens per call (expected; --output-tokens or --expected-output-tokens, default ${DEFAULT_EXPECTED_OUTPUT_TOKENS} ≈ a mean AlpacaEval answer)`;
  const lines = [
    `Plan for one query: ${describeConfig({
      proposers: [...config.proposers],
      samples: config.samples,
      aggregator: config.aggregator,
      layers: config.layers,
      aggregation: config.aggregation,
    })}`,
    `assumes ${assumptions.promptTokens} prompt tokens, ${output}, ${assumptions.firstTokenMs} ms to first token and ${assumptions.tokensPerSecond} tokens/s per call` +
      (config.aggregation === "rank"
        ? `, a ${assumptions.rankReplyTokens}-token ranker reply`
        : ""),
    table.toString(),
    "cost at list prices; TFLOPs = Σ over layers of the largest call's 2 × active parameters × tokens (the paper's latency proxy); latency = Σ over layers of the slowest call",
  ];
  if (estimate.unpriced.length)
    lines.push(`cost unknown for ${estimate.unpriced.join(", ")} (no price)`);
  if (estimate.unknownParameters.length)
    lines.push(`TFLOPs unknown for ${estimate.unknownParameters.join(", ")} (no parameter count)`);
  for (const warning of estimate.contextWarnings) lines.push(formatContextWarning(warning));
  return lines.join("\n");
}

function describePrice(price: PriceRow): string {
  const rate = `$${price.inputPerMillion} / $${price.outputPerMillion} per 1M in/out`;
  return price.source === LOCAL_PRICE_SOURCE
    ? `${rate} (${price.source})`
    : `${rate} (${price.source}, ${price.date})`;
}

/** One line with the upper bound: every call writes its full output cap. */
export function formatUpperBound(upper: PlanEstimate): string {
  const usd = upper.costUsd === undefined ? "cost unknown" : `$${upper.costUsd.toFixed(4)}`;
  return (
    `upper bound (every call writes its ${upper.assumptions.outputTokens}-token --max-tokens cap): ` +
    `${upper.calls} calls, ${upper.inputTokens + upper.outputTokens} tokens, ${usd}`
  );
}

function budgetVerdict(
  config: ResolvedMoaConfig,
  estimates: { expected: PlanEstimate; upper: PlanEstimate },
):
  | {
      check: "expected" | "upper";
      fits: boolean;
      expected: { fits: boolean; checks: string[] };
      upper: { fits: boolean; checks: string[] };
      message: string;
    }
  | undefined {
  if (config.maxRunTokens === undefined && config.maxCostUsd === undefined) return undefined;
  const check = config.budgetCheck ?? DEFAULT_BUDGET_CHECK;
  const expected = budgetChecks(config, estimates.expected);
  const upper = budgetChecks(config, estimates.upper);
  const gate = check === "expected" ? expected : upper;
  const other = check === "expected" ? upper : expected;
  const otherName = check === "expected" ? "upper" : "expected";
  const message =
    `budget (--budget-check ${check}): ${gate.fits ? "fits" : "does not fit"} (${gate.checks.join("; ")}); ` +
    `the ${otherName} estimate ${other.fits ? "fits" : "does not fit"} (${other.checks.join("; ")})`;
  return { check, fits: gate.fits, expected, upper, message };
}

function budgetChecks(
  config: ResolvedMoaConfig,
  estimate: PlanEstimate,
): { fits: boolean; checks: string[] } {
  const checks: string[] = [];
  let fits = true;
  const tokens = estimate.inputTokens + estimate.outputTokens;
  if (config.maxRunTokens !== undefined) {
    const ok = tokens <= config.maxRunTokens;
    fits &&= ok;
    checks.push(`${tokens} tokens ${ok ? "≤" : ">"} --budget-tokens ${config.maxRunTokens}`);
  }
  if (config.maxCostUsd !== undefined) {
    if (estimate.costUsd === undefined) {
      fits = false;
      checks.push(
        `cost unknown (no price for ${estimate.unpriced.join(", ")}): --budget-usd cannot be enforced`,
      );
    } else {
      const ok = estimate.costUsd <= config.maxCostUsd;
      fits &&= ok;
      checks.push(
        `$${estimate.costUsd.toFixed(4)} ${ok ? "≤" : ">"} --budget-usd ${config.maxCostUsd}`,
      );
    }
  }
  return { fits, checks };
}
