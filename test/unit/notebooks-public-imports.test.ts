import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const notebooks = readdirSync(join(root, "notebooks")).filter((name) => name.endsWith(".ipynb"));
const exportsField = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).exports as Record<
  string,
  { import?: string } | string
>;
/** The build files of the package's entry points, as a notebook (in notebooks/) imports them. */
const PUBLIC = new Set(
  Object.values(exportsField).flatMap((target) =>
    typeof target === "object" && target.import ? [`.${target.import}`] : [],
  ),
);

describe("notebooks", () => {
  it.each(notebooks)("%s imports the repository only through public entry points", (name) => {
    const notebook = JSON.parse(readFileSync(join(root, "notebooks", name), "utf8")) as {
      cells: { cell_type: string; source: string[] | string }[];
    };
    const code = notebook.cells
      .filter((cell) => cell.cell_type === "code")
      .map((cell) => (Array.isArray(cell.source) ? cell.source.join("") : cell.source))
      .join("\n");
    const local = [
      ...code.matchAll(/\bfrom\s+"(\.\.?\/[^"]+)"|\bimport\(\s*"(\.\.?\/[^"]+)"/g),
    ].map((match) => match[1] ?? match[2]!);
    expect(local.filter((specifier) => !PUBLIC.has(specifier))).toEqual([]);
  });
});
