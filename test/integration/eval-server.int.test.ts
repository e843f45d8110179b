import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { parseSyntheticReply, startSimulator, type Simulator } from "../../src/testing/index.js";
import {
  simulatorEnvironment,
  startDevServer,
  type DevServer,
} from "../fixtures/platform/dev-server.js";
import { captureCliIo, evalArgv } from "../support/cli-io.js";

// `moa eval generate --server`: the instances run as stateless runs of the deployed `moa` graph
// on a real LangGraph dev server (whose providers point at the loopback simulator).
let simulator: Simulator;
let server: DevServer;

beforeAll(async () => {
  simulator = await startSimulator();
  server = await startDevServer({ env: simulatorEnvironment(simulator.url) });
});

afterAll(async () => {
  await server?.stop();
  await simulator?.close();
});

describe("moa eval generate --server", () => {
  it("runs every instance on the LangGraph server with bounded concurrency, and resumes", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "moa-eval-server-")), "outputs.json");
    const argv = evalArgv(
      "generate",
      "alpaca-eval",
      "--server",
      server.url,
      "--proposers",
      "openai:p1,openai:p2",
      "--aggregator",
      "openai:agg",
      "--layers",
      "2",
      "--max-instances",
      "3",
      "--concurrency",
      "2",
      "--out",
      out,
      "--generator",
      "moa-remote",
    );
    const first = captureCliIo();
    expect(await runCli(argv, first.io), first.err()).toBe(0);
    const outputs = JSON.parse(readFileSync(out, "utf8")) as {
      instruction: string;
      output: string;
      generator: string;
    }[];
    expect(outputs).toHaveLength(3);
    for (const entry of outputs) {
      expect(entry.generator).toBe("moa-remote");
      // The server's aggregator saw both proposers' answers and the instruction.
      expect(parseSyntheticReply(entry.output)).toMatchObject({
        model: "agg",
        references: 2,
        turns: 1,
      });
    }
    expect(simulator.countRequests({ model: "p1" })).toBe(3);
    expect(simulator.countRequests({ model: "agg" })).toBe(3);

    // A rerun skips the finished instances: no new run reaches the server's models.
    const second = captureCliIo();
    expect(await runCli(argv, second.io), second.err()).toBe(0);
    expect(simulator.countRequests({ model: "agg" })).toBe(3);
  });

  it("records a failing server run per instance without losing the others", async () => {
    // On the server, proposer `flaky` fails (HTTP 500) on the first instruction only; with a
    // quorum of 2 that instance's run fails there, the second instance's run succeeds.
    simulator.setModel("flaky", {
      faults: (_call, request) =>
        request.lastUserMessage.startsWith("What are the names of some famous actors")
          ? { kind: "status", status: 500 }
          : undefined,
    });
    const out = join(mkdtempSync(join(tmpdir(), "moa-eval-server-")), "outputs.json");
    const cli = captureCliIo();
    const code = await runCli(
      evalArgv(
        "generate",
        "alpaca-eval",
        "--server",
        server.url,
        "--proposers",
        "openai:flaky,openai:p2",
        "--aggregator",
        "openai:agg2",
        "--layers",
        "2",
        "--min-proposals",
        "2",
        "--retries",
        "0",
        "--max-instances",
        "2",
        "--out",
        out,
      ),
      cli.io,
    );
    expect(code).toBe(1);
    expect(cli.err()).toMatch(/1 (instance|failure)/);
    const outputs = JSON.parse(readFileSync(out, "utf8")) as { instruction: string }[];
    expect(outputs.map((entry) => entry.instruction)).toEqual([
      "How did US states get their names?",
    ]);
    const errors = readFileSync(`${out}.errors.jsonl`, "utf8");
    expect(errors).toMatch(/InsufficientProposalsError|minProposals/);
  });
});
