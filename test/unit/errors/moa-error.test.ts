import { describe, expect, it } from "vitest";
import {
  InsufficientProposalsError,
  InvalidArgumentError,
  InvalidConfigError,
  MoaError,
  ModelSpecError,
} from "../../../src/errors/index.js";

const classes = {
  MoaError,
  InvalidArgumentError,
  InvalidConfigError,
  InsufficientProposalsError,
  ModelSpecError,
} as const;
type ClassName = keyof typeof classes;

const instances: Record<Exclude<ClassName, "MoaError">, () => MoaError> = {
  InvalidArgumentError: () =>
    new InvalidArgumentError({ parameter: "layers", value: 0, message: "must be ≥ 1." }),
  InvalidConfigError: () =>
    new InvalidConfigError({
      source: "context",
      issues: [{ path: "layers", message: "must be ≥ 1" }],
    }),
  InsufficientProposalsError: () =>
    new InsufficientProposalsError({
      layer: 2,
      succeeded: 1,
      required: 3,
      failures: [{ proposerId: "qwen", sample: 0, error: "timeout" }],
    }),
  ModelSpecError: () =>
    new ModelSpecError({
      spec: "nope:model",
      reason: "unknown-provider",
      message: "unknown provider `nope`.",
    }),
};

describe("isInstance", () => {
  it.each(Object.entries(instances))(
    "recognises %s as itself and as a MoaError, and as nothing else",
    (name, make) => {
      const error = make();
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(name);
      for (const [other, guard] of Object.entries(classes)) {
        expect(guard.isInstance(error), `${other}.isInstance(${name})`).toBe(
          other === name || other === "MoaError",
        );
      }
    },
  );

  it("recognises a plain MoaError only as a MoaError", () => {
    const error = new MoaError("MoaError", "generic");
    expect(MoaError.isInstance(error)).toBe(true);
    for (const name of Object.keys(instances) as (keyof typeof instances)[]) {
      expect(classes[name].isInstance(error)).toBe(false);
    }
  });

  it.each<[string, unknown]>([
    ["undefined", undefined],
    ["null", null],
    ["a string", "InvalidArgumentError"],
    ["a number", 42],
    ["an empty object", {}],
    [
      "a look-alike object",
      { name: "InvalidArgumentError", parameter: "layers", value: 0, message: "x" },
    ],
    ["a plain Error", new Error("boom")],
    [
      "an Error named like ours",
      Object.assign(new Error("x"), { name: "InsufficientProposalsError" }),
    ],
  ])("rejects %s", (_, value) => {
    for (const guard of Object.values(classes)) expect(guard.isInstance(value)).toBe(false);
  });

  it("recognises an error from another copy of the package by its global marker", () => {
    // Two copies of the package share `Symbol.for` markers, not classes.
    const foreign = Object.assign(new Error("x"), {
      [Symbol.for("langgraph-moa.error")]: true,
      [Symbol.for("langgraph-moa.error.InvalidArgumentError")]: true,
    });
    expect(foreign instanceof InvalidArgumentError).toBe(false);
    expect(InvalidArgumentError.isInstance(foreign)).toBe(true);
    expect(MoaError.isInstance(foreign)).toBe(true);
    expect(InvalidConfigError.isInstance(foreign)).toBe(false);
  });
});

describe("error fields and messages", () => {
  it("InvalidArgumentError names the parameter in backticks and keeps the value", () => {
    const error = new InvalidArgumentError({
      parameter: "proposers[2].samples",
      value: 0,
      message: "must be ≥ 1.",
    });
    expect(error.parameter).toBe("proposers[2].samples");
    expect(error.value).toBe(0);
    expect(error.message).toBe("Invalid argument `proposers[2].samples`: must be ≥ 1.");
  });

  it("InsufficientProposalsError lists the failed proposers and how to fix the call", () => {
    const error = instances.InsufficientProposalsError() as InsufficientProposalsError;
    expect(error).toMatchObject({ layer: 2, succeeded: 1, required: 3 });
    expect(error.failures).toEqual([{ proposerId: "qwen", sample: 0, error: "timeout" }]);
    expect(error.message).toContain(
      "Layer 2 produced 1 successful proposal(s) but `minProposals` is 3.",
    );
    expect(error.message).toContain("qwen#0: timeout");
    expect(error.message).toContain("lower `minProposals`");
  });

  it("InvalidConfigError lists every issue with its path", () => {
    const error = new InvalidConfigError({
      source: "context",
      issues: [
        { path: "layers", message: "must be ≥ 1" },
        { path: "", message: "unknown key" },
      ],
    });
    expect(error.issues).toHaveLength(2);
    expect(error.message).toBe(
      "Invalid context:\n  - `layers`: must be ≥ 1\n  - `(root)`: unknown key",
    );
  });

  it("ModelSpecError keeps its spec, reason, variables and cause", () => {
    const cause = new Error("inner");
    const error = new ModelSpecError({
      spec: "openai:gpt-4o",
      reason: "missing-credentials",
      message: "set `OPENAI_API_KEY`.",
      variables: ["OPENAI_API_KEY"],
      cause,
    });
    expect(error).toMatchObject({
      spec: "openai:gpt-4o",
      reason: "missing-credentials",
      variables: ["OPENAI_API_KEY"],
    });
    expect(error.cause).toBe(cause);
    expect((instances.ModelSpecError() as ModelSpecError).variables).toEqual([]);
  });
});
