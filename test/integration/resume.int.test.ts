import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
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
const CANARY = "sk-canary-resume-0123456789abcdef";

describe("durable threads: kill -9 mid-layer, then `moa resume`", () => {
  let sim: Simulator;
  let env: NodeJS.ProcessEnv;
  let database: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    // `slow` never answers its first call: the run is killed while it is in flight.
    sim = await startSimulator({ models: { slow: { faults: [{ kind: "hang" }] } } });
    database = join(mkdtempSync(join(tmpdir(), "moa-resume-")), "checkpoints.sqlite");
    env = {
      PATH: process.env.PATH,
      OPENAI_BASE_URL: `${sim.url}/v1`,
      OPENAI_API_KEY: CANARY,
      MOA_CHECKPOINT_DB: database,
      LANGSMITH_TRACING: "false",
    };
  });

  afterAll(async () => {
    child?.kill("SIGKILL");
    await sim.close();
  });

  const moa = (...args: string[]) => run(process.execPath, ["bin/moa.js", ...args], { env });
  /** Both turns of thread t1: the same models and layers. */
  const THREAD_RUN = [
    "--thread",
    "t1",
    "--json",
    "--proposers",
    "openai:fast1,openai:fast2,openai:slow",
    "--aggregator",
    "openai:agg",
    "--layers",
    "2",
  ];

  it("does not re-request any proposal that had finished", async () => {
    child = spawn(process.execPath, ["bin/moa.js", "run", "What is entropy?", ...THREAD_RUN], {
      env,
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child!.once("exit", resolve));
    // Wait until both fast proposals are written to the checkpoint (pending writes), with the
    // slow one still in flight.
    await until(() => {
      if (sim.countRequests({ model: "slow" }) < 1) return false;
      try {
        const db = new Database(database, { readonly: true, fileMustExist: true });
        try {
          // The turn node's reset also writes `proposals`: wait for both fast proposers' own
          // writes, identified by their content.
          const written = (proposer: string) =>
            (
              db
                .prepare(
                  "SELECT count(*) AS n FROM writes WHERE thread_id = ? AND channel = 'proposals' AND instr(CAST(value AS TEXT), ?) > 0",
                )
                .get("t1", `"proposerId":"${proposer}"`) as { n: number }
            ).n > 0;
          return written("fast1") && written("fast2");
        } finally {
          db.close();
        }
      } catch {
        return false;
      }
    });
    child.kill("SIGKILL");
    await exited;
    expect(sim.countRequests({ model: "fast1" })).toBe(1);
    expect(sim.countRequests({ model: "fast2" })).toBe(1);
    expect(sim.countRequests({ model: "agg" })).toBe(0);

    const { stdout } = await moa("resume", "--thread", "t1", "--json");
    const result = JSON.parse(stdout);
    expect(
      result.proposals.map((proposal: { proposerId: string; status: string }) => [
        proposal.proposerId,
        proposal.status,
      ]),
    ).toEqual([
      ["fast1", "ok"],
      ["fast2", "ok"],
      ["slow", "ok"],
    ]);
    // Only the unfinished proposer was called again; the finished ones were not.
    expect(sim.countRequests({ model: "fast1" })).toBe(1);
    expect(sim.countRequests({ model: "fast2" })).toBe(1);
    expect(sim.countRequests({ model: "slow" })).toBe(2);
    expect(sim.countRequests({ model: "agg" })).toBe(1);
    expect(parseSyntheticReply(result.answer)).toMatchObject({
      model: "agg",
      references: 3,
      turns: 1,
    });
  });

  it("continues the conversation on the same thread", async () => {
    const { stdout } = await moa("run", "And in information theory?", ...THREAD_RUN);
    const result = JSON.parse(stdout);
    expect(parseSyntheticReply(result.answer)).toMatchObject({ turns: 2, references: 3 });
    expect(result.proposals).toHaveLength(3); // this turn's only
  });

  it("refuses to resume a thread with nothing unfinished, and an unknown thread", async () => {
    await expect(moa("resume", "--thread", "t1")).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/no unfinished turn/),
    });
    await expect(moa("resume", "--thread", "nope")).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/no thread "nope"/),
    });
    // With --json, the failure is one object on stdout too; the exit code is unchanged.
    const failed = await moa("resume", "--thread", "nope", "--json").catch(
      (error: { code: number; stdout: string }) => error,
    );
    expect(failed).toMatchObject({ code: 2 });
    expect(JSON.parse((failed as { stdout: string }).stdout)).toMatchObject({
      error: { message: expect.stringMatching(/no thread "nope"/) },
      proposals: [],
    });
  });

  it("never stores the API key in the checkpoint database", () => {
    expect(readFileSync(database).includes(Buffer.from(CANARY))).toBe(false);
    expect(readFileSync(database).includes(Buffer.from("canary"))).toBe(false);
  });
});

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
