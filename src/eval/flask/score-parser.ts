import { parsePythonLiteral } from "../python/literal.js";

/** A parsed FLASK score: a number, `"N/A"`, or whatever else the judge wrote. */
export type FlaskScoreValue =
  number | string | boolean | null | unknown[] | Record<string, unknown>;

/**
 * The skill scores in a FLASK review, parsed as upstream's `parse_score`: take the **last**
 * `{…}` (no nested `}`) in the text, drop newlines, turn `_` into spaces, lowercase it, read it
 * as a Python literal, and normalize `na` / `n/a` / `not applicable` to `"N/A"`. Anything that
 * fails returns `{}` (upstream logs and returns an empty dict).
 *
 * @example
 * ```ts
 * parseFlaskScores("… {'Logical_Correctness': 4, 'Readability': 'N/A'}");
 * // { "logical correctness": 4, readability: "N/A" }
 * ```
 */
export function parseFlaskScores(review: string): Record<string, FlaskScoreValue> {
  const matches = review.match(/\{[^}]+\}/g);
  if (!matches || matches.length === 0) return {};
  const dictionary = (matches[matches.length - 1] as string)
    .replace(/\n/g, "")
    .replace(/_/g, " ")
    .toLowerCase();
  let parsed: unknown;
  try {
    parsed = parsePythonLiteral(dictionary);
  } catch {
    return {};
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {};
  const scores: Record<string, FlaskScoreValue> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, FlaskScoreValue>)) {
    scores[key] = value === "na" || value === "n/a" || value === "not applicable" ? "N/A" : value;
  }
  return scores;
}
