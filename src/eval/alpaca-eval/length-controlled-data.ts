import { csvNumber, readCsv } from "../io/csv-file.js";
import { vendoredDataPath } from "../data-directory.js";
import { EvalDataError } from "../eval-data-error.js";

/** The fixed side data of AlpacaEval's `length_controlled_v1` GLM. */
export interface LengthControlledData {
  /**
   * γ per eval-set position, from `instruction_difficulty.csv` (used to predict from stored
   * weights, as upstream's `predict_winrate` does).
   */
  instructionDifficulty: Float64Array;
  /**
   * γ per eval-set position as upstream looks it up while fitting: the first `df_gamed.csv` row
   * of each `index` (equal to `instructionDifficulty` up to the last printed digit).
   */
  fitInstructionDifficulty: Float64Array;
  /** The 1,610 rows of the two gamed baselines (verbose, concise) that regularize ψ. */
  gamed: {
    /** Soft label y ∈ [0, 1] (already `preference − 1`). */
    preference: Float64Array;
    /** The length feature before `tanh` (`std_delta_len`). */
    standardizedLengthDifference: Float64Array;
    /** γ of the row's instruction. */
    instructionDifficulty: Float64Array;
  };
}

/** Paths of the files behind {@link LengthControlledData}; default to the vendored copies. */
export interface LoadLengthControlledDataParams {
  /** `df_gamed.csv`. @default vendored `data/alpaca_eval/df_gamed.csv` */
  gamedPath?: string;
  /** `instruction_difficulty.csv`. @default vendored `data/alpaca_eval/instruction_difficulty.csv` */
  instructionDifficultyPath?: string;
}

/**
 * Reads `df_gamed.csv` and `instruction_difficulty.csv` (the Hugging Face `tatsu-lab/alpaca_eval`
 * copies upstream downloads at run time; vendored here).
 *
 * @example
 * ```ts
 * const data = await loadLengthControlledData();
 * data.gamed.preference.length; // 1610
 * ```
 */
export async function loadLengthControlledData(
  params: LoadLengthControlledDataParams = {},
): Promise<LengthControlledData> {
  const gamedPath = params.gamedPath ?? vendoredDataPath("alpaca_eval", "df_gamed.csv");
  const difficultyPath =
    params.instructionDifficultyPath ??
    vendoredDataPath("alpaca_eval", "instruction_difficulty.csv");
  const [gamedRows, difficultyRows] = await Promise.all([
    readCsv(gamedPath),
    readCsv(difficultyPath),
  ]);

  const instructionDifficulty = new Float64Array(difficultyRows.length);
  for (const [position, row] of difficultyRows.entries()) {
    const index = csvNumber(row.index);
    if (index !== position) {
      throw new EvalDataError({
        file: difficultyPath,
        location: `line ${position + 2}`,
        message: "rows must be ordered by `index`",
      });
    }
    instructionDifficulty[position] = csvNumber(row.instruction_difficulty);
  }

  const count = gamedRows.length;
  const gamed = {
    preference: new Float64Array(count),
    standardizedLengthDifference: new Float64Array(count),
    instructionDifficulty: new Float64Array(count),
  };
  const fitInstructionDifficulty = new Float64Array(instructionDifficulty.length).fill(Number.NaN);
  for (const [position, row] of gamedRows.entries()) {
    gamed.preference[position] = csvNumber(row.preference);
    gamed.standardizedLengthDifference[position] = csvNumber(row.std_delta_len);
    gamed.instructionDifficulty[position] = csvNumber(row.instruction_difficulty);
    const index = csvNumber(row.index);
    if (Number.isInteger(index) && index >= 0 && index < fitInstructionDifficulty.length) {
      if (Number.isNaN(fitInstructionDifficulty[index] as number)) {
        fitInstructionDifficulty[index] = gamed.instructionDifficulty[position] as number;
      }
    }
  }
  if (fitInstructionDifficulty.some((value) => Number.isNaN(value))) {
    throw new EvalDataError({ file: gamedPath, message: "does not cover every instruction index" });
  }
  return { instructionDifficulty, fitInstructionDifficulty, gamed };
}
