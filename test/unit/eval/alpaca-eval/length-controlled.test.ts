import { beforeAll, describe, expect, it } from "vitest";
import {
  computeLengthControlledWinRate,
  predictLengthControlledWinRate,
  type GlmWeights,
} from "../../../../src/eval/alpaca-eval/length-controlled.js";
import {
  loadLengthControlledData,
  type LengthControlledData,
} from "../../../../src/eval/alpaca-eval/length-controlled-data.js";
import {
  readAlpacaEvalLeaderboard,
  readGlmWeights,
  type AlpacaEvalLeaderboardRow,
} from "../../../../src/eval/alpaca-eval/leaderboard-files.js";
import { sharedDataPath } from "../shared-data.js";
import { readDevPreferences, type DevModel } from "./dev-preferences.js";

// Leaderboard rows whose stored weights are older than their leaderboard entry. They are the
// only rows that neither prediction convention reproduces; NullModel's refit below shows the
// leaderboard number comes from newer annotations than its stored weights.
const STALE_WEIGHT_ROWS = ["NullModel", "dbrx-instruct", "zephyr-7b-alpha-ExPO"];

let data: LengthControlledData;
let leaderboard: Map<string, AlpacaEvalLeaderboardRow>;
let weights: Map<string, GlmWeights>;
let dev: DevModel[];

beforeAll(async () => {
  [data, leaderboard, weights, dev] = await Promise.all([
    loadLengthControlledData(),
    readAlpacaEvalLeaderboard(
      sharedDataPath("alpaca_eval", "leaderboard.weighted_alpaca_eval_gpt4_turbo.csv"),
    ),
    readGlmWeights(sharedDataPath("alpaca_eval", "glm_weights.length_controlled_v1.csv")),
    readDevPreferences(),
  ]);
});

describe("length-controlled win rate from the stored GLM weights", () => {
  // Upstream averages σ(θ + φ·γ) over all 805 instructions (predict_winrate); the leaderboard's
  // older entries for files with fewer rows averaged over the file's rows.
  const predictions = (model: string) => {
    const row = leaderboard.get(model) as AlpacaEvalLeaderboardRow;
    const stored = weights.get(model) as GlmWeights;
    return {
      row,
      allInstructions: predictLengthControlledWinRate(stored, data.instructionDifficulty),
      fileRows: predictLengthControlledWinRate(stored, data.instructionDifficulty, {
        rows: row.n_total,
      }),
    };
  };

  it.each(["Together-MoA", "Together-MoA-Lite"])("reproduces %s to 1e-9", (model) => {
    const { row, allInstructions } = predictions(model);
    expect(
      Math.abs(allInstructions.length_controlled_winrate - row.length_controlled_winrate),
    ).toBeLessThan(1e-9);
    expect(Math.abs(allInstructions.lc_standard_error - row.lc_standard_error)).toBeLessThan(1e-9);
  });

  it("reproduces every leaderboard row whose weights are current to 1e-9", () => {
    const rows = [...leaderboard.values()].filter((row) => weights.has(row.model));
    expect(rows.length).toBe(199);
    const mismatched: string[] = [];
    let reproduced = 0;
    for (const { model } of rows) {
      const { row, allInstructions, fileRows } = predictions(model);
      const deltas = [allInstructions, fileRows].map((prediction) =>
        Math.abs(prediction.length_controlled_winrate - row.length_controlled_winrate),
      );
      if (Math.min(...deltas) <= 1e-9) reproduced += 1;
      else mismatched.push(model);
      if (!Number.isNaN(row.lc_standard_error) && !STALE_WEIGHT_ROWS.includes(model)) {
        expect(
          Math.abs(allInstructions.lc_standard_error - row.lc_standard_error),
          model,
        ).toBeLessThan(1e-9);
      }
    }
    expect(mismatched.sort()).toEqual([...STALE_WEIGHT_ROWS].sort());
    expect(reproduced).toBe(196);
  });

  it("treats the baseline's weights as zero (LC 50)", () => {
    const baseline = weights.get("gpt4_1106_preview") as GlmWeights;
    expect(
      predictLengthControlledWinRate(baseline, data.instructionDifficulty)
        .length_controlled_winrate,
    ).toBe(50);
  });
});

