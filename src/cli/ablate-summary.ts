import { relative } from "node:path";
import Table from "cli-table3";
import type { AblationStudyResult } from "../ablation/study-result.js";

/**
 * The terminal summary of a study: one row per variant (score, the paper's figure, cost,
 * TFLOPs, critical path and wall time per query), the cache hit rate and the files written.
 */
export function formatStudySummary(
  result: AblationStudyResult,
  options: { color?: boolean; cwd?: string } = {},
): string {
  const table = new Table({
    head: [
      "variant",
      result.metric.column,
      "paper",
      "$ / query",
      "TFLOPs / query",
      "critical path s",
      "wall s",
      "cached",
    ],
    style: options.color ? {} : { head: [], border: [] },
    colAligns: ["left", "right", "right", "right", "right", "right", "right", "right"],
  });
  for (const variant of result.variants) {
    const { budget } = variant;
    table.push([
      variant.variant.id,
      variant.score ? variant.score.value.toFixed(2) : "—",
      variant.paper?.value !== undefined
        ? String(variant.paper.value)
        : variant.paper
          ? "fig."
          : "—",
      budget.meanCostUsd === undefined ? "unknown" : budget.meanCostUsd.toPrecision(3),
      budget.meanTflops === undefined ? "unknown" : budget.meanTflops.toPrecision(3),
      (budget.meanCriticalPathMs / 1000).toFixed(2),
      (variant.generationWallTimeMs / 1000).toFixed(2),
      `${budget.cachedCalls}/${budget.calls}`,
    ]);
  }
  const show = (path: string) => {
    const near = options.cwd ? relative(options.cwd, path) : path;
    return near.startsWith("..") || near === "" ? path : near;
  };
  const plots = [result.files.costPlot, result.files.tflopsPlot].filter((plot) => plot);
  const lines = [
    `${result.simulated ? "SIMULATED " : ""}${result.study} study on ${result.benchmark} (${result.variants.length} variants, ${result.maxInstances ?? "all"} instances each, judge ${result.judge})`,
    table.toString(),
    `cache: ${result.sharing.cachedCalls} of ${result.sharing.calls} proposer/aggregator calls of the variants replayed from the shared cache (hit rate ${(100 * result.sharing.rate).toFixed(1)}%)` +
      (result.cache.calls > 0
        ? `; this run made ${result.cache.misses} call(s) and reused ${result.cache.hits}`
        : "; this run made no model calls (everything was on disk)"),
    `judge: $${result.judgeCostUsd.toFixed(4)} at list prices, ${result.judgeCacheHits} replies from the judgment cache`,
    `results: ${show(result.files.markdown)}, ${show(result.files.csv)}, ${show(result.files.json)}`,
    ...(plots.length
      ? [`plots: ${plots.map((plot) => `${show(plot!.svg)}, ${show(plot!.png)}`).join(", ")}`]
      : ["plots: none (no variant has both a score and a known budget)"]),
  ];
  return lines.join("\n");
}
