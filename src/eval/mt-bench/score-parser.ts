// FastChat's `one_score_pattern` and `one_score_pattern_backup` (llm_judge/common.py).
const SCORE_PATTERN = /\[\[(\d+\.?\d*)\]\]/;
const SCORE_PATTERN_BACKUP = /\[(\d+\.?\d*)\]/;

/**
 * The rating in an MT-Bench judgment, as FastChat parses it: the first `[[x]]`, else the first
 * `[x]`, else −1 (a failed judgment, dropped from the averages).
 *
 * @example
 * ```ts
 * parseMtBenchScore("… the response is accurate. Rating: [[8]]"); // 8
 * parseMtBenchScore("Rating: 8/10"); // -1
 * ```
 */
export function parseMtBenchScore(judgment: string): number {
  const match = SCORE_PATTERN.exec(judgment) ?? SCORE_PATTERN_BACKUP.exec(judgment);
  if (!match) return -1;
  // `ast.literal_eval` of the captured digits: "8" → 8, "7.5" → 7.5, "8." → 8.0.
  return Number(match[1]);
}
