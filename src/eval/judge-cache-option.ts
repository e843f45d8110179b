import { JudgmentCache } from "./stages/judgment-cache.js";

/**
 * How a judge stage caches replies: a {@link JudgmentCache}, a cache file path, or `false` for
 * none. The default is `<out>.cache.jsonl` next to the judgments file.
 */
export type JudgeCacheOption = JudgmentCache | string | false | undefined;

/** Opens the cache a judge stage should use (see {@link JudgeCacheOption}). */
export async function openJudgeCache(
  option: JudgeCacheOption,
  out: string,
): Promise<JudgmentCache | undefined> {
  if (option === false) return undefined;
  if (option instanceof JudgmentCache) return option;
  return JudgmentCache.open(option ?? `${out}.cache.jsonl`);
}
