import type { LayerBudget } from "./budget-analysis.js";
import type { PairedComparisons } from "./paired-comparison.js";
import { shortName, type VariantConfig } from "./studies.js";
import type { AblationStudyResult, VariantResult } from "./study-result.js";

/**
 * One line description of a variant's configuration, e.g.
 * `2 layers: Qwen1.5-110B-Chat, Qwen1.5-72B-Chat → Qwen1.5-110B-Chat`, `… ×3 → … (ranks)`.
 */
export function describeConfig(config: VariantConfig): string {
  if (config.layers === 1) return `${shortName(config.aggregator)} alone`;
  const proposers = config.proposers.map(shortName).join(", ");
  const samples = config.samples > 1 ? ` ×${config.samples}` : "";
  const verb = config.aggregation === "rank" ? " (ranks)" : "";
  return `${config.layers} layers: ${proposers}${samples} → ${shortName(config.aggregator)}${verb}`;
}

/** Number formatting shared by the table and the CSV. */
const format = {
  score: (value: number | undefined) =>
    value === undefined || !Number.isFinite(value) ? "—" : value.toFixed(2),
  usd: (value: number | undefined) =>
    value === undefined ? "unknown" : value === 0 ? "0" : value.toPrecision(3),
  tflops: (value: number | undefined) =>
    value === undefined ? "unknown" : value >= 100 ? value.toFixed(0) : value.toPrecision(3),
  seconds: (ms: number) => (ms / 1000).toFixed(2),
  tokens: (value: number) => Math.round(value).toLocaleString("en-US"),
};

function paperCell(result: VariantResult): string {
  const paper = result.paper;
  if (paper === undefined) return "—";
  const where = paper.source.replace(/^.*\), /, "");
  return paper.value === undefined ? `figure only · ${where}` : `${paper.value} · ${where}`;
}

function scoreCell(result: VariantResult): string {
  const score = result.score;
  if (score === undefined) return "not judged";
  const error = score.standardError !== undefined ? ` ± ${score.standardError.toFixed(2)}` : "";
  return `${format.score(score.value)}${error}`;
}

function tokensPerQuery(result: VariantResult): number {
  const { budget } = result;
  return budget.runs === 0 ? 0 : (budget.inputTokens + budget.outputTokens) / budget.runs;
}

/**
 * The study's results as Markdown: the setup, one row per variant (score next to the paper's
 * figure, tokens, cost, TFLOPs, critical-path latency and wall time), the cache hit rate, a
 * per-layer budget table, and the price and parameter rows used with their sources.
 */
