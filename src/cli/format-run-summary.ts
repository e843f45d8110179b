import Table from "cli-table3";
import type { RunSummary } from "../config/run-summary.js";

/** Renders the per-layer table and the totals as plain text for a terminal. */
export function formatRunSummary(summary: RunSummary, options: { color?: boolean } = {}): string {
  const table = new Table({
    head: ["layer", "role", "model", "#", "status", "in tok", "out tok", "latency", "cost"],
    style: {
      head: options.color ? ["cyan"] : [],
      border: options.color ? ["grey"] : [],
      compact: true,
    },
    colAligns: ["right", "left", "left", "right", "left", "right", "right", "right", "right"],
  });
  for (const row of summary.rows) {
    table.push([
      row.layer,
      row.role,
      row.proposerId,
      row.sample,
      row.status === "ok" ? "ok" : `error: ${truncate(row.error ?? "", 40)}`,
      row.inputTokens ?? "-",
      row.outputTokens ?? "-",
      row.latencyMs === undefined ? "-" : `${(row.latencyMs / 1000).toFixed(2)} s`,
      row.costUsd === undefined ? "?" : `$${row.costUsd.toFixed(5)}`,
    ]);
  }
  const local = summary.localModels.length
    ? ` (${summary.localModels.join(", ")} priced at $0 because they run on your machine)`
    : "";
  const cost =
    (summary.unpricedModels.length === 0
      ? `$${summary.costUsd.toFixed(5)}`
      : `$${summary.costUsd.toFixed(5)} + unknown (no price for ${summary.unpricedModels.join(", ")})`) +
    local;
  const failed = summary.rows.filter((row) => row.status === "error").length;
  const lines = [
    table.toString(),
    `calls: ${summary.rows.length}${failed ? ` (${failed} failed)` : ""} · tokens: ${summary.usage.inputTokens} in / ${summary.usage.outputTokens} out · cost: ${cost} · wall time: ${(summary.wallTimeMs / 1000).toFixed(2)} s`,
    ...summary.notes.map((note) => `note: ${note}`),
  ];
  return lines.join("\n");
}

function truncate(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length - 1)}…`;
}
