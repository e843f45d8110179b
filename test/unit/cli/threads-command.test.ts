import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCapturedCli } from "../../support/cli-io.js";

const directory = mkdtempSync(join(tmpdir(), "moa-threads-unit-"));
const missing = join(directory, "none", "checkpoints.sqlite");

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe("moa threads on a store that does not exist yet", () => {
  it("lists no threads, says how to start one, and creates no file", async () => {
    const result = await runCapturedCli(["threads", "list", "--checkpoint-db", missing]);
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      `no threads in ${missing}; start one with \`moa run --thread ID "<prompt>"\`.\n`,
    );
    expect(existsSync(missing)).toBe(false);
    const json = await runCapturedCli(["threads", "list", "--checkpoint-db", missing, "--json"]);
    expect(JSON.parse(json.out)).toEqual([]);
  });

  it.each(["show", "export", "delete"])(
    "reports `%s` of an unknown id as a usage error (exit 2)",
    async (command) => {
      const result = await runCapturedCli(["threads", command, "t1"], {
        MOA_CHECKPOINT_DB: missing,
      });
      expect(result.code).toBe(2);
      expect(result.err).toBe(
        `moa: no thread "t1" in ${missing}; see the thread ids with \`moa threads list --checkpoint-db ${missing}\`.\n` +
          `See \`moa threads ${command} --help\`.\n`,
      );
      expect(existsSync(missing)).toBe(false);
    },
  );

  it("documents its subcommands", async () => {
    const result = await runCapturedCli(["threads", "--help"]);
    expect(result.code).toBe(0);
    for (const command of ["list", "show", "export", "delete"]) {
      expect(result.out).toMatch(new RegExp(`^\\s+${command}\\b`, "m"));
    }
  });
});
