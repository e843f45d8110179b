import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { EvalDataError } from "./eval-data-error.js";

/**
 * Absolute path of a file in the package's vendored `data/` directory (AlpacaEval eval set,
 * judge prompt and GLM side files; MT-Bench questions, judge prompts and reference answers).
 * Resolved when called — from `src/eval/` when running the sources, `dist/src/eval/` when
 * installed — never at import time.
 *
 * @example
 * ```ts
 * vendoredDataPath("mt_bench", "question.jsonl");
 * ```
 */
export function vendoredDataPath(...segments: string[]): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const root of [resolve(here, "../.."), resolve(here, "../../..")]) {
    const candidate = join(root, "data", ...segments);
    if (existsSync(join(root, "data", "alpaca_eval"))) return candidate;
  }
  throw new EvalDataError({
    file: join("data", ...segments),
    message: "the package's vendored data directory was not found; pass the file's path explicitly",
  });
}
