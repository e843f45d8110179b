import type { CoLlmMethodResult } from "../co-llm/evaluate-methods.js";

const percent = (value: number) => `${(value * 100).toFixed(1)} %`;

/** The Co-LLM method table as text: one row per method, aligned columns. */
export function formatColmMethodTable(rows: readonly CoLlmMethodResult[]): string {
  const header = ["method", "accuracy", "deferral rate", "assistant calls", "tokens"];
  const cells = rows.map((row) => [
    row.name,
    percent(row.accuracy),
    percent(row.deferralRate),
    String(row.assistantCalls),
    String(row.generatedTokens),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...cells.map((cell) => cell[column]!.length)),
  );
  const line = (cell: readonly string[]) =>
    cell
      .map((text, column) =>
        column === 0 ? text.padEnd(widths[0]!) : text.padStart(widths[column]!),
      )
      .join("  ");
  return [line(header), ...cells.map(line)].join("\n") + "\n";
}
