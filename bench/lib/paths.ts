import { existsSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository root: the nearest directory above this file holding `package.json` and
 * `bench/` (works from `bench/lib/` under tsx and from a bundle in `bench/results/.build/`).
 */
export const REPO_ROOT = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(start: string): string {
  for (let directory = start; ; directory = dirname(directory)) {
    if (existsSync(join(directory, "package.json")) && existsSync(join(directory, "bench"))) {
      return directory;
    }
    if (dirname(directory) === directory) return resolve(start, "../..");
  }
}

/**
 * The shared benchmark data: `../shared/data` next to the repository checkout, or the directory
 * named by `MOA_BENCH_SHARED_DATA`.
 */
export const SHARED_DATA_ROOT = resolve(
  REPO_ROOT,
  process.env.MOA_BENCH_SHARED_DATA ?? "../shared/data",
);

/** Absolute path of a file under `../shared/data`. */
export function sharedDataPath(...segments: string[]): string {
  return resolve(SHARED_DATA_ROOT, ...segments);
}

/**
 * The first of `paths` that does not exist, as a path relative to the repository root (for the
 * "skipped: … not found" line), or `undefined` when every one exists.
 */
export function firstMissing(paths: readonly string[]): string | undefined {
  const missing = paths.find((path) => !existsSync(path));
  return missing === undefined ? undefined : relative(REPO_ROOT, missing);
}
