import { beforeAll, describe, expect, it } from "vitest";
import { averageLength, computeWinRate } from "../../../../src/eval/alpaca-eval/win-rate.js";
import {
  readAlpacaEvalLeaderboard,
  type AlpacaEvalLeaderboardRow,
} from "../../../../src/eval/alpaca-eval/leaderboard-files.js";
import { sharedDataPath } from "../shared-data.js";
import { readDevPreferences, type DevModel } from "./dev-preferences.js";

describe("computeWinRate", () => {
  it.each([
    [
      "soft preferences",
      [2, 1, 1.5, 1.75],
      {
        win_rate: 56.25,
        n_wins: 2,
        n_wins_base: 1,
        n_draws: 1,
        n_total: 4,
        discrete_win_rate: 62.5,
      },
    ],
    [
      "the legacy 0 as a draw",
      [0, 2],
      { win_rate: 75, n_draws: 1, n_total: 2, discrete_win_rate: 75 },
    ],
    [
      "missing and out-of-range preferences dropped",
      [Number.NaN, null, 3, 2],
      { win_rate: 100, n_total: 1, n_wins: 1 },
    ],
    [
      "half-to-even rounding in the discrete rate",
      [1.4999, 1.5001],
      { n_wins: 1, n_wins_base: 1, n_draws: 0, discrete_win_rate: 50 },
    ],
  ])("handles %s", (_name, preferences, expected) => {
    expect(computeWinRate(preferences)).toMatchObject(expected);
  });

  it("computes the standard error with ddof 1", () => {
    // y = [1, 0]: std = 0.7071…, sem = 0.5
    expect(computeWinRate([2, 1]).standard_error).toBeCloseTo(50, 12);
  });

  it("measures lengths in code points", () => {
    expect(averageLength(["😀😀", "abc"])).toBe(2);
  });
});

describe("raw win rate against the official leaderboard", () => {
  let dev: DevModel[];
  let leaderboard: Map<string, AlpacaEvalLeaderboardRow>;
  beforeAll(async () => {
    [dev, leaderboard] = await Promise.all([
      readDevPreferences(),
      readAlpacaEvalLeaderboard(
        sharedDataPath("alpaca_eval", "leaderboard.weighted_alpaca_eval_gpt4_turbo.csv"),
      ),
    ]);
  });

  it("covers the 41 dev models that are on the leaderboard", () => {
    expect(dev).toHaveLength(42);
    expect(dev.filter((model) => leaderboard.has(model.model))).toHaveLength(41);
  });

  it("reproduces win_rate (|Δ| < 1e-6) and every count for each model in preferences.dev.csv", () => {
    const checked: string[] = [];
    for (const model of dev) {
      const official = leaderboard.get(model.model);
      if (!official) continue; // text_davinci_003 is not on this leaderboard
      const metrics = computeWinRate(model.preferences);
      expect(Math.abs(metrics.win_rate - official.win_rate), model.model).toBeLessThan(1e-6);
      expect(Math.abs(metrics.standard_error - official.standard_error), model.model).toBeLessThan(
        1e-6,
      );
      expect(
        Math.abs(metrics.discrete_win_rate - official.discrete_win_rate),
        model.model,
      ).toBeLessThan(1e-6);
      expect(
        [metrics.n_wins, metrics.n_wins_base, metrics.n_draws, metrics.n_total],
        model.model,
      ).toEqual([official.n_wins, official.n_wins_base, official.n_draws, official.n_total]);
      checked.push(model.model);
    }
    expect(checked).toHaveLength(41);
  });
});
