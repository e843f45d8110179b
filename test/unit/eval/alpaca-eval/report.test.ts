import { beforeAll, describe, expect, it } from "vitest";
import { reportAlpacaEval, reportAlpacaEvalFile } from "../../../../src/eval/alpaca-eval/report.js";
import {
  loadLengthControlledData,
  type LengthControlledData,
} from "../../../../src/eval/alpaca-eval/length-controlled-data.js";
import {
  readAlpacaEvalLeaderboard,
  type AlpacaEvalLeaderboardRow,
} from "../../../../src/eval/alpaca-eval/leaderboard-files.js";
import { computeLengthControlledWinRate } from "../../../../src/eval/alpaca-eval/length-controlled.js";
import { sharedDataPath } from "../shared-data.js";
import { readDevPreferences } from "./dev-preferences.js";

const REPORT_FIELDS = [
  "win_rate",
  "standard_error",
  "n_wins",
  "n_wins_base",
  "n_draws",
  "n_total",
  "discrete_win_rate",
  "avg_length",
  "length_controlled_winrate",
  "lc_standard_error",
];

let data: LengthControlledData;
let official: AlpacaEvalLeaderboardRow;
beforeAll(async () => {
  data = await loadLengthControlledData();
  const leaderboard = await readAlpacaEvalLeaderboard(
    sharedDataPath("alpaca_eval", "leaderboard.weighted_alpaca_eval_gpt4_turbo.csv"),
  );
  official = leaderboard.get("claude-2.1") as AlpacaEvalLeaderboardRow;
});

describe("re-scoring claude-2.1.annotations.json through the --annotations path", () => {
  it("reproduces the leaderboard row", async () => {
    const report = await reportAlpacaEvalFile(
      sharedDataPath("alpaca_eval", "annotations", "claude-2.1.annotations.json"),
      {
        lengthControlledData: data,
      },
    );
    expect(Object.keys(report).sort()).toEqual([...REPORT_FIELDS].sort());
    expect(Math.abs(report.win_rate - official.win_rate)).toBeLessThan(1e-6);
    expect(Math.abs(report.standard_error - official.standard_error)).toBeLessThan(1e-6);
    expect(Math.abs(report.discrete_win_rate - official.discrete_win_rate)).toBeLessThan(1e-6);
    expect([
      report.n_wins,
      report.n_wins_base,
      report.n_draws,
      report.n_total,
      report.avg_length,
    ]).toEqual([
      official.n_wins,
      official.n_wins_base,
      official.n_draws,
      official.n_total,
      official.avg_length,
    ]);
    expect(
      Math.abs(report.length_controlled_winrate - official.length_controlled_winrate),
    ).toBeLessThan(0.2);
  });

  it("agrees with the refit from the compact preferences of the same model", async () => {
    const claude = (await readDevPreferences()).find((model) => model.model === "claude-2.1")!;
    const report = await reportAlpacaEvalFile(
      sharedDataPath("alpaca_eval", "annotations", "claude-2.1.annotations.json"),
      {
        lengthControlledData: data,
      },
    );
    const refit = computeLengthControlledWinRate(claude, data);
    expect(report.length_controlled_winrate).toBeCloseTo(refit.length_controlled_winrate, 6);
  });

  it("refuses annotations of several models at once", () => {
    const row = {
      instruction: "i",
      output_1: "a",
      generator_1: "base",
      output_2: "b",
      preference: 2,
    };
    expect(() =>
      reportAlpacaEval(
        [
          { ...row, generator_2: "x" },
          { ...row, generator_2: "y" },
        ],
        data,
      ),
    ).toThrow(/same two generators/);
  });
});
