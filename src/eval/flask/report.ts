import { readJsonl } from "../io/jsonl-file.js";
import type { FlaskScoreValue } from "./score-parser.js";

/** FLASK's 12 skills in upstream's report order (`aggregate_skill.py`'s `key_order`). */
export const FLASK_SKILLS = Object.freeze([
  "robustness",
  "correctness",
  "efficiency",
  "factuality",
  "commonsense",
  "comprehension",
  "insightfulness",
  "completeness",
  "metacognition",
  "readability",
  "conciseness",
  "harmlessness",
] as const);

/** One of {@link FLASK_SKILLS}. */
export type FlaskSkillKey = (typeof FLASK_SKILLS)[number];

/** The aggregate of one skill. */
export interface FlaskSkillScore {
  /** Mean score over the instances scored on this skill (NaN when none). */
  average: number;
  /** Scores counted. */
  count: number;
  /** Sum of the scores. */
  total: number;
}

/** The FLASK report: one average per skill with counts. */
export interface FlaskReport {
  /** Per skill, in {@link FLASK_SKILLS} order; skills never scored are absent (as upstream). */
  skills: Partial<Record<FlaskSkillKey, FlaskSkillScore>>;
  /** Scores given as `N/A`. */
  not_applicable: number;
  /** Reviews considered. */
  n_reviews: number;
  /** Reviews whose score dictionary does not have three entries (upstream prints these). */
  n_irregular: number;
}

/**
 * Averages FLASK review scores per skill exactly as `aggregate_skill.py`: a score key maps to
 * its first word (`"factuality"`), or its second word when it contains `logical`
 * (`"logical robustness"` → `robustness`); `N/A` is counted apart; a value that is not a number
 * is skipped. Only the 12 known skills are reported.
 *
 * @example
 * ```ts
 * reportFlask([{ score: { "logical correctness": 4, readability: 5, conciseness: "N/A" } }]);
 * // { skills: { correctness: { average: 4, count: 1, total: 4 }, readability: … }, not_applicable: 1, … }
 * ```
 */
export function reportFlask(
  reviews: readonly { score: Record<string, FlaskScoreValue> }[],
): FlaskReport {
  const totals = new Map<string, { total: number; count: number }>();
  let notApplicable = 0;
  let irregular = 0;
  for (const review of reviews) {
    const entries = Object.entries(review.score ?? {});
    if (entries.length !== 3) irregular += 1;
    for (const [key, value] of entries) {
      const words = key.split(" ");
      const skill = key.includes("logical") ? words[1] : words[0];
      // Upstream counts N/A before it looks at the key, so a malformed key still counts.
      if (skill !== undefined && !totals.has(skill)) totals.set(skill, { total: 0, count: 0 });
      if (value === "N/A") {
        notApplicable += 1;
        continue;
      }
      if (skill === undefined) continue;
      const score = pythonFloat(value);
      if (score === undefined) continue;
      const entry = totals.get(skill) as { total: number; count: number };
      entry.total += score;
      entry.count += 1;
    }
  }
  const skills: FlaskReport["skills"] = {};
  for (const skill of FLASK_SKILLS) {
    const entry = totals.get(skill);
    if (entry)
      skills[skill] = {
        average: entry.count ? entry.total / entry.count : Number.NaN,
        count: entry.count,
        total: entry.total,
      };
  }
  return {
    skills,
    not_applicable: notApplicable,
    n_reviews: reviews.length,
    n_irregular: irregular,
  };
}

/** Reads a FLASK reviews JSONL (ours or `gpt4_eval.py`'s) and reports it. */
export async function reportFlaskFile(path: string): Promise<FlaskReport> {
  return reportFlask(await readJsonl<{ score: Record<string, FlaskScoreValue> }>(path));
}

// Python's float(): numbers, booleans and numeric strings; anything else fails (undefined).
function pythonFloat(value: FlaskScoreValue): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value === "boolean") return value ? 1 : 0;
  if (typeof value === "string" && /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(value))
    return Number(value);
  return undefined;
}
