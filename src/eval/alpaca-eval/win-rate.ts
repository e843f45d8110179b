import { codePointLength } from "../python/code-point-length.js";

/** Head-to-head metrics over preferences; field names follow the official leaderboard. */
export interface WinRateMetrics {
  /** 100 · mean(p − 1) over valid preferences (soft: a 1.7 counts as 0.7 of a win). */
  win_rate: number;
  /** 100 · std(p − 1, ddof 1) / √n (NaN for fewer than two preferences). */
  standard_error: number;
  /** Preferences above 1.5 (the model won). */
  n_wins: number;
  /** Preferences below 1.5 (the baseline won). */
  n_wins_base: number;
  /** Preferences exactly 1.5 (or the legacy 0). */
  n_draws: number;
  /** Valid preferences (in [1, 2]; missing ones are dropped). */
  n_total: number;
  /** 100 · (wins + draws / 2) / n after rounding each preference to 1 or 2. */
  discrete_win_rate: number;
}

/**
 * AlpacaEval's win rates from per-instruction preferences p ∈ [1, 2] (2 = the evaluated model
 * wins), exactly as `metrics/winrate.py` computes them: 0 means a draw (1.5), NaN/null and
 * values outside [1, 2] are dropped; the discrete win rate rounds half to even first.
 *
 * @example
 * ```ts
 * computeWinRate([2, 1, 1.5, 1.75]);
 * // { win_rate: 56.25, n_wins: 2, n_wins_base: 1, n_draws: 1, n_total: 4, discrete_win_rate: 62.5, … }
 * ```
 */
export function computeWinRate(preferences: ArrayLike<number | null>): WinRateMetrics {
  const values: number[] = [];
  let draws = 0;
  for (let index = 0; index < preferences.length; index += 1) {
    const raw = preferences[index];
    if (raw === null || raw === undefined || Number.isNaN(raw)) continue;
    if (raw === 1.5 || raw === 0) draws += 1;
    const preference = raw === 0 ? 1.5 : raw;
    if (preference >= 1 && preference <= 2) values.push(preference - 1);
  }
  let wins = 0;
  let baseWins = 0;
  let total = 0;
  for (const value of values) {
    if (value > 0.5) wins += 1;
    if (value < 0.5) baseWins += 1;
    total += value;
  }
  const n = values.length;
  const average = total / n;
  let squares = 0;
  for (const value of values) squares += (value - average) ** 2;
  return {
    win_rate: average * 100,
    standard_error: n > 1 ? (Math.sqrt(squares / (n - 1)) / Math.sqrt(n)) * 100 : Number.NaN,
    n_wins: wins,
    n_wins_base: baseWins,
    n_draws: draws,
    n_total: n,
    discrete_win_rate: discreteWinRate(preferences),
  };
}

// ZeroOneScoringRule: 1.5 → 0 (draw), round half to even, 0 → 1.5, keep values in [1, 2].
function discreteWinRate(preferences: ArrayLike<number | null>): number {
  let score = 0;
  let n = 0;
  for (let index = 0; index < preferences.length; index += 1) {
    const raw = preferences[index];
    if (raw === null || raw === undefined || Number.isNaN(raw)) continue;
    const rounded = raw === 1.5 ? 0 : roundHalfToEven(raw);
    const value = rounded === 0 ? 1.5 : rounded;
    if (value < 1 || value > 2) continue;
    n += 1;
    score += value - 1;
  }
  return (score / n) * 100;
}

function roundHalfToEven(value: number): number {
  const floor = Math.floor(value);
  const difference = value - floor;
  if (difference < 0.5) return floor;
  if (difference > 0.5) return floor + 1;
  return floor % 2 === 0 ? floor : floor + 1;
}

/**
 * AlpacaEval's `avg_length`: `int(mean(len(output)))` with Python lengths (code points).
 *
 * @example
 * ```ts
 * averageLength(["abc", "de"]); // 2
 * ```
 */
export function averageLength(outputs: readonly string[]): number {
  if (outputs.length === 0) return Number.NaN;
  let total = 0;
  for (const output of outputs) total += codePointLength(output);
  return Math.trunc(total / outputs.length);
}
