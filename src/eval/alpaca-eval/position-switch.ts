import { readJson } from "../io/json-file.js";
import { vendoredDataPath } from "../data-directory.js";
import { EvalDataError } from "../eval-data-error.js";
import { PythonRandom } from "../python/seeded-random.js";

/**
 * Whether AlpacaEval shows this instruction's outputs swapped to the judge (baseline as `M`,
 * evaluated model as `m`): `random.Random("is_switched_outputs" + instruction + str(seed))
 * .choices([False, True])[0]`, alpaca_eval's `RandomSwitchTwoColumnsProcessor` with the
 * annotator seed (0 for the leaderboard). Deterministic per instruction.
 *
 * @example
 * ```ts
 * isSwitchedOutputs("What are the names of some famous actors that started their careers on Broadway?"); // true
 * ```
 */
export function isSwitchedOutputs(instruction: string, seed = 0): boolean {
  return new PythonRandom(`is_switched_outputs${instruction}${seed}`).choice([false, true]);
}

/**
 * Reads the vendored `is_switched_outputs.json` (one flag per eval-set position, as the official
 * annotations used). {@link isSwitchedOutputs} computes the same flags for any instruction.
 */
export async function loadSwitchedOutputs(path?: string): Promise<boolean[]> {
  const file = path ?? vendoredDataPath("alpaca_eval", "is_switched_outputs.json");
  const content = await readJson<{ is_switched_outputs?: unknown }>(file);
  const flags = content.is_switched_outputs;
  if (!Array.isArray(flags) || flags.some((flag) => typeof flag !== "boolean")) {
    throw new EvalDataError({
      file,
      message: "must contain `is_switched_outputs`, a list of booleans",
    });
  }
  return flags as boolean[];
}
