import { readJson } from "../io/json-file.js";
import { EvalDataError } from "../eval-data-error.js";

/** One FLASK skill rubric (`skillset_description.json`). */
export interface FlaskSkill {
  /** Display name, e.g. `Logical Robustness`. */
  Skill: string;
  /** What the skill measures. */
  Criteria: string;
  /** The rubric text for scores 1–5. */
  Scoring: Record<"1" | "2" | "3" | "4" | "5", string>;
}

/**
 * Reads FLASK's skill rubrics (12 skills) from `skillset_description.json`.
 *
 * @example
 * ```ts
 * const skills = await loadFlaskSkills("FLASK/gpt_review/src/skillset_description.json");
 * ```
 */
export async function loadFlaskSkills(path: string): Promise<FlaskSkill[]> {
  const skills = await readJson<unknown>(path);
  if (!Array.isArray(skills))
    throw new EvalDataError({ file: path, message: "must contain a JSON list of skills" });
  for (const [index, skill] of skills.entries()) {
    const value = skill as Partial<FlaskSkill> | null;
    const scoring = value?.Scoring as Record<string, unknown> | undefined;
    if (
      typeof value?.Skill !== "string" ||
      typeof value.Criteria !== "string" ||
      !scoring ||
      ["1", "2", "3", "4", "5"].some((score) => typeof scoring[score] !== "string")
    ) {
      throw new EvalDataError({
        file: path,
        location: `entry ${index}`,
        message: "needs `Skill`, `Criteria` and `Scoring` 1–5",
      });
    }
  }
  return skills as FlaskSkill[];
}
