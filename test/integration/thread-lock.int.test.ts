import { execFile, spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  parseSyntheticReply,
  startSimulator,
  type Simulator,
} from "../../src/testing/simulator/index.js";

const run = promisify(execFile);

/** One `moa` child process: its exit code and what it printed. */
interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe("thread locks: one moa process per thread", () => {
  let sim: Simulator;
  let env: NodeJS.ProcessEnv;
  let directory: string;

  beforeAll(async () => {
    // Slow enough that the first run is surely still working when the second one starts.
    sim = await startSimulator({ defaultModel: { latencyMs: 1_500, outputTokens: 8 } });
    directory = mkdtempSync(join(tmpdir(), "moa-lock-"));
    env = {
      PATH: process.env.PATH,
      OPENAI_BASE_URL: `${sim.url}/v1`,
      OPENAI_API_KEY: "sk-test",
      LANGSMITH_TRACING: "false",
    };
  });

  afterAll(async () => {
    await sim.close();
  });

  const threadArgs = (database: string, thread: string) => [
    "--thread",
    thread,
    "--checkpoint-db",
    database,
    "--json",
    "--proposers",
    "openai:p1,openai:p2",
    "--aggregator",
    "openai:agg",
    "--layers",
    "2",
  ];
  const moa = (args: string[]): Promise<Exit> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ["bin/moa.js", ...args], { env });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      child.once("close", (code) => resolve({ code, stdout, stderr }));
    });

  it("runs exactly one of two concurrent runs; the other exits 1 naming the holder, and the history keeps every turn", async () => {
    const database = join(directory, "concurrent.sqlite");
    const args = (prompt: string) => ["run", prompt, ...threadArgs(database, "t")];
    const exits = await Promise.all([moa(args("First?")), moa(args("Second?"))]);
    const succeeded = exits.filter((exit) => exit.code === 0);
    const refused = exits.filter((exit) => exit.code !== 0);
    expect(succeeded).toHaveLength(1);
    expect(refused).toHaveLength(1);
    expect(refused[0]!.code).toBe(1);
    expect(refused[0]!.stderr).toMatch(
      /thread "t" is in use by another moa process \(pid \d+ on .+, started \d{4}-.*\); wait for it to finish, or if that process is gone/,
    );
    expect(refused[0]!.stderr).not.toMatch(/moa resume/);
    // Two proposers and one aggregator were called once: the refused run made no paid call.
    expect(sim.countRequests({})).toBe(3);

    // The next turn sees the finished one: nothing forked, nothing vanished; the lock is free.
    const next = await moa(args("Third?"));
    expect(next.code).toBe(0);
    expect(parseSyntheticReply(JSON.parse(next.stdout).answer)).toMatchObject({ turns: 2 });
  });

  it("refuses `moa resume` while the run is alive instead of repeating its calls", async () => {
    sim.reset();
    const database = join(directory, "resume.sqlite");
    const first = moa(["run", "Slow?", ...threadArgs(database, "r")]);
    await until(() => sim.countRequests({ model: "p1" }) >= 1);
    const resumed = await moa(["resume", "--thread", "r", "--checkpoint-db", database]);
    expect(resumed.code).toBe(1);
    expect(resumed.stderr).toMatch(/thread "r" is in use by another moa process/);
    expect((await first).code).toBe(0);
    expect(sim.countRequests({ model: "p1" })).toBe(1);
  });

  it("takes over a lock left by a dead process on this host", async () => {
    const database = join(directory, "stale.sqlite");
    // Create the store, then plant the lock of a process that has exited.
    const created = await moa(["run", "Warm up?", ...threadArgs(database, "s")]);
    expect(created.code).toBe(0);
    const dead = spawn(process.execPath, ["-e", ""]);
    const deadPid = await new Promise<number>((resolve) =>
      dead.once("exit", () => resolve(dead.pid!)),
    );
    const db = new Database(database);
    db.prepare(
      "INSERT INTO moa_thread_locks (thread_id, pid, host, started_at, token) VALUES (?, ?, ?, ?, ?)",
    ).run("s", deadPid, hostname(), new Date().toISOString(), "gone");
    db.close();

    const next = await moa(["run", "Again?", ...threadArgs(database, "s")]);
    expect(next.stderr).toBe("");
    expect(next.code).toBe(0);
    expect(parseSyntheticReply(JSON.parse(next.stdout).answer)).toMatchObject({ turns: 2 });
    const check = new Database(database, { readonly: true });
    expect(check.prepare("SELECT count(*) AS n FROM moa_thread_locks").get()).toEqual({ n: 0 });
    check.close();
  });

  it("keeps a live holder's lock on another host until `moa unlock` removes it", async () => {
    const database = join(directory, "stale.sqlite");
    const db = new Database(database);
    db.prepare(
      "INSERT INTO moa_thread_locks (thread_id, pid, host, started_at, token) VALUES (?, ?, ?, ?, ?)",
    ).run("s", 1, "elsewhere.example", "2026-01-01T00:00:00.000Z", "remote");
    db.close();
    const refused = await moa(["run", "Blocked?", ...threadArgs(database, "s")]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/pid 1 on elsewhere\.example, started 2026-01-01/);
    const unlocked = await moa(["unlock", "--thread", "s", "--checkpoint-db", database]);
    expect(unlocked.stdout).toMatch(/removed the lock of thread "s" \(pid 1 on elsewhere/);
    expect((await moa(["run", "Free?", ...threadArgs(database, "s")])).code).toBe(0);
  });

  it("releases the lock when the run is stopped with SIGTERM", async () => {
    const database = join(directory, "signal.sqlite");
    const child = spawn(
      process.execPath,
      ["bin/moa.js", "run", "Stop?", ...threadArgs(database, "g")],
      {
        env,
        stdio: "ignore",
      },
    );
    const exited = new Promise((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
    await until(() => {
      try {
        const db = new Database(database, { readonly: true, fileMustExist: true });
        try {
          return (
            (db.prepare("SELECT count(*) AS n FROM moa_thread_locks").get() as { n: number }).n ===
            1
          );
        } finally {
          db.close();
        }
      } catch {
        return false;
      }
    });
    child.kill("SIGTERM");
    expect(await exited).toBe("SIGTERM");
    const db = new Database(database, { readonly: true });
    expect(db.prepare("SELECT count(*) AS n FROM moa_thread_locks").get()).toEqual({ n: 0 });
    db.close();
  });

  it.each([
    ["a directory", (dir: string) => dir, /`--checkpoint-db` .* is a directory/],
    [
      "a path under a regular file",
      (dir: string) => {
        writeFileSync(join(dir, "plain-file"), "");
        return join(dir, "plain-file", "db.sqlite");
      },
      /`--checkpoint-db` .* cannot be created/,
    ],
  ])("exits 2 naming `--checkpoint-db` when it is %s", async (_label, makePath, message) => {
    const result = await run(process.execPath, [
      "bin/moa.js",
      "run",
      "Hi",
      "--simulate",
      "--thread",
      "x",
      "--checkpoint-db",
      makePath(directory),
    ]).catch((error: { code: number; stderr: string }) => error);
    expect(result).toMatchObject({ code: 2, stderr: expect.stringMatching(message) });
  });
});

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
