// node-llama-cpp is an optional peer of 200–700 MB: nothing may load it before a local call.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const SOURCE = join(import.meta.dirname, "..", "..", "..", "src");

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(folder, entry.name))
      : entry.name.endsWith(".ts")
        ? [join(folder, entry.name)]
        : [],
  );
}

describe("loading node-llama-cpp", () => {
  const files = sourceFiles(SOURCE).map((path) => ({
    path: relative(SOURCE, path),
    text: readFileSync(path, "utf8"),
  }));

  it("no module imports it statically (only `import type` and the lazy dynamic import)", () => {
    const offenders = files.filter(({ text }) =>
      /^\s*import\s+(?!type\b)[^;]*from\s+["']node-llama-cpp["']/m.test(text),
    );
    expect(offenders.map((file) => file.path)).toEqual([]);
  });

  it("is imported dynamically in one place, the engine loader", () => {
    const dynamic = files.filter(({ text }) => /import\(\s*["']node-llama-cpp["']\s*\)/.test(text));
    expect(dynamic.map((file) => file.path)).toEqual(["local/local-engine.ts"]);
  });
});
