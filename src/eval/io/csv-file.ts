import { parse } from "csv-parse/sync";
import { EvalDataError } from "../eval-data-error.js";
import { readTextFile } from "./read-text-file.js";

/**
 * Reads a CSV file with a header row into one object per row (all values as strings). An empty
 * first header cell — pandas' unnamed index column — is kept under the key `""`.
 */
export async function readCsv(file: string): Promise<Record<string, string>[]> {
  const text = await readTextFile(file);
  try {
    return parse(text, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  } catch (error) {
    throw new EvalDataError({ file, message: "is not valid CSV", cause: error });
  }
}

/**
 * Parses a CSV number the way pandas does for the files we read: empty cells and `nan` are
 * `NaN`, `True`/`False` are 1/0.
 */
export function csvNumber(value: string | undefined): number {
  if (value === undefined) return Number.NaN;
  const trimmed = value.trim();
  if (trimmed === "" || /^(?:nan|NaN|NA|null|None)$/.test(trimmed)) return Number.NaN;
  if (trimmed === "True") return 1;
  if (trimmed === "False") return 0;
  return Number(trimmed);
}
