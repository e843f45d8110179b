// Verification data that is too large to vendor lives in the sibling `shared/` checkout
// (CI clones the repository with `shared/` next to it).
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Absolute path of a file under `../shared/data`. */
export function sharedDataPath(...segments: string[]): string {
  return resolve(repoRoot, "../shared/data", ...segments);
}

/** Absolute path of a fixture under `test/fixtures/eval`. */
export function fixturePath(...segments: string[]): string {
  return resolve(repoRoot, "test/fixtures/eval", ...segments);
}
