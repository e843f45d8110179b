import { readFileSync } from "node:fs";
import { z } from "zod";
import { DEFAULT_PRICES, type PriceRow } from "../models/price-table.js";
import { CliError } from "./cli-error.js";

/** `--prices <file>` help, for every command that takes the option. */
export const PRICE_FILE_HELP =
  "JSON price rows that override the built-in table ({ provider, model, inputPerMillion, outputPerMillion, source, date })";

const PriceRowSchema = z.object({
  provider: z.string().min(1),
  model: z.string().min(1),
  inputPerMillion: z.number().min(0),
  outputPerMillion: z.number().min(0),
  source: z.string().min(1, "name where the price comes from"),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use an ISO date, e.g. 2024-05-22"),
});

/**
 * The price table of a run: rows from `--prices FILE` (a JSON array of
 * `{ provider, model, inputPerMillion, outputPerMillion, source, date }`) ahead of the built-in
 * rows, so a user's row overrides the built-in one for the same model.
 */
export function loadPriceTable(path: string | undefined): PriceRow[] {
  if (path === undefined) return [...DEFAULT_PRICES];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new CliError(`--prices: cannot read ${path} as JSON (${(error as Error).message}).`);
  }
  const parsed = z.array(PriceRowSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(
      `--prices: ${path} at [${issue.path.join("].")}${issue.path.length > 1 ? "" : "]"}: ${issue.message}. ` +
        "Each row needs provider, model, inputPerMillion, outputPerMillion (USD), source and date.",
    );
  }
  return [...parsed.data, ...DEFAULT_PRICES];
}
