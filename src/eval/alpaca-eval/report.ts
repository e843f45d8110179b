import { InvalidArgumentError } from "../../errors/index.js";
import { codePointLength } from "../python/code-point-length.js";
import { readAlpacaEvalAnnotations, type AlpacaEvalAnnotation } from "./annotations.js";
import {
  computeLengthControlledWinRate,
  type LengthControlledOptions,
} from "./length-controlled.js";
import { loadLengthControlledData, type LengthControlledData } from "./length-controlled-data.js";
import { averageLength, computeWinRate, type WinRateMetrics } from "./win-rate.js";

/** The AlpacaEval report; every field has the official leaderboard's name and meaning. */
export interface AlpacaEvalReport extends WinRateMetrics {
  /** `int(mean(len(output_2)))` in code points over the annotated rows. */
  avg_length: number;
  /** Length-controlled win rate (refitted GLM). */
  length_controlled_winrate: number;
  /** Its standard error. */
  lc_standard_error: number;
}

/**
 * Scores one model's annotations: raw and discrete win rates, average length, and the
 * length-controlled win rate refitted from the same annotations (see
 * `computeLengthControlledWinRate`). All rows must share one `generator_2`.
 *
 * @example
 * ```ts
 * const report = reportAlpacaEval(annotations, await loadLengthControlledData());
 * report.length_controlled_winrate;
 * ```
 */
export function reportAlpacaEval(
  annotations: readonly AlpacaEvalAnnotation[],
  data: LengthControlledData,
  options: LengthControlledOptions = {},
): AlpacaEvalReport {
  if (annotations.length === 0) {
    throw new InvalidArgumentError({
      parameter: "annotations",
      value: 0,
      message: "no annotations to score.",
    });
  }
  const models = new Set(annotations.map((annotation) => annotation.generator_2));
  const baselines = new Set(annotations.map((annotation) => annotation.generator_1));
  if (models.size !== 1 || baselines.size !== 1) {
    throw new InvalidArgumentError({
      parameter: "annotations",
      value: { generator_2: [...models], generator_1: [...baselines] },
      message:
        "all annotations must compare the same two generators; split the file per model first.",
    });
  }
  const preferences = annotations.map((annotation) => annotation.preference ?? Number.NaN);
  const lengthControlled = computeLengthControlledWinRate(
    {
      preferences,
      baselineLengths: annotations.map((annotation) => codePointLength(annotation.output_1)),
      modelLengths: annotations.map((annotation) => codePointLength(annotation.output_2)),
      isBaseline: [...models][0] === [...baselines][0],
    },
    data,
    options,
  );
  return {
    ...computeWinRate(preferences),
    avg_length: averageLength(annotations.map((annotation) => annotation.output_2)),
    length_controlled_winrate: lengthControlled.length_controlled_winrate,
    lc_standard_error: lengthControlled.lc_standard_error,
  };
}

/**
 * Reads an `annotations.json` (official or ours) and scores it — the
 * `moa eval report --benchmark alpaca-eval --annotations FILE` path.
 */
export async function reportAlpacaEvalFile(
  path: string,
  options: { lengthControlledData?: LengthControlledData } & LengthControlledOptions = {},
): Promise<AlpacaEvalReport> {
  const { lengthControlledData, ...fitOptions } = options;
  const [annotations, data] = await Promise.all([
    readAlpacaEvalAnnotations(path),
    lengthControlledData ? Promise.resolve(lengthControlledData) : loadLengthControlledData(),
  ]);
  return reportAlpacaEval(annotations, data, fitOptions);
}
