import { execFile } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";

const script = join(import.meta.dirname, "..", "..", "..", "tools", "check-folder-cycles.mjs");

/** Writes `files` (path → imported paths) as TypeScript modules under a fresh directory. */
async function tree(files: Record<string, string[]>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), "moa-folders-"));
  for (const [file, imports] of Object.entries(files)) {
    await mkdir(join(root, "src", dirname(file)), { recursive: true });
    const lines = imports.map((target, index) => {
      const from = dirname(file)
        .split("/")
        .filter((part) => part !== ".");
      const up = from.length === 0 ? "./" : "../".repeat(from.length);
      return `import { x as x${index} } from "${up}${target.replace(/\.ts$/, ".js")}";`;
    });
    await writeFile(join(root, "src", file), [...lines, "export const x = 1;", ""].join("\n"));
  }
  return root;
}

async function check(root: string, allow: string) {
  await writeFile(join(root, "allow"), allow);
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [script, "--root", join(root, "src"), "--allow", join(root, "allow")],
      { cwd: root },
    );
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, output: failed.stdout + failed.stderr };
  }
}

describe("tools/check-folder-cycles.mjs", () => {
  let root: string;
  beforeAll(async () => {
    // a ↔ b is a folder loop; c/inner ↔ c/util.ts one level down (folder and sibling file);
    // index.ts → a and a → d are one-way; d/one.ts ↔ d/two.ts is a file matter (madge's).
    root = await tree({
      "index.ts": ["a/one.ts"],
      "a/one.ts": ["b/one.ts", "d/one.ts"],
      "b/one.ts": ["a/two.ts"],
      "a/two.ts": [],
      "c/inner/one.ts": ["c/util.ts"],
      "c/util.ts": ["c/inner/two.ts"],
      "c/inner/two.ts": [],
      "d/one.ts": ["d/two.ts"],
      "d/two.ts": [],
    });
  }, 60_000);

  it("fails on a loop that is not allow-listed and names the imports making it", async () => {
    const { code, output } = await check(root, "a -> b -> a\n");
    expect(code).toBe(1);
    expect(output).toContain("NEW folder loop in src: c/inner -> c/util.ts -> c/inner");
    expect(output).toContain("c/inner -> c/util.ts   (c/inner/one.ts → c/util.ts)");
    expect(output).toContain("known folder loop (allow-listed): a -> b -> a");
    expect(output).not.toContain("NEW folder loop in src: a");
  });

  it("passes when every loop is allow-listed, in any rotation, with comments", async () => {
    const { code, output } = await check(
      root,
      "# known loops\nb -> a -> b  # issue #1\nc/util.ts -> c/inner  # issue #2\n",
    );
    expect(output).toContain("folder cycles: 2 known, none new");
    expect(code).toBe(0);
  });

  it("fails on an allow-listed loop that no longer exists", async () => {
    const { code, output } = await check(
      root,
      "a -> b -> a\nc/inner -> c/util.ts -> c/inner\na -> d -> a  # fixed\n",
    );
    expect(code).toBe(1);
    expect(output).toMatch(
      /allow-listed folder loop no longer exists: a -> d -> a \(remove .*:3\)/,
    );
  });
});
