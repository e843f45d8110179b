// Reads the compact judge annotations of 42 leaderboard models (verification data, not vendored).
import { csvNumber, readCsv } from "../../../../src/eval/io/csv-file.js";
import { sharedDataPath } from "../shared-data.js";

/** One model's rows of `preferences.dev.csv`, in file-row order. */
export interface DevModel {
  model: string;
  preferences: number[];
  baselineLengths: number[];
  modelLengths: number[];
}

/** Every model of `annotations/preferences.dev.csv`. */
export async function readDevPreferences(): Promise<DevModel[]> {
  const rows = await readCsv(sharedDataPath("alpaca_eval", "annotations", "preferences.dev.csv"));
  const byModel = new Map<string, DevModel>();
  for (const row of rows) {
    const model = row.model as string;
    let entry = byModel.get(model);
    if (!entry) {
      entry = { model, preferences: [], baselineLengths: [], modelLengths: [] };
      byModel.set(model, entry);
    }
    if (csvNumber(row.row) !== entry.preferences.length)
      throw new Error(`rows of ${model} are not in order`);
    entry.preferences.push(csvNumber(row.preference));
    entry.baselineLengths.push(csvNumber(row.len_1));
    entry.modelLengths.push(csvNumber(row.len_2));
  }
  return [...byModel.values()];
}
