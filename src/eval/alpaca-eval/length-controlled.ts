import { InvalidArgumentError } from "../../errors/index.js";
import {
  crossValidateL1LogisticRegression,
  logistic,
  logspace,
  type SoftLabelDesign,
} from "./l1-logistic-regression.js";
import type { LengthControlledData } from "./length-controlled-data.js";

/** The three weights of `length_controlled_v1` (column names of upstream's weights CSV in comments). */
export interface GlmWeights {
  /** ψ, weight of `np.tanh(std_delta_len)`. */
  length: number;
  /** φ, weight of `instruction_difficulty`. */
  instructionDifficulty: number;
  /** θ, weight of `not_gamed_baseline.astype(float)`. */
  notGamedBaseline: number;
}

/** One model's annotations, as the GLM needs them (index = row of the annotations file). */
export interface LengthControlledInput {
  /** Preference per row: in [1, 2] (2 = the model wins), 0 = draw (read as 1.5), NaN = missing. */
  preferences: ArrayLike<number>;
  /** Python length (code points) of `output_1`, the baseline's output, per row. */
  baselineLengths: ArrayLike<number>;
  /** Python length of `output_2`, the evaluated model's output, per row. */
  modelLengths: ArrayLike<number>;
  /** True when the evaluated model is the baseline itself (LC is then 50 by construction). */
  isBaseline?: boolean;
}

/** Settings of the `length_controlled_v1` fit; the defaults are upstream's. */
export interface LengthControlledOptions {
  /** λ, total sample weight of the gamed baselines' rows (λ/2 each). @default 0.2 */
  regularizeToBaselineLambda?: number;
  /** Candidate C values. @default logspace(−4, 4, 10) */
  Cs?: readonly number[];
  /** Cross-validation folds. @default 5 */
  folds?: number;
  /** Solver step tolerance. @default 1e-13 */
  tolerance?: number;
}

/** The LC result; field names follow the official leaderboard. */
export interface LengthControlledResult {
  /** 100 · mean σ(θ + φ·γᵢ) over the annotation rows. */
  length_controlled_winrate: number;
  /** 100 · std(σ(θ + φ·γᵢ), ddof 1) / √rows. */
  lc_standard_error: number;
  /** The fitted weights. */
  weights: GlmWeights;
  /** The C chosen by cross-validation (undefined for the baseline). */
  C?: number;
  /** Mean held-out score per candidate C. */
  cvScores?: number[];
}

/**
 * AlpacaEval's length-controlled win rate (`length_controlled_v1`), refitted from one model's
 * annotations exactly as defined upstream (`metrics/glm_winrate.py`):
 * - features per row: `tanh((len₁ − len₂) / sd)` with the sd (ddof 1) over **all** rows of the
 *   file, γ looked up by **row position** (upstream's quirk: files with fewer than 805 rows still
 *   use γ[row]), and the not-gamed indicator 1;
 * - the 1,610 gamed-baseline rows stacked first, with weight λ/2 and indicator 0;
 * - rows with a missing preference dropped from the fit (but predicted);
 * - soft-label L1 logistic regression without intercept, C by 5-fold CV (fold = row mod 5 over
 *   the stacked rows), then LC = 100 · mean σ(θ + φ·γ) over the file's rows.
 *
 * @example
 * ```ts
 * const data = await loadLengthControlledData();
 * const { length_controlled_winrate } = computeLengthControlledWinRate(
 *   { preferences, baselineLengths, modelLengths },
 *   data,
 * );
 * ```
 */
export function computeLengthControlledWinRate(
  input: LengthControlledInput,
  data: LengthControlledData,
  options: LengthControlledOptions = {},
): LengthControlledResult {
  const rows = input.preferences.length;
  if (input.baselineLengths.length !== rows || input.modelLengths.length !== rows) {
    throw new InvalidArgumentError({
      parameter: "input",
      value: {
        preferences: rows,
        baselineLengths: input.baselineLengths.length,
        modelLengths: input.modelLengths.length,
      },
      message:
        "`preferences`, `baselineLengths` and `modelLengths` must have one entry per annotation row.",
    });
  }
  const difficulty = data.fitInstructionDifficulty;
  if (rows === 0 || rows > difficulty.length) {
    throw new InvalidArgumentError({
      parameter: "input.preferences",
      value: rows,
      message: `needs between 1 and ${difficulty.length} rows (γ is looked up by row position).`,
    });
  }
  if (input.isBaseline) {
    return {
      length_controlled_winrate: 50,
      lc_standard_error: 0,
      weights: { length: 0, instructionDifficulty: 0, notGamedBaseline: 0 },
    };
  }

  const design = buildLengthControlledDesign(
    input,
    data,
    options.regularizeToBaselineLambda ?? 0.2,
  );
  const cv = crossValidateL1LogisticRegression(design, {
    Cs: options.Cs ?? logspace(-4, 4, 10),
    folds: options.folds ?? 5,
    ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
  });
  const [length, instructionDifficulty, notGamedBaseline] = cv.fit.coefficients as unknown as [
    number,
    number,
    number,
  ];
  const weights = { length, instructionDifficulty, notGamedBaseline };
  return {
    ...lengthControlledFromWeights(weights, difficulty.subarray(0, rows)),
    weights,
    C: cv.C,
    cvScores: cv.meanScores,
  };
}

