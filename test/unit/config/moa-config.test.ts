import { describe, expect, it } from "vitest";
import { InvalidConfigError, PRESETS, parseMoaConfig } from "../../../src/index.js";

function issuesOf(input: unknown): { path: string; message: string }[] {
  try {
    parseMoaConfig(input, "context");
  } catch (error) {
    if (InvalidConfigError.isInstance(error)) return error.issues;
    throw error;
  }
  throw new Error("expected an InvalidConfigError");
}

describe("parseMoaConfig", () => {
  it("defaults to the moa preset", () => {
    const config = parseMoaConfig({}, "context");
    expect(config).toMatchObject({
      preset: "moa",
      layers: 3,
      aggregation: "synthesize",
      minProposals: 1,
    });
    expect(config.proposers).toEqual(PRESETS.moa.proposers);
  });

  it("applies overrides on top of a preset", () => {
    const config = parseMoaConfig(
      { preset: "moa-lite", aggregator: "openai:gpt-4o", samples: 2 },
      "context",
    );
    expect(config).toMatchObject({ layers: 2, aggregator: "openai:gpt-4o", samples: 2 });
    expect(config.proposers).toHaveLength(6);
  });

  it("accepts an opt-in delimited reference format and leaves it unset by default", () => {
    expect(parseMoaConfig({ referenceFormat: "delimited" }, "context").referenceFormat).toBe(
      "delimited",
    );
    expect(parseMoaConfig({}, "context").referenceFormat).toBeUndefined();
  });

  it.each(Object.keys(PRESETS))("accepts the preset %s", (preset) => {
    expect(parseMoaConfig({ preset }, "context").preset).toBe(preset);
  });

  it.each([
    [{ preset: "gpt-5" }, "preset", /unknown preset; use one of moa/],
    [{ layers: 0 }, "layers", /≥ 1/],
    [{ layers: 2.5 }, "layers", /whole number/],
    [{ layers: "3" }, "layers", /expected number/],
    [{ samples: 0 }, "samples", /≥ 1/],
    [{ temperature: -0.1 }, "temperature", /≥ 0/],
    [{ temperature: 3 }, "temperature", /≤ 2/],
    [{ maxTokens: 0 }, "maxTokens", /≥ 1/],
    [{ minProposals: 0 }, "minProposals", /≥ 1/],
    [{ minProposals: 7 }, "minProposals", /never reach 7/],
    [{ aggregation: "vote" }, "aggregation", /synthesize|rank/],
    [{ referenceFormat: "xml" }, "referenceFormat", /paper|delimited/],
    [{ aggregation: "rank", layers: 1 }, "aggregation", /layers` ≥ 2/],
    [{ proposers: [] }, "proposers", /at least one/],
    [{ proposers: ["gpt-4o"] }, "proposers.0", /provider:model/],
    [{ aggregator: "gpt-4o" }, "aggregator", /provider:model/],
    [{ layer: 3 }, "", /unknown option\(s\) `layer`/],
  ])("rejects %j at %s", (input, path, message) => {
    const issues = issuesOf(input);
    const issue = issues.find((candidate) => candidate.path === path);
    expect(issue, JSON.stringify(issues)).toBeDefined();
    expect(issue!.message).toMatch(message);
  });

  it("reports every problem at once", () => {
    expect(
      issuesOf({ layers: 0, samples: 0, temperature: -1 })
        .map((issue) => issue.path)
        .sort(),
    ).toEqual(["layers", "samples", "temperature"]);
  });

  it("names the source in the message", () => {
    expect(() => parseMoaConfig({ layers: 0 }, "moa run options")).toThrow(
      /Invalid moa run options/,
    );
  });
});

describe("the budget check in a serializable configuration (CLI flags, deployed context)", () => {
  it("passes `budgetCheck` and `expectedOutputTokens` to the factory's budget", async () => {
    const { configToParams } = await import("../../../src/config/config-to-params.js");
    const { FakeChatModel } = await import("../../../src/testing/index.js");
    const config = parseMoaConfig(
      { maxCostUsd: 1, budgetCheck: "upper", expectedOutputTokens: 300 },
      "context",
    );
    const params = configToParams(config, (spec) => new FakeChatModel({ model: spec }));
    expect(params.budget).toMatchObject({ check: "upper", expectedOutputTokens: 300 });
  });

  it("names a wrong `budgetCheck`", () => {
    expect(issuesOf({ budgetCheck: "lower" })).toEqual([
      { path: "budgetCheck", message: expect.stringMatching(/expected|upper/) },
    ]);
  });
});

describe("parseMoaConfig limits and bounded errors", () => {
  it("refuses 10,000 proposers at the list's length, in one issue, without checking each item", () => {
    const proposers = Array.from({ length: 10_000 }, () => "not a spec");
    const started = performance.now();
    const issues = issuesOf({ proposers });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(issues).toEqual([
      { path: "proposers", message: "at most 64 proposers (limit `maxProposersPerLayer`)" },
    ]);
  });

  it.each([
    [{ layers: 17 }, "layers", /must be ≤ 16/],
    [{ samples: 17 }, "samples", /must be ≤ 16/],
    [{ callTimeoutMs: 2 ** 31 }, "callTimeoutMs", /must be ≤ 2147483647/],
    [{ stragglerGraceMs: 2 ** 31 }, "stragglerGraceMs", /must be ≤ 2147483647/],
    [
      { proposers: Array.from({ length: 64 }, (_, i) => `openai:m${i}`), samples: 16 },
      "layers",
      /2049 model calls .* above the limit of 512/,
    ],
  ])("refuses %j naming `%s`", (input, path, message) => {
    const issues = issuesOf(input);
    expect(issues).toHaveLength(1);
    expect(issues[0]!.path).toBe(path);
    expect(issues[0]!.message).toMatch(message);
  });

  it("applies the owner's limits when given", () => {
    expect(
      parseMoaConfig({ samples: 32 }, "context", { maxSamples: 32, maxCallsPerRun: 1_000 }).samples,
    ).toBe(32);
    expect(() => parseMoaConfig({ layers: 4 }, "context", { maxLayers: 3 })).toThrow(/must be ≤ 3/);
  });

  it("bounds the error: at most 10 issues, each message cut, echoed keys included", () => {
    const input = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`${"k".repeat(5_000)}${i}`, 1]),
    );
    let error: unknown;
    try {
      parseMoaConfig({ ...input, layers: "x", samples: "y", aggregator: 5 }, "context");
    } catch (caught) {
      error = caught;
    }
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    const { message, issues } = error as InvalidConfigError;
    expect(message.length).toBeLessThan(4_000);
    expect(issues.length).toBeLessThanOrEqual(11);
    expect(issues.every((issue) => issue.message.length < 300)).toBe(true);
    expect(message).toMatch(/more characters\)/);
  });

  it("counts the issues past the tenth in one last issue", () => {
    const error = new InvalidConfigError({
      source: "context",
      issues: Array.from({ length: 12 }, (_, i) => ({ path: `f${i}`, message: "bad" })),
    });
    expect(error.issues).toHaveLength(11);
    expect(error.issues.at(-1)).toEqual({ path: "", message: "… and 2 more issue(s)." });
  });
});