describe("length-controlled win rate refitted from preferences.dev.csv", () => {
  it("matches the leaderboard for every dev model (median |Δ| ≤ 0.01, max ≤ 0.2)", () => {
    const started = performance.now();
    const deltas: { model: string; delta: number }[] = [];
    for (const model of dev) {
      const result = computeLengthControlledWinRate(
        { ...model, isBaseline: model.model === "gpt4_1106_preview" },
        data,
      );
      const official = leaderboard.get(model.model);
      if (official)
        deltas.push({
          model: model.model,
          delta: Math.abs(result.length_controlled_winrate - official.length_controlled_winrate),
        });
    }
    const seconds = (performance.now() - started) / 1000;
    const sorted = deltas.map((entry) => entry.delta).sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)] as number;
    const max = sorted.at(-1) as number;
    console.info(
      `LC refit of ${dev.length} models: median |Δ| ${median.toFixed(4)}, max ${max.toFixed(4)}, ${seconds.toFixed(2)} s`,
    );
    expect(deltas).toHaveLength(41);
    expect(median).toBeLessThanOrEqual(0.01);
    expect(max).toBeLessThanOrEqual(0.2);
  });

  it("recovers claude-2.1's stored weights and chooses C from the logspace grid", () => {
    const claude = dev.find((model) => model.model === "claude-2.1") as DevModel;
    const result = computeLengthControlledWinRate(claude, data);
    const stored = weights.get("claude-2.1") as GlmWeights;
    expect(result.C).toBeCloseTo(2.782559402207126, 12);
    expect(Math.abs(result.weights.length - stored.length)).toBeLessThan(0.01);
    expect(
      Math.abs(result.weights.instructionDifficulty - stored.instructionDifficulty),
    ).toBeLessThan(0.01);
    expect(Math.abs(result.weights.notGamedBaseline - stored.notGamedBaseline)).toBeLessThan(0.01);
    expect(result.cvScores).toHaveLength(10);
  });

  it("shows NullModel's stored weights are stale: the refit is closer to the leaderboard", () => {
    const nullModel = dev.find((model) => model.model === "NullModel") as DevModel;
    const official = (leaderboard.get("NullModel") as AlpacaEvalLeaderboardRow)
      .length_controlled_winrate;
    const refit = computeLengthControlledWinRate(nullModel, data).length_controlled_winrate;
    const stored = predictLengthControlledWinRate(
      weights.get("NullModel") as GlmWeights,
      data.instructionDifficulty,
    ).length_controlled_winrate;
    expect(Math.abs(refit - official)).toBeLessThan(0.1);
    expect(Math.abs(stored - official)).toBeGreaterThan(0.1);
  });

  it("is 50 for the baseline itself without fitting", () => {
    const baseline = dev.find((model) => model.model === "gpt4_1106_preview") as DevModel;
    expect(computeLengthControlledWinRate({ ...baseline, isBaseline: true }, data)).toMatchObject({
      length_controlled_winrate: 50,
      weights: { length: 0, instructionDifficulty: 0, notGamedBaseline: 0 },
    });
  });

  it("predicts rows with a missing preference but leaves them out of the fit", () => {
    const claude = dev.find((model) => model.model === "claude-2.1") as DevModel;
    const withGap = {
      ...claude,
      preferences: claude.preferences.map((value, row) => (row === 7 ? Number.NaN : value)),
    };
    const result = computeLengthControlledWinRate(withGap, data);
    expect(result.length_controlled_winrate).toBeGreaterThan(20);
    expect(Number.isFinite(result.lc_standard_error)).toBe(true);
  });

  it("rejects inputs of mismatched length", () => {
    expect(() =>
      computeLengthControlledWinRate(
        { preferences: [1.5, 2], baselineLengths: [10], modelLengths: [5, 6] },
        data,
      ),
    ).toThrow(/one entry per annotation row/);
  });
});
