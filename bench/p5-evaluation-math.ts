/**
 * P5 — evaluation math: AlpacaEval 2.0's length-controlled win rate refitted (L1 logistic GLM,
 * C by 5-fold cross-validation over 10 values) for every model of the dev annotations.
 */
import { performance } from "node:perf_hooks";
import {
  computeLengthControlledWinRate,
  loadLengthControlledData,
  readAlpacaEvalLeaderboard,
} from "../src/eval/index.js";
import { csvNumber, readCsv } from "../src/eval/io/csv-file.js";
import { firstMissing, sharedDataPath } from "./lib/paths.js";
import { benchCommand, runIfMain, type Benchmark, type BenchReport } from "./lib/report.js";
import { median } from "./lib/stats.js";

interface DevModel {
  model: string;
  preferences: number[];
  baselineLengths: number[];
  modelLengths: number[];
}

const BASELINE = "gpt4_1106_preview";

async function readDevPreferences(path: string): Promise<DevModel[]> {
  const byModel = new Map<string, DevModel>();
  for (const row of await readCsv(path)) {
    const model = row.model!;
    let entry = byModel.get(model);
    if (!entry) {
      entry = { model, preferences: [], baselineLengths: [], modelLengths: [] };
      byModel.set(model, entry);
    }
    entry.preferences.push(csvNumber(row.preference));
    entry.baselineLengths.push(csvNumber(row.len_1));
    entry.modelLengths.push(csvNumber(row.len_2));
  }
  return [...byModel.values()];
}

const benchmark: Benchmark = {
  id: "p5",
  title: "evaluation math (LC refit of every dev model)",
  async run({ runs, log }): Promise<BenchReport> {
    const files = {
      preferences: sharedDataPath("alpaca_eval", "annotations", "preferences.dev.csv"),
      gamed: sharedDataPath("alpaca_eval", "df_gamed.csv"),
      difficulty: sharedDataPath("alpaca_eval", "instruction_difficulty.csv"),
      leaderboard: sharedDataPath("alpaca_eval", "leaderboard.weighted_alpaca_eval_gpt4_turbo.csv"),
    };
    const base = { id: "p5", title: benchmark.title, command: benchCommand("p5", runs) };
    const missing = firstMissing(Object.values(files));
    if (missing) return { ...base, figures: [], notes: [], skipped: `${missing} not found` };

    const loadStarted = performance.now();
    const models = await readDevPreferences(files.preferences);
    const data = await loadLengthControlledData({
      gamedPath: files.gamed,
      instructionDifficultyPath: files.difficulty,
    });
    const loadMs = performance.now() - loadStarted;
    const leaderboard = await readAlpacaEvalLeaderboard(files.leaderboard);

    const seconds: number[] = [];
    let deltas: number[] = [];
    for (let run = 0; run < runs; run++) {
      const started = performance.now();
      const results = models.map((model) => ({
        model: model.model,
        result: computeLengthControlledWinRate(
          { ...model, isBaseline: model.model === BASELINE },
          data,
        ),
      }));
      seconds.push((performance.now() - started) / 1000);
      deltas = results.flatMap(({ model, result }) => {
        const official = leaderboard.get(model)?.length_controlled_winrate;
        return official === undefined
          ? []
          : [Math.abs(result.length_controlled_winrate - official)];
      });
      log(
        `run ${run + 1}/${runs}: ${models.length} models refitted in ${seconds.at(-1)!.toFixed(2)} s`,
      );
    }
    return {
      ...base,
      figures: [
        {
          label: `LC refit, all ${models.length} dev models`,
          value: median(seconds),
          unit: "s",
          target: { comparison: "<=", value: 5 },
          runs: seconds,
        },
        {
          label: "LC refit, per model",
          value: (median(seconds) * 1000) / (models.length - 1),
          unit: "ms",
          digits: 1,
        },
      ],
      notes: [
        `data: ../shared/data/alpaca_eval/annotations/preferences.dev.csv (${models.length} models, ${models.reduce((total, model) => total + model.preferences.length, 0)} rows) + df_gamed.csv + instruction_difficulty.csv; loading and parsing them: ${loadMs.toFixed(0)} ms (not in the figure)`,
        `per model: 10 C values × 5 folds + 1 refit = 51 L1 logistic fits on ~2,415 rows; the baseline (${BASELINE}) is 50 by definition and not fitted`,
        `check: |LC − leaderboard| median ${median(deltas).toFixed(4)}, max ${Math.max(...deltas).toFixed(4)} points over ${deltas.length} models`,
      ],
    };
  },
};

export default benchmark;
await runIfMain(benchmark, import.meta.url);
