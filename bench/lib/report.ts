import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { formatMachine } from "./machine.js";

/** A figure's target: the measured value must be `<=` or `>=` this value. */
export interface Target {
  comparison: "<=" | ">=";
  value: number;
}

/** One measured figure (the median of `runs` when there were several). */
export interface Figure {
  label: string;
  value: number;
  unit: string;
  /** Decimals to print. @default 2 */
  digits?: number;
  /** What the figure must reach; absent for figures printed for comparison only. */
  target?: Target;
  /** Every run's value, when the figure is a median. */
  runs?: number[];
}

/** What a benchmark reports. */
export interface BenchReport {
  id: string;
  title: string;
  /** The exact command that reproduces this benchmark. */
  command: string;
  figures: Figure[];
  /** Definitions, assumptions and per-run detail, printed under the table. */
  notes: string[];
  /** Set when the benchmark could not run (missing data): the reason. */
  skipped?: string;
}

/** Options every benchmark accepts. */
export interface BenchOptions {
  /** Measured repetitions (the figures are their median). @default 5 */
  runs: number;
  /** Progress lines (stderr). */
  log: (line: string) => void;
}

/** A benchmark module: `bench/pN-….ts` default-exports one. */
export interface Benchmark {
  id: string;
  title: string;
  /** Runs when `--runs` is not given. @default 5 */
  defaultRuns?: number;
  run(options: BenchOptions): Promise<BenchReport>;
}

/** pass / FAIL / "" (no target). */
export function verdict(figure: Figure): "pass" | "FAIL" | "" {
  if (!figure.target) return "";
  const { comparison, value } = figure.target;
  const ok = comparison === "<=" ? figure.value <= value : figure.value >= value;
  return ok ? "pass" : "FAIL";
}

/** `1.02 ×`, `412.3 MB`. */
export function formatValue(value: number, unit: string, digits = 2): string {
  if (!Number.isFinite(value)) return String(value);
  return unit === "" ? value.toFixed(digits) : `${value.toFixed(digits)} ${unit}`;
}

/** The command line that reruns benchmark `id` with `runs` runs. */
export function benchCommand(id: string, runs: number): string {
  return `npm run bench -- ${id} --runs ${runs}`;
}

/** Formats reports as a plain-text table plus notes. */
export function formatReports(reports: readonly BenchReport[]): string {
  const rows: string[][] = [["bench", "figure", "value", "target", "result"]];
  for (const report of reports) {
    if (report.skipped) {
      rows.push([report.id, `${report.title}`, "—", "—", `skipped: ${report.skipped}`]);
      continue;
    }
    for (const figure of report.figures) {
      rows.push([
        report.id,
        figure.label,
        formatValue(figure.value, figure.unit, figure.digits),
        figure.target
          ? `${figure.target.comparison} ${formatValue(figure.target.value, figure.unit, figure.digits)}`
          : "",
        verdict(figure),
      ]);
    }
  }
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join("  ")
      .trimEnd();
  const out = [line(rows[0]!), widths.map((width) => "-".repeat(width)).join("  ")];
  for (const row of rows.slice(1)) out.push(line(row));
  out.push("");
  for (const report of reports) {
    out.push(`${report.id} — ${report.title}`);
    out.push(`  command: ${report.command}`);
    for (const note of report.notes) out.push(`  ${note}`);
  }
  return out.join("\n");
}

/**
 * Runs a benchmark file on its own (`tsx bench/p1-critical-path.ts [--runs N] [--json FILE]`):
 * prints its table, or writes its report as JSON for `bench/run.ts`. Does nothing when the file
 * is imported rather than executed.
 */
export async function runIfMain(benchmark: Benchmark, moduleUrl: string): Promise<void> {
  if (process.argv[1] === undefined || fileURLToPath(moduleUrl) !== process.argv[1]) return;
  const args = process.argv.slice(2);
  const value = (flag: string) => {
    const index = args.indexOf(flag);
    return index >= 0 ? args[index + 1] : undefined;
  };
  const runs = Number(value("--runs") ?? benchmark.defaultRuns ?? 5);
  const jsonPath = value("--json");
  const log = (line: string) => process.stderr.write(`[${benchmark.id}] ${line}\n`);
  const report = await benchmark.run({ runs, log });
  if (jsonPath) writeFileSync(jsonPath, JSON.stringify(report));
  else process.stdout.write(`${formatMachine()}\n\n${formatReports([report])}\n`);
  // Keep-alive sockets of HTTP clients can hold the loop open for seconds after the work.
  process.exit(0);
}