export function formatResultsMarkdown(result: AblationStudyResult): string {
  const lines: string[] = [];
  const instances = result.maxInstances === undefined ? "all" : String(result.maxInstances);
  lines.push(`# Ablation study: ${result.study} (${result.benchmark})`, "");
  if (result.simulated) {
    lines.push(
      "> **SIMULATED**: every model and the judge were the loopback simulator. The numbers are synthetic and say nothing about real models; they exercise the pipeline.",
      "",
    );
  }
  lines.push(
    `- judge: \`${result.judge}\`; instances per variant: ${instances}; temperature ${result.settings.temperature}, max tokens ${result.settings.maxTokens}`,
    `- score: ${result.metric.title}; budget columns are means per query (one MoA run; an MT-Bench question has two)`,
    `- proposer/aggregator calls of all variants: ${result.sharing.calls}, made once: ${result.sharing.calls - result.sharing.cachedCalls}, replayed from the shared cache: ${result.sharing.cachedCalls} (**cache hit rate ${percent(result.sharing.rate)}**)`,
    result.cache.calls > 0
      ? `- this run: ${result.cache.calls} calls, ${result.cache.misses} made, ${result.cache.hits} from the cache (${percent(result.cache.hitRate)})`
      : "- this run: no model calls (every answer was already on disk)",
    `- judge: ${result.judgeUsage.inputTokens + result.judgeUsage.outputTokens} tokens, $${result.judgeCostUsd.toFixed(4)} at list prices, ${result.judgeCacheHits} replies from the judgment cache`,
    "",
  );
  lines.push(
    `| variant | configuration | ${result.metric.column} | paper | tokens / query | cost / query (USD) | TFLOPs / query | critical path (s) | wall (s) | calls cached |`,
    "|---|---|---:|---|---:|---:|---:|---:|---:|---:|",
  );
  for (const variant of result.variants) {
    const { budget } = variant;
    lines.push(
      `| \`${variant.variant.id}\` | ${describeConfig(variant.variant.config)} | ${scoreCell(variant)} | ${paperCell(variant)} | ` +
        `${format.tokens(tokensPerQuery(variant))} | ${format.usd(budget.meanCostUsd)} | ${format.tflops(budget.meanTflops)} | ` +
        `${format.seconds(budget.meanCriticalPathMs)} | ${format.seconds(variant.generationWallTimeMs)} | ${budget.cachedCalls}/${budget.calls} |`,
    );
  }
  lines.push("");
  const notes = result.variants.filter((variant) => variant.paper?.note);
  const problems = result.variants.filter(
    (variant) => variant.failures > 0 || variant.missingRuns > 0,
  );
  if (notes.length || problems.length) {
    lines.push("Notes:", "");
    for (const variant of notes)
      lines.push(`- \`${variant.variant.id}\` paper figure: ${variant.paper!.note}.`);
    for (const variant of problems) {
      lines.push(
        `- \`${variant.variant.id}\`: ${variant.failures} instance(s) failed, ${variant.missingRuns} quer(ies) without a budget; rerun the same command to retry.`,
      );
    }
    lines.push("");
  }
  lines.push(
    "Cost is at list prices (table below); TFLOPs follow the paper: per layer the maximum over its parallel calls of 2 × active parameters × (prompt + completion tokens), summed over layers. " +
      "The critical path is the sum over layers of the slowest call, from measured latencies (a cached call counts with its original latency); wall time is what this study spent, cache included.",
    "",
  );
  if (result.comparisons) lines.push(...comparisonLines(result.comparisons));
  const plots = [result.files.costPlot, result.files.tflopsPlot];
  const plotLines = plots
    .filter((plot) => plot !== undefined)
    .map((plot) => `![${basename(plot!.png).replace(/\.png$/, "")}](${basename(plot!.png)})`);
  if (plotLines.length) lines.push(...plotLines, "");
  const omitted = [...new Set(plots.flatMap((plot) => plot?.omitted ?? []))];
  if (omitted.length)
    lines.push(`Not plotted (unknown price, parameters or score): ${omitted.join(", ")}.`, "");

  lines.push("## Per-layer budget (mean per query)", "");
  lines.push(
    "| variant | layer | role | calls | input tokens | output tokens | cost (USD) | TFLOPs | latency (s) |",
    "|---|---:|---|---:|---:|---:|---:|---:|---:|",
  );
  for (const variant of result.variants) {
    for (const layer of variant.budget.layers) lines.push(layerRow(variant.variant.id, layer));
  }
  lines.push("");
  const models = new Set(
    result.variants.flatMap((variant) => [
      ...variant.variant.config.proposers,
      variant.variant.config.aggregator,
    ]),
  );
  lines.push(
    "## Prices used",
    "",
    "| model | input / 1M | output / 1M | source | date |",
    "|---|---:|---:|---|---|",
  );
  for (const row of result.prices) {
    lines.push(
      `| ${row.provider}:${row.model} | $${row.inputPerMillion} | $${row.outputPerMillion} | ${row.source} | ${row.date} |`,
    );
  }
  const unpriced = [...models].filter((model) =>
    result.variants.some((variant) => variant.budget.unpriced.includes(model)),
  );
  if (unpriced.length)
    lines.push("", `No price (cost unknown, never guessed): ${unpriced.join(", ")}.`);
  lines.push(
    "",
    "## Parameter counts used",
    "",
    "| model | active (B) | total (B) | source | note |",
    "|---|---:|---:|---|---|",
  );
  for (const row of result.parameters) {
    lines.push(
      `| ${row.provider ? `${row.provider}:` : ""}${row.model} | ${row.activeParametersB} | ${row.totalParametersB} | ${row.source} | ${row.note ?? ""} |`,
    );
  }
  const unknown = [...models].filter((model) =>
    result.variants.some((variant) => variant.budget.unknownParameters.includes(model)),
  );
  if (unknown.length)
    lines.push("", `No parameter count (TFLOPs unknown, never guessed): ${unknown.join(", ")}.`);
  lines.push("");
  return lines.join("\n");
}

/**
 * The paired comparisons as a Markdown section: per variant, the mean per-instance difference
 * from the reference with its 95 % paired-bootstrap interval and p-value, and the sign test.
 */
