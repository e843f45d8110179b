import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { parseSyntheticReply } from "../../src/testing/simulator/index.js";
import { captureCliIo } from "../support/cli-io.js";

const run = promisify(execFile);

describe("moa run --simulate (real ChatOpenAI client over loopback HTTP)", () => {
  it("runs the paper's MoA and prints one JSON object with answer, proposals and usage", async () => {
    const cli = captureCliIo();
    const code = await runCli(["run", "--simulate", "--json", "Name three primes."], cli.io);
    expect(code, cli.err()).toBe(0);
    const result = JSON.parse(cli.out());
    expect(result.simulated).toBe(true);
    expect(result.proposals).toHaveLength(12); // 6 proposers × 2 proposer layers
    expect(result.proposals.every((proposal: { status: string }) => proposal.status === "ok")).toBe(
      true,
    );
    // Layer-2 proposers saw the six layer-1 answers; the aggregator saw the six layer-2 answers.
    const layer2 = result.proposals.filter((proposal: { layer: number }) => proposal.layer === 2);
    for (const proposal of layer2)
      expect(parseSyntheticReply(proposal.content)?.references).toBe(6);
    const answer = parseSyntheticReply(result.answer);
    expect(answer).toMatchObject({ model: "Qwen/Qwen1.5-110B-Chat", references: 6, turns: 1 });
    expect(result.usage.inputTokens).toBeGreaterThan(0);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.usage.costComplete).toBe(true);
    expect(result.usage.costUsd).toBeGreaterThan(0);
    expect(result.aggregation).toMatchObject({ mode: "synthesize", references: 6 });
  });

  it.each([
    [["--preset", "moa-lite"], 6, 2],
    [["--preset", "self-moa"], 6, 2],
    [["--layers", "1"], 0, 1],
    [
      [
        "--proposers",
        "openai:a,groq:b",
        "--aggregator",
        "ollama:c",
        "--layers",
        "4",
        "--samples",
        "2",
      ],
      12,
      4,
    ],
  ])("honours %j", async (flags, proposals, layers) => {
    const cli = captureCliIo();
    const code = await runCli(["run", "--simulate", "--json", ...flags, "hello"], cli.io);
    expect(code, cli.err()).toBe(0);
    const result = JSON.parse(cli.out());
    expect(result.proposals).toHaveLength(proposals);
    expect(result.config.layers).toBe(layers);
  });

  it("renders references in escaped <reference> tags with --reference-format delimited", async () => {
    const cli = captureCliIo();
    const argv = ["run", "--simulate", "--json", "--preset", "moa-lite"];
    const code = await runCli([...argv, "--reference-format", "delimited", "Hi?"], cli.io);
    expect(code, cli.err()).toBe(0);
    const result = JSON.parse(cli.out());
    expect(result.config.referenceFormat).toBe("delimited");
    // The simulator counts delimited references by their opening tags.
    expect(parseSyntheticReply(result.answer)?.references).toBe(6);
    const bad = captureCliIo();
    expect(await runCli([...argv, "--reference-format", "xml", "Hi?"], bad.io)).toBe(2);
    expect(bad.err()).toMatch(/--reference-format/);
  });

  it("returns a proposal verbatim with the ranker preset", async () => {
    const cli = captureCliIo();
    expect(
      await runCli(["run", "--simulate", "--json", "--preset", "llm-ranker", "hi"], cli.io),
    ).toBe(0);
    const result = JSON.parse(cli.out());
    const contents = result.proposals
      .filter((p: { layer: number }) => p.layer === 2)
      .map((p: { content: string }) => p.content);
    expect(contents).toContain(result.answer);
    expect(result.aggregation.ranking).toBeDefined();
  });

  it("streams the answer, then prints the per-layer table and totals", async () => {
    const cli = captureCliIo();
    expect(
      await runCli(["run", "--simulate", "--preset", "moa-lite", "Why is the sky blue?"], cli.io),
    ).toBe(0);
    const text = cli.out();
    expect(text.startsWith("[sim:Qwen/Qwen1.5-72B-Chat]")).toBe(true);
    expect(text).toContain("Why is the sky blue?");
    expect(text).toMatch(/layer.*role.*model/);
    expect(text.match(/│\s+1 │ proposer/g)).toHaveLength(6);
    expect(text).toMatch(/│\s+2 │ aggregator/);
    expect(text).toMatch(/calls: 7 · tokens: \d+ in \/ \d+ out · cost: \$\d\.\d+ · wall time/);
    expect(cli.err()).toMatch(/SIMULATED run/);
  });

  it("works as the installed `moa` binary", async () => {
    expect(
      existsSync("dist/src/cli/main.js"),
      "dist/ is missing: run `npm run build` (npm install does it)",
    ).toBe(true);
    const { stdout } = await run(
      process.execPath,
      ["bin/moa.js", "run", "--simulate", "--json", "--preset", "moa-lite", "hi"],
      {
        env: { PATH: process.env.PATH, LANGSMITH_TRACING: "false" },
      },
    );
    expect(JSON.parse(stdout).proposals).toHaveLength(6);
  });

  it("runs 12 proposers × 2 samples over 3 layers without a MaxListenersExceededWarning", async () => {
    // A spawned process: Node prints the warning to the real stderr, which vitest would hide.
    const proposers = Array.from({ length: 12 }, (_, index) => `openai:wide-${index}`).join(",");
    const { stdout, stderr } = await run(
      process.execPath,
      [
        "bin/moa.js",
        "run",
        "--simulate",
        "--json",
        "--proposers",
        proposers,
        "--samples",
        "2",
        "--layers",
        "3",
        "hi",
      ],
      { env: { PATH: process.env.PATH, LANGSMITH_TRACING: "false" } },
    );
    expect(JSON.parse(stdout).proposals).toHaveLength(2 * 12 * 2);
    expect(stderr).not.toMatch(/MaxListenersExceededWarning/);
  });

  it("refuses a run over its budget before any call, with the estimate", async () => {
    const cli = captureCliIo();
    const code = await runCli(["run", "--simulate", "--budget-usd", "0.000001", "hi"], cli.io);
    expect(code).toBe(1);
    expect(cli.err()).toMatch(/is expected to cost \$[\d.]+ over 13 calls/);
    expect(cli.out()).toBe("");
  });

  it("gates on the expected cost by default and on the upper bound with --budget-check upper", async () => {
    // The paper's MoA at list prices: expected ≈ $0.037, upper bound ≈ $0.145 for "hi".
    const expected = captureCliIo();
    expect(await runCli(["run", "--simulate", "--budget-usd", "0.08", "hi"], expected.io)).toBe(0);
    const upper = captureCliIo();
    const code = await runCli(
      ["run", "--simulate", "--budget-usd", "0.08", "--budget-check", "upper", "hi"],
      upper.io,
    );
    expect(code).toBe(1);
    expect(upper.err()).toMatch(/may cost up to \$[\d.]+ over 13 calls .*full output cap/);
    expect(upper.out()).toBe("");
  });

  it("prices the run from a --prices file that overrides the built-in table", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "moa-prices-")), "prices.json");
    writeFileSync(
      file,
      JSON.stringify([
        {
          provider: "openai",
          model: "p",
          inputPerMillion: 1_000_000,
          outputPerMillion: 0,
          source: "test",
          date: "2026-01-01",
        },
      ]),
    );
    const cli = captureCliIo();
    const code = await runCli(
      [
        "run",
        "--simulate",
        "--json",
        "--prices",
        file,
        "--proposers",
        "openai:p",
        "--aggregator",
        "openai:q",
        "--layers",
        "2",
        "hi",
      ],
      cli.io,
    );
    expect(code, cli.err()).toBe(0);
    const result = JSON.parse(cli.out());
    expect(result.usage.costUsd).toBe(result.proposals[0].usage.inputTokens);
    expect(result.usage.unpricedModels).toEqual(["openai:q"]);
    expect(result.usage.costComplete).toBe(false);
  });
});
