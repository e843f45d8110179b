import { readFileSync } from "node:fs";
import { z } from "zod";
import { DEFAULT_PARAMETERS, type ParameterRow } from "../ablation/model-parameters.js";
import { CliError } from "./cli-error.js";

/** `--parameters <file>` help, for every command that takes the option. */
export const PARAMETER_FILE_HELP =
  "JSON parameter rows that override the built-in table ({ provider?, model, activeParametersB, totalParametersB, source, note? })";

const ParameterRowSchema = z
  .object({
    provider: z.string().min(1).optional(),
    model: z.string().min(1),
    activeParametersB: z.number().positive("active parameters in billions, > 0"),
    totalParametersB: z.number().positive("total parameters in billions, > 0"),
    source: z.string().min(1, "name where the count comes from"),
    note: z.string().optional(),
  })
  .refine((row) => row.activeParametersB <= row.totalParametersB, {
    message: "activeParametersB cannot exceed totalParametersB",
    path: ["activeParametersB"],
  });

/**
 * The parameter table of a study or plan: rows from `--parameters FILE` (a JSON array of
 * `{ provider?, model, activeParametersB, totalParametersB, source, note? }`) ahead of the
 * built-in rows, so a user's row overrides the built-in one for the same model.
 */
export function loadParameterTable(path: string | undefined): ParameterRow[] {
  if (path === undefined) return [...DEFAULT_PARAMETERS];
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new CliError(`--parameters: cannot read ${path} as JSON (${(error as Error).message}).`);
  }
  const parsed = z.array(ParameterRowSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CliError(
      `--parameters: ${path} at [${issue.path.join("].")}${issue.path.length > 1 ? "" : "]"}: ${issue.message}. ` +
        "Each row needs model, activeParametersB, totalParametersB (billions) and source; provider and note are optional.",
    );
  }
  const rows: ParameterRow[] = parsed.data.map((row) => ({
    ...(row.provider !== undefined ? { provider: row.provider } : {}),
    model: row.model,
    activeParametersB: row.activeParametersB,
    totalParametersB: row.totalParametersB,
    source: row.source,
    ...(row.note !== undefined ? { note: row.note } : {}),
  }));
  return [...rows, ...DEFAULT_PARAMETERS];
}
