import { readJsonl } from "../io/jsonl-file.js";
import { EvalDataError } from "../eval-data-error.js";
import { parsePythonLiteral } from "../python/literal.js";

/** One FLASK evaluation instance (`flask_evaluation.jsonl`, `flask_hard_evaluation.jsonl`). */
export interface FlaskInstance {
  /** Instance id; answers refer to it as `question_id`. */
  idx: number | string;
  /** The user instruction. */
  instruction: string;
  /** The reference ("ground truth") answer shown to the judge. */
  answer: string;
  /** The (usually three) skills the instance is scored on, e.g. `Logical Correctness`. */
  skill: string[];
  /** Source task. */
  task?: string;
  domain?: string[];
  difficulty?: string;
  /** Any other upstream field is kept. */
  [field: string]: unknown;
}

/**
 * Reads FLASK instances from a path (FLASK has no license file, so it is not vendored: fetch
 * github.com/kaistAI/FLASK and pass `evaluation_set/flask_evaluation.jsonl`). The hard set
 * stores `skill` and `domain` as Python list strings (`"['Comprehension', …]"`); they are parsed
 * into lists so both files work the same way.
 *
 * @example
 * ```ts
 * const instances = await loadFlaskInstances("FLASK/evaluation_set/flask_evaluation.jsonl");
 * ```
 */
export async function loadFlaskInstances(path: string): Promise<FlaskInstance[]> {
  const rows = await readJsonl<Record<string, unknown>>(path);
  return rows.map((row, index) => {
    const location = `line ${index + 1}`;
    if (
      typeof row?.instruction !== "string" ||
      typeof row.answer !== "string" ||
      (typeof row.idx !== "number" && typeof row.idx !== "string")
    ) {
      throw new EvalDataError({
        file: path,
        location,
        message: "needs `idx`, `instruction` and `answer`",
      });
    }
    const skill = asStringList(row.skill);
    if (!skill)
      throw new EvalDataError({
        file: path,
        location,
        message: "`skill` must be a list of skill names",
      });
    const domain = row.domain === undefined ? undefined : asStringList(row.domain);
    return { ...row, skill, ...(domain ? { domain } : {}) } as FlaskInstance;
  });
}

function asStringList(value: unknown): string[] | undefined {
  if (Array.isArray(value))
    return value.every((item) => typeof item === "string") ? (value as string[]) : undefined;
  if (typeof value !== "string") return undefined;
  try {
    const parsed = parsePythonLiteral(value);
    return Array.isArray(parsed) && parsed.every((item) => typeof item === "string")
      ? (parsed as string[])
      : undefined;
  } catch {
    return undefined;
  }
}
