// A crash that cuts the last line of a resumable eval journal, twice: the `moa eval generate`
// rerun after the first crash must not glue its next record onto the cut line, or the rerun
// after the second crash fails on a bad line in the middle and loses a finished record.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { appendFile, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startSimulator,
  type Simulator,
  type SimulatorRequestInfo,
} from "../../src/testing/simulator/index.js";
import { evalArgv, runCapturedCli } from "../support/cli-io.js";

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const MODELS = ["--proposers", "openai:p1", "--aggregator", "openai:agg", "--layers", "2"];

function lastUser(request: SimulatorRequestInfo): string {
  return request.messages.filter((message) => message.role === "user").at(-1)?.content ?? "";
}

describe("moa eval generate after two crashes that cut the partial journal", () => {
  let sim: Simulator;
  let env: Record<string, string>;
  let instructions: string[];
  let hang = true;

  beforeAll(async () => {
    const evalSet = JSON.parse(
      await readFile(join(repoRoot, "data/alpaca_eval/eval_set.gpt4_1106_preview.json"), "utf8"),
    ) as { instruction: string }[];
    instructions = evalSet.slice(0, 3).map((entry) => entry.instruction);
    sim = await startSimulator({
      models: {
        // The aggregator of the third instruction never answers while `hang` is set: the run is
        // killed there, with the first two records in the journal.
        agg: {
          faults: (_call, request) =>
            hang && lastUser(request).includes(instructions[2]!) ? { kind: "hang" } : undefined,
        },
      },
    });
    env = { OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: "sk-test" };
  });

  afterAll(async () => {
    await sim.close();
  });

  it("keeps every finished record and completes on the rerun", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "moa-journal-")), "model_outputs.json");
    const journal = `${out}.partial.jsonl`;
    const argv = evalArgv("generate", "alpaca-eval", ...MODELS, "--out", out);
    const generate = [...argv, "--max-instances", "3", "--concurrency", "1"];

    // First crash: the journal holds instruction 1's record and a cut line (the record is made
    // by a real one-instruction run, then moved from the final file to the journal).
    await runCapturedCli([...argv, "--max-instances", "1"], env);
    const record = JSON.stringify(JSON.parse(await readFile(out, "utf8"))[0]);
    await rm(out);
    await writeFile(journal, `${record}\n${record.slice(0, 25)}`);

    // The rerun appends instruction 2, then is killed on instruction 3 (second crash)...
    const child = spawn(process.execPath, [join(repoRoot, "bin/moa.js"), ...generate], {
      env: { ...env, PATH: process.env.PATH ?? "" },
      stdio: "ignore",
    });
    const exited = new Promise((done) => child.once("exit", done));
    await until(() => sim.inFlight > 0 && sim.countRequests({ model: "agg" }) >= 3);
    child.kill("SIGKILL");
    await exited;
    // ...mid-append of its next line.
    await appendFile(journal, '{"instruction":"cut');

    const lines = (await readFile(journal, "utf8")).split("\n");
    expect(lines.slice(0, -1).map((line) => JSON.parse(line).instruction)).toEqual([
      instructions[0],
      instructions[1],
    ]);

    hang = false;
    const before = sim.countRequests({ model: "agg" });
    const rerun = await runCapturedCli(generate, env);
    expect(rerun.err).not.toMatch(/not valid JSON/);
    expect(rerun.code, rerun.err).toBe(0);
    expect(rerun.out).toMatch(/1 finished now, 2 from earlier runs/);
    expect(sim.countRequests({ model: "agg" })).toBe(before + 1);
    const written = JSON.parse(await readFile(out, "utf8")) as { instruction: string }[];
    expect(written.map((entry) => entry.instruction)).toEqual(instructions);
    expect(existsSync(journal)).toBe(false);
  });
});

async function until(condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((done) => setTimeout(done, 50));
  }
}
