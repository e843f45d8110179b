import { describe, expect, it } from "vitest";
import { CliError } from "../../../src/cli/cli-error.js";
import {
  describeCliFailure,
  MODEL_PARAMETER_FLAGS,
  nameFlags,
  withFlagNames,
} from "../../../src/cli/flag-errors.js";
import {
  BudgetExceededError,
  InsufficientProposalsError,
  InvalidArgumentError,
  InvalidConfigError,
} from "../../../src/errors/index.js";
import { EvalDataError } from "../../../src/eval/eval-data-error.js";

describe("describeCliFailure", () => {
  it("names the flag of an invalid argument from its reason, not by stripping the message", () => {
    const error = new InvalidArgumentError({
      parameter: "callTimeoutMs",
      value: 0,
      message: "must be ≥ 1 (or lower `stragglerGraceMs`).",
    });
    expect(describeCliFailure(error)).toEqual({
      type: "InvalidArgumentError",
      message: "--timeout-ms must be ≥ 1 (or lower `--straggler-grace-ms`).",
      flag: "--timeout-ms",
      exitCode: 2,
    });
  });

  it("lists every configuration issue under its flag", () => {
    const error = new InvalidConfigError({
      source: "moa run options",
      issues: [
        { path: "maxCostUsd", message: "must be > 0" },
        { path: "proposers.1", message: "must be a string" },
      ],
    });
    expect(describeCliFailure(error)).toMatchObject({
      type: "InvalidConfigError",
      message:
        "invalid options:\n  - --budget-usd: must be > 0\n  - --proposers (item 1): must be a string",
      flag: "--budget-usd",
      exitCode: 2,
    });
  });

  it("renames the parameters a failed run's message names, and keeps exit 1", () => {
    const budget = new BudgetExceededError({
      phase: "preflight",
      limit: { maxCostUsd: 0.01 },
      message: "above `budget.maxCostUsd` $0.01. Lower `maxTokens` per call.",
    });
    expect(describeCliFailure(budget)).toEqual({
      type: "BudgetExceededError",
      message: "above `--budget-usd` $0.01. Lower `--max-tokens` per call.",
      flag: "--budget-usd",
      exitCode: 1,
    });
    const quorum = new InsufficientProposalsError({
      layer: 1,
      required: 2,
      succeeded: 0,
      failures: [{ proposerId: "a", sample: 0, error: "timeout (`callTimeoutMs`)" }],
    });
    const failure = describeCliFailure(quorum);
    expect(failure.message).not.toMatch(/`minProposals`|`callTimeoutMs`/);
    expect(failure.message).toMatch(/`--min-proposals`|`--timeout-ms`/);
    expect(failure.exitCode).toBe(1);
  });

  it("passes CLI errors through with their flag and type", () => {
    const error = new CliError("--prompt-file x: cannot read", 2, { flag: "--prompt-file" });
    expect(describeCliFailure(error)).toEqual({
      type: "UsageError",
      message: "--prompt-file x: cannot read",
      flag: "--prompt-file",
      exitCode: 2,
    });
  });

  it("reports anything else as a failed run without a flag", () => {
    expect(describeCliFailure(new Error("socket hang up"))).toEqual({
      type: "Error",
      message: "socket hang up",
      exitCode: 1,
    });
  });
});

describe("withFlagNames", () => {
  const flags = { items: "--data" };

  it("turns an invalid argument into a usage error naming the flag (sync and async)", async () => {
    const invalid = () => {
      throw new InvalidArgumentError({ parameter: "items", value: [], message: "is empty." });
    };
    expect(() => withFlagNames(flags, invalid)).toThrow("--data is empty.");
    await expect(withFlagNames(flags, async () => invalid())).rejects.toMatchObject({
      message: "--data is empty.",
      flag: "--data",
      exitCode: 2,
    });
  });

  it("names the flag that gave a bad data file", () => {
    const bad = () => {
      throw new EvalDataError({ file: "a.jsonl", location: "line 2", message: "not JSON" });
    };
    expect(() => withFlagNames(flags, bad, { "--answers": "a.jsonl" })).toThrow(
      "--answers a.jsonl (line 2): not JSON",
    );
  });
});

describe("nameFlags", () => {
  it.each([
    ["lower `minProposals`", "lower `--min-proposals`"],
    ["`budget.maxTokens` crossed", "`--budget-tokens` crossed"],
    ["`unknownThing` stays", "`unknownThing` stays"],
  ])("%j → %j", (message, expected) => {
    expect(nameFlags(message, MODEL_PARAMETER_FLAGS)).toBe(expected);
  });
});
