import { csvNumber, readCsv } from "../io/csv-file.js";
import { EvalDataError } from "../eval-data-error.js";
import type { GlmWeights } from "./length-controlled.js";
import type { WinRateMetrics } from "./win-rate.js";

/**
 * One row of an official AlpacaEval leaderboard CSV (blank cells are NaN): the head-to-head
 * metrics {@link WinRateMetrics} computes, plus the leaderboard's own columns.
 */
export interface AlpacaEvalLeaderboardRow extends WinRateMetrics {
  /** Model name (the CSV's unnamed index column). */
  model: string;
  /** `verified`, `community`, `dev`, … */
  mode: string;
  avg_length: number;
  length_controlled_winrate: number;
  lc_standard_error: number;
}

/**
 * Reads an official leaderboard CSV (`leaderboard.weighted_alpaca_eval_gpt4_turbo.csv`) by model.
 *
 * @example
 * ```ts
 * const leaderboard = await readAlpacaEvalLeaderboard(path);
 * leaderboard.get("Together-MoA")?.length_controlled_winrate; // 65.37996976852163
 * ```
 */
export async function readAlpacaEvalLeaderboard(
  path: string,
): Promise<Map<string, AlpacaEvalLeaderboardRow>> {
  const rows = await readCsv(path);
  const result = new Map<string, AlpacaEvalLeaderboardRow>();
  for (const [index, row] of rows.entries()) {
    const model = row[""];
    if (!model)
      throw new EvalDataError({
        file: path,
        location: `line ${index + 2}`,
        message: "has no model name",
      });
    result.set(model, {
      model,
      win_rate: csvNumber(row.win_rate),
      standard_error: csvNumber(row.standard_error),
      n_wins: csvNumber(row.n_wins),
      n_wins_base: csvNumber(row.n_wins_base),
      n_draws: csvNumber(row.n_draws),
      n_total: csvNumber(row.n_total),
      discrete_win_rate: csvNumber(row.discrete_win_rate),
      mode: row.mode ?? "",
      avg_length: csvNumber(row.avg_length),
      length_controlled_winrate: csvNumber(row.length_controlled_winrate),
      lc_standard_error: csvNumber(row.lc_standard_error),
    });
  }
  return result;
}

/**
 * Reads upstream's stored GLM weights (`length_controlled_v1/baseline_gpt4_1106_preview.csv`)
 * by model; when a model appears twice the last row wins, as upstream's
 * `drop_duplicates(keep="last")` does.
 */
export async function readGlmWeights(path: string): Promise<Map<string, GlmWeights>> {
  const rows = await readCsv(path);
  const result = new Map<string, GlmWeights>();
  for (const [index, row] of rows.entries()) {
    const model = row[""];
    const weights = {
      length: csvNumber(row["np.tanh(std_delta_len)"]),
      instructionDifficulty: csvNumber(row.instruction_difficulty),
      notGamedBaseline: csvNumber(row["not_gamed_baseline.astype(float)"]),
    };
    if (!model || Object.values(weights).some((value) => Number.isNaN(value))) {
      throw new EvalDataError({
        file: path,
        location: `line ${index + 2}`,
        message: "is not a complete weights row",
      });
    }
    result.delete(model);
    result.set(model, weights);
  }
  return result;
}
