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
