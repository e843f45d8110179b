import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../../src/cli/cli-io.js";
import { runCli } from "../../../src/cli/main.js";

async function moa(argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (text) => void out.push(text),
    stderr: (text) => void err.push(text),
    env: {},
    color: false,
    exitCode: 0,
  };
  const code = await runCli(argv, io);
  return { code, out: out.join(""), err: err.join("") };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "moa-plan-unit-"));
  await writeFile(
    join(dir, "parameters.json"),
    JSON.stringify([
      {
        provider: "openai",
        model: "gpt-4o",
        activeParametersB: 200,
        totalParametersB: 200,
        source: "my assumption",
      },
    ]),
  );
  await writeFile(
    join(dir, "prices.json"),
    JSON.stringify([
      {
        provider: "openai",
        model: "my-model",
        inputPerMillion: 1,
        outputPerMillion: 1,
        source: "mine",
        date: "2025-01-01",
      },
    ]),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("moa plan", () => {
  it("estimates a query of the paper's MoA per layer without keys or calls", async () => {
    const result = await moa([
      "plan",
      "--preset",
      "moa",
      "--prompt-tokens",
      "100",
      "--output-tokens",
      "400",
      "--json",
    ]);
    expect(result.code).toBe(0);
    const plan = JSON.parse(result.out);
    expect(
      plan.estimate.layers.map((layer: { role: string; calls: number }) => [
        layer.role,
        layer.calls,
      ]),
    ).toEqual([
      ["proposer", 6],
      ["proposer", 6],
      ["aggregator", 1],
    ]);
    expect(plan.estimate.calls).toBe(13);
    expect(plan.estimate.costUsd).toBeGreaterThan(0);
    expect(plan.estimate.tflops).toBeGreaterThan(0);
    expect(plan.estimate.assumptions).toMatchObject({
      promptTokens: 100,
      outputTokens: 400,
      outputIsUpperBound: false,
    });
    expect(plan.prices).toHaveLength(6);
    expect(plan.parameters.every((row: { source: string }) => row.source.length > 0)).toBe(true);
  });

  it("prints a per-layer table, the sources of every price and count, and the assumptions", async () => {
    const result = await moa(["plan", "--preset", "moa-lite"]);
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/Plan for one query: 2 layers: .* → Qwen1\.5-72B-Chat/);
    expect(result.out).toContain("500 output tokens per call (expected;");
    expect(result.out).toMatch(
      /upper bound \(every call writes its 2048-token --max-tokens cap\): 7 calls, \d+ tokens, \$[\d.]+/,
    );
    expect(result.out).toMatch(/│ *total *│/);
    expect(result.out).toContain("together.ai/pricing");
    expect(result.out).toContain("2024-05-22");
    expect(result.out).toContain("mistral.ai/news/mixtral-8x22b");
  });

  it("says what is unknown instead of guessing, and takes overrides", async () => {
    const unknown = await moa(["plan", "--preset", "moa-gpt-4o", "--output-tokens", "100"]);
    expect(unknown.out).toContain("TFLOPs unknown for openai:gpt-4o (no parameter count)");
    const overridden = await moa([
      "plan",
      "--preset",
      "moa-gpt-4o",
      "--output-tokens",
      "100",
      "--parameters",
      join(dir, "parameters.json"),
      "--json",
    ]);
    expect(JSON.parse(overridden.out).estimate.tflops).toBeGreaterThan(0);
    const custom = await moa([
      "plan",
      "--proposers",
      "openai:my-model",
      "--aggregator",
      "openai:my-model",
      "--layers",
      "2",
      "--prices",
      join(dir, "prices.json"),
      "--json",
    ]);
    expect(JSON.parse(custom.out).estimate.unpriced).toEqual([]);
  });

  it("checks the plan against --budget-usd", async () => {
    const result = await moa(["plan", "--preset", "moa", "--budget-usd", "0.001"]);
    expect(result.out).toMatch(
      /budget \(--budget-check expected\): does not fit \(\$[\d.]+ > --budget-usd 0\.001\)/,
    );
    // A plan that does not fit fails, so a script can gate a run on it (text and JSON alike).
    expect(result.code).toBe(1);
    const json = await moa(["plan", "--preset", "moa", "--budget-usd", "0.001", "--json"]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out).budget.fits).toBe(false);
    const fits = await moa([
      "plan",
      "--preset",
      "moa",
      "--output-tokens",
      "10",
      "--budget-usd",
      "5",
    ]);
    expect(fits.code).toBe(0);
    expect(fits.out).toMatch(/budget \(--budget-check expected\): fits/);
  });

  it("shows the expected estimate and the upper bound, and gates on the one --budget-check names", async () => {
    const plan = async (...flags: string[]) =>
      JSON.parse((await moa(["plan", "--preset", "moa", "--json", ...flags])).out);
    const both = await plan();
    expect(both.estimate.assumptions).toMatchObject({
      outputTokens: 500,
      outputIsUpperBound: false,
    });
    expect(both.upperBound.assumptions).toMatchObject({
      outputTokens: 2048,
      outputIsUpperBound: true,
    });
    // The paper's MoA at list prices: the upper bound is several times the expectation.
    expect(both.upperBound.costUsd).toBeGreaterThan(3 * both.estimate.costUsd);
    const between = ((both.estimate.costUsd + both.upperBound.costUsd) / 2).toFixed(4);
    const expected = await plan("--budget-usd", between);
    expect(expected.budget).toMatchObject({
      check: "expected",
      fits: true,
      upper: { fits: false },
    });
    const upper = await plan("--budget-usd", between, "--budget-check", "upper");
    expect(upper.budget).toMatchObject({ check: "upper", fits: false, expected: { fits: true } });
    const longer = await plan("--expected-output-tokens", "1000");
    expect(longer.estimate.assumptions.outputTokens).toBe(1000);
  });

  it("prices local models at $0 and says why", async () => {
    const result = await moa([
      "plan",
      "--proposers",
      "local:a,local:b",
      "--aggregator",
      "local:a",
      "--budget-usd",
      "0.01",
    ]);
    expect(result.code).toBe(0);
    expect(result.out).toContain(
      "local:a: $0 / $0 per 1M in/out (priced at $0 because it runs on your machine)",
    );
    expect(result.out).toMatch(
      /budget \(--budget-check expected\): fits \(\$0\.0000 ≤ --budget-usd 0\.01\)/,
    );
  });

  it.each<[string[], RegExp]>([
    [["--prompt-tokens", "-3"], /--prompt-tokens must be a whole number ≥ 0/],
    [["--output-tokens", "0"], /--output-tokens must be a whole number ≥ 1/],
    [["--tokens-per-second", "fast"], /--tokens-per-second must be a number > 0/],
    [["--layers", "0"], /--layers: must be ≥ 1/],
    [["--budget-check", "lower"], /--budget-check.*expected, upper/],
  ])("rejects %j as a usage error", async (flags, message) => {
    const result = await moa(["plan", ...flags]);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });
});
