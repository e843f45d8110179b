import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);

describe("moa threads over the store of `moa run --thread`", () => {
  let directory: string;
  let database: string;
  const env = () => ({ PATH: process.env.PATH, LANGSMITH_TRACING: "false" });
  const moa = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, ["bin/moa.js", ...args], {
        env: env(),
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  };
  const turn = (prompt: string, preset = "moa-lite") =>
    moa(
      "run",
      "--simulate",
      "--preset",
      preset,
      "--thread",
      "T",
      "--checkpoint-db",
      database,
      "--json",
      prompt,
    );

  beforeAll(async () => {
    directory = mkdtempSync(join(tmpdir(), "moa-threads-"));
    database = join(directory, "checkpoints.sqlite");
    // Turn 1 on MoA-Lite (2 layers), turn 2 on the paper's MoA (3 layers).
    for (const [prompt, preset] of [
      ["What is entropy?", "moa-lite"],
      ["And in information theory?", "moa"],
    ] as const) {
      const result = await turn(prompt, preset);
      expect(result.code, result.stderr).toBe(0);
    }
    // Other parts of the CLI may keep their own tables in the same file.
    const db = new Database(database);
    db.exec("CREATE TABLE IF NOT EXISTS extra_table_of_another_feature (thread_id TEXT)");
    db.close();
  }, 120_000);

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it("lists the thread with its turn count, last update and last prompt", async () => {
    const json = await moa("threads", "list", "--checkpoint-db", database, "--json");
    expect(json.code, json.stderr).toBe(0);
    const [row, ...others] = JSON.parse(json.stdout);
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      thread: "T",
      turns: 2,
      lastPrompt: "And in information theory?",
      finished: true,
    });
    expect(Date.now() - Date.parse(row.updatedAt)).toBeLessThan(10 * 60_000);
    const text = await moa("threads", "list", "--checkpoint-db", database);
    expect(text.stdout).toMatch(/^T\t2 turn\(s\)\t\S+\t"And in information theory\?"\n$/);
  });

  it("shows the conversation and each turn's per-layer table", async () => {
    const result = await moa("threads", "show", "T", "--checkpoint-db", database);
    expect(result.code, result.stderr).toBe(0);
    const [, first, second] = result.stdout.split(/── turn \d/);
    expect(first).toContain("human: What is entropy?");
    expect(first).toMatch(/ai: \[sim:/);
    expect(second).toContain("human: And in information theory?");
    expect(first).toMatch(/│\s+1 │ proposer\s+│ Qwen\/Qwen1\.5-110B-Chat/);
    // Each turn's table is its own run's: MoA-Lite's aggregator at layer 2, 6 + 1 calls …
    expect(first).toMatch(/│\s+2 │ aggregator │ Qwen\/Qwen1\.5-72B-Chat/);
    expect(first).toContain("calls: 7 ·");
    // … then MoA's second proposer layer and its aggregator at layer 3, 6 + 6 + 1 calls.
    expect(second).toMatch(/│\s+2 │ proposer\s+│ Qwen\/Qwen1\.5-110B-Chat/);
    expect(second).toMatch(/│\s+3 │ aggregator │ Qwen\/Qwen1\.5-110B-Chat/);
    expect(second).toContain("calls: 13 ·");
    expect(second).not.toContain("human: What is entropy?");
  });

  it("exports messages and per-turn proposals, usage and aggregation as JSON", async () => {
    const out = join(directory, "export.json");
    const result = await moa("threads", "export", "T", "--checkpoint-db", database, "--out", out);
    expect(result.code, result.stderr).toBe(0);
    const exported = JSON.parse(readFileSync(out, "utf8"));
    expect(exported.thread).toBe("T");
    expect(exported.messages.map((message: { type: string }) => message.type)).toEqual([
      "human",
      "ai",
      "human",
      "ai",
    ]);
    expect(exported.turns).toHaveLength(2);
    expect(exported.turns.map((turn: { proposals: unknown[] }) => turn.proposals.length)).toEqual([
      6, 12,
    ]);
    for (const turn of exported.turns) {
      expect(turn.finished).toBe(true);
      expect(turn.aggregation).toMatchObject({ mode: "synthesize" });
      expect(turn.usage.inputTokens).toBeGreaterThan(0);
      expect(turn.answer).toMatch(/^\[sim:/);
    }
    expect(exported.turns[1].prompt).toBe("And in information theory?");
    const stdout = await moa("threads", "export", "T", "--checkpoint-db", database);
    expect(JSON.parse(stdout.stdout)).toEqual(exported);
  });

  it("reports an unknown id as a usage error saying how to list the ids", async () => {
    for (const command of ["show", "export", "delete"]) {
      const result = await moa("threads", command, "nope", "--checkpoint-db", database);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain(
        `moa: no thread "nope" in ${database}; see the thread ids with \`moa threads list --checkpoint-db ${database}\`.`,
      );
    }
  });

  it("deletes the thread's checkpoints and writes, leaving other tables alone", async () => {
    const result = await moa("threads", "delete", "T", "--checkpoint-db", database);
    expect(result.code, result.stderr).toBe(0);
    const db = new Database(database, { readonly: true });
    const count = (table: string) =>
      (
        db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE thread_id = 'T'`).get() as {
          n: number;
        }
      ).n;
    expect([count("checkpoints"), count("writes"), count("moa_threads")]).toEqual([0, 0, 0]);
    expect(count("extra_table_of_another_feature")).toBe(0);
    db.close();
    const list = await moa("threads", "list", "--checkpoint-db", database, "--json");
    expect(JSON.parse(list.stdout)).toEqual([]);
    // A new run on the same id starts a fresh conversation.
    await turn("Fresh start");
    const again = await moa("threads", "list", "--checkpoint-db", database, "--json");
    expect(JSON.parse(again.stdout)[0]).toMatchObject({ turns: 1, lastPrompt: "Fresh start" });
  }, 60_000);
});
