import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const exportsField = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).exports as Record<
  string,
  { import?: string } | string
>;

/** Every code subpath of package.json "exports" with the source file its build comes from. */
const ENTRIES = Object.entries(exportsField).flatMap(([subpath, target]) =>
  typeof target === "object" && target.import
    ? [[subpath, target.import.replace(/^\.\/dist\//, "").replace(/\.js$/, ".ts")] as const]
    : [],
);

describe("public surface", () => {
  it("covers the package's entry points", () => {
    expect(ENTRIES.map(([subpath, source]) => `${subpath} ← ${source}`)).toEqual([
      ". ← src/index.ts",
      "./eval ← src/eval/index.ts",
      "./testing ← src/testing/index.ts",
      "./ablation ← src/ablation/index.ts",
      "./local ← src/local/index.ts",
      "./serve ← src/serve/index.ts",
      "./co-llm ← src/co-llm/index.ts",
    ]);
  });

  // A change of what users can import shows up as a diff of public-surface.snapshot.json
  // (review it, then accept it with `npx vitest run test/unit/public-surface.test.ts -u`).
  // Runtime names only: exported types are checked by the typecheck of the tests using them.
  it("exports exactly the snapshot's names from every subpath", async () => {
    const surface: Record<string, string[]> = {};
    for (const [subpath, source] of ENTRIES) {
      const module = (await import(pathToFileURL(join(root, source)).href)) as object;
      surface[subpath] = Object.keys(module).sort();
    }
    await expect(`${JSON.stringify(surface, null, 2)}\n`).toMatchFileSnapshot(
      "public-surface.snapshot.json",
    );
  });
});