/**
 * The stacked design upstream fits: gamed rows first (weight λ/2, indicator 0), then the model's
 * rows with a known preference (weight 1, indicator 1); features `[tanh(s), γ, indicator]`.
 */
export function buildLengthControlledDesign(
  input: LengthControlledInput,
  data: LengthControlledData,
  lambda = 0.2,
): SoftLabelDesign {
  const rows = input.preferences.length;
  const deltas = new Float64Array(rows);
  for (let row = 0; row < rows; row += 1) {
    deltas[row] = (input.baselineLengths[row] as number) - (input.modelLengths[row] as number);
  }
  const sd = sampleStandardDeviation(deltas);
  const gamedCount = data.gamed.preference.length;
  const kept: number[] = [];
  for (let row = 0; row < rows; row += 1) {
    const preference = input.preferences[row] as number;
    if (preference !== null && !Number.isNaN(preference)) kept.push(row);
  }
  const total = gamedCount + kept.length;
  const features = new Float64Array(total * 3);
  const labels = new Float64Array(total);
  const weights = new Float64Array(total);
  for (let row = 0; row < gamedCount; row += 1) {
    features[row * 3] = Math.tanh(data.gamed.standardizedLengthDifference[row] as number);
    features[row * 3 + 1] = data.gamed.instructionDifficulty[row] as number;
    features[row * 3 + 2] = 0;
    labels[row] = data.gamed.preference[row] as number;
    weights[row] = lambda / 2;
  }
  for (const [position, row] of kept.entries()) {
    const target = gamedCount + position;
    const preference = input.preferences[row] as number;
    // A stored 0 is the legacy encoding of a draw.
    const y = (preference === 0 ? 1.5 : preference) - 1;
    // sd is 0 only when every length difference is equal; the feature is then 0 (upstream: NaN).
    features[target * 3] = sd > 0 ? Math.tanh((deltas[row] as number) / sd) : 0;
    features[target * 3 + 1] = data.fitInstructionDifficulty[row] as number;
    features[target * 3 + 2] = 1;
    labels[target] = y;
    weights[target] = 1;
  }
  return { rows: total, dimensions: 3, features, labels, weights };
}

/** Options of {@link predictLengthControlledWinRate}. */
export interface PredictLengthControlledOptions {
  /**
   * Average over the first `rows` instructions only. The leaderboard's older entries for files
   * with fewer than 805 annotations average over their rows; newer ones over all 805.
   * @default every instruction
   */
  rows?: number;
  /** Weights of the baseline (upstream subtracts them); `gpt4_1106_preview`'s are all 0. */
  baseline?: GlmWeights;
}

/**
 * LC predicted from stored GLM weights (upstream's `predict_winrate`): 100 · mean σ(Δθ + Δφ·γᵢ),
 * with its standard error 100 · std(ddof 1) / √n.
 *
 * @example
 * ```ts
 * const weights = (await readGlmWeights(path)).get("Together-MoA")!;
 * predictLengthControlledWinRate(weights, data.instructionDifficulty).length_controlled_winrate; // 65.38
 * ```
 */
export function predictLengthControlledWinRate(
  weights: GlmWeights,
  instructionDifficulty: ArrayLike<number>,
  options: PredictLengthControlledOptions = {},
): Pick<LengthControlledResult, "length_controlled_winrate" | "lc_standard_error"> {
  const rows = options.rows ?? instructionDifficulty.length;
  if (!Number.isInteger(rows) || rows < 1 || rows > instructionDifficulty.length) {
    throw new InvalidArgumentError({
      parameter: "rows",
      value: rows,
      message: `must be an integer between 1 and ${instructionDifficulty.length}.`,
    });
  }
  const base = options.baseline ?? { length: 0, instructionDifficulty: 0, notGamedBaseline: 0 };
  const delta = {
    length: weights.length - base.length,
    instructionDifficulty: weights.instructionDifficulty - base.instructionDifficulty,
    notGamedBaseline: weights.notGamedBaseline - base.notGamedBaseline,
  };
  const gammas = new Float64Array(rows);
  for (let row = 0; row < rows; row += 1) gammas[row] = instructionDifficulty[row] as number;
  return lengthControlledFromWeights(delta, gammas);
}

function lengthControlledFromWeights(
  weights: GlmWeights,
  gammas: ArrayLike<number>,
): Pick<LengthControlledResult, "length_controlled_winrate" | "lc_standard_error"> {
  const predictions = new Float64Array(gammas.length);
  for (let row = 0; row < gammas.length; row += 1) {
    predictions[row] = logistic(
      weights.notGamedBaseline + weights.instructionDifficulty * (gammas[row] as number),
    );
  }
  return {
    length_controlled_winrate: mean(predictions) * 100,
    lc_standard_error: (sampleStandardDeviation(predictions) / Math.sqrt(predictions.length)) * 100,
  };
}

function mean(values: ArrayLike<number>): number {
  let total = 0;
  for (let index = 0; index < values.length; index += 1) total += values[index] as number;
  return total / values.length;
}

/** Sample standard deviation (ddof 1), two-pass like numpy/pandas; NaN for fewer than 2 values. */
export function sampleStandardDeviation(values: ArrayLike<number>): number {
  if (values.length < 2) return Number.NaN;
  const average = mean(values);
  let squares = 0;
  for (let index = 0; index < values.length; index += 1) {
    const difference = (values[index] as number) - average;
    squares += difference * difference;
  }
  return Math.sqrt(squares / (values.length - 1));
}