function comparisonLines(paired: PairedComparisons): string[] {
  const reference = `\`${paired.reference}\``;
  const lines = [
    `## Paired comparisons against ${reference}`,
    "",
    `Per instance: ${paired.instanceScore}. Difference = variant − ${reference}, the mean over the instances both were judged on; ` +
      `95% CI and p from a paired bootstrap (${paired.resamples.toLocaleString("en-US")} resamples, seed \`${paired.seed}\`); ` +
      "sign test: instances won / lost / tied against the reference, exact two-sided p (ties left out).",
    "",
  ];
  if (paired.comparisons.length === 0) {
    lines.push("No other variant has per-instance scores to compare.", "");
    return lines;
  }
  lines.push(
    "| variant | pairs | difference | 95% CI | p (bootstrap) | won / lost / tied | p (sign test) |",
    "|---|---:|---:|---|---:|---:|---:|",
  );
  for (const row of paired.comparisons) {
    const { wins, losses, ties, pValue } = row.signTest;
    lines.push(
      `| \`${row.variant}\` | ${row.pairs} | ${signed(row.difference)} | [${signed(row.low)}, ${signed(row.high)}] | ` +
        `${pCell(row.pValue)} | ${wins} / ${losses} / ${ties} | ${pCell(pValue)} |`,
    );
  }
  lines.push("");
  return lines;
}

function signed(value: number): string {
  if (!Number.isFinite(value)) return "—";
  const text = value.toFixed(2);
  return value > 0 ? `+${text}` : text === "-0.00" ? "0.00" : text;
}

function pCell(value: number): string {
  return value < 0.001 ? "< 0.001" : value.toFixed(3);
}

function percent(rate: number): string {
  return `${(100 * rate).toFixed(1)}%`;
}

function layerRow(id: string, layer: LayerBudget): string {
  return (
    `| \`${id}\` | ${layer.layer} | ${layer.role} | ${round(layer.calls)} | ${format.tokens(layer.inputTokens)} | ` +
    `${format.tokens(layer.outputTokens)} | ${format.usd(layer.costUsd)} | ${format.tflops(layer.tflops)} | ${format.seconds(layer.criticalPathMs)} |`
  );
}

function round(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(2);
}

function basename(path: string): string {
  return path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
}

/** Column names of {@link formatResultsCsv}, in order. */
export const RESULTS_CSV_COLUMNS = [
  "study",
  "benchmark",
  "variant",
  "label",
  "series",
  "layers",
  "aggregation",
  "proposers",
  "samples",
  "aggregator",
  "score",
  "score_standard_error",
  "score_metric",
  "paper_value",
  "paper_source",
  "judged",
  "queries",
  "calls",
  "cached_calls",
  "input_tokens",
  "output_tokens",
  "tokens_per_query",
  "cost_usd",
  "cost_per_query_usd",
  "tflops_per_query",
  "critical_path_s_per_query",
  "generation_wall_s",
  "failures",
  "unpriced_models",
  "unknown_parameter_models",
] as const;

/**
 * The study's results as CSV (RFC 4180 quoting, one row per variant, raw numbers; empty cells for
 * unknown values). Columns: {@link RESULTS_CSV_COLUMNS}.
 */
export function formatResultsCsv(result: AblationStudyResult): string {
  const rows = result.variants.map((variant) => {
    const { budget, variant: definition } = variant;
    const values: Record<(typeof RESULTS_CSV_COLUMNS)[number], unknown> = {
      study: result.study,
      benchmark: result.benchmark,
      variant: definition.id,
      label: definition.label,
      series: definition.series,
      layers: definition.config.layers,
      aggregation: definition.config.aggregation,
      proposers: definition.config.proposers.join(";"),
      samples: definition.config.samples,
      aggregator: definition.config.aggregator,
      score: variant.score?.value,
      score_standard_error: variant.score?.standardError,
      score_metric: result.metric.title,
      paper_value: variant.paper?.value,
      paper_source: variant.paper?.source,
      judged: variant.score?.judged ?? 0,
      queries: budget.runs,
      calls: budget.calls,
      cached_calls: budget.cachedCalls,
      input_tokens: budget.inputTokens,
      output_tokens: budget.outputTokens,
      tokens_per_query: tokensPerQuery(variant),
      cost_usd: budget.costUsd,
      cost_per_query_usd: budget.meanCostUsd,
      tflops_per_query: budget.meanTflops,
      critical_path_s_per_query: budget.meanCriticalPathMs / 1000,
      generation_wall_s: variant.generationWallTimeMs / 1000,
      failures: variant.failures,
      unpriced_models: budget.unpriced.join(";"),
      unknown_parameter_models: budget.unknownParameters.join(";"),
    };
    return RESULTS_CSV_COLUMNS.map((column) => csvCell(values[column])).join(",");
  });
  return [RESULTS_CSV_COLUMNS.join(","), ...rows].join("\r\n") + "\r\n";
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
