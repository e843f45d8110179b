import { describe, expect, it } from "vitest";
import {
  assertGateFitsBase,
  gateProbability,
  parseGate,
  serializeGate,
  type CoLlmGate,
} from "../../../src/co-llm/gate.js";
import { GateMismatchError } from "../../../src/co-llm/gate-mismatch-error.js";
import { InvalidConfigError } from "../../../src/errors/invalid-config-error.js";

const gate: CoLlmGate = {
  baseModel: "base-7b",
  hiddenSize: 3,
  weights: Float32Array.from([1, -2, 0.5]),
  bias: -0.25,
  threshold: 0.6,
};

describe("the Co-LLM gate", () => {
  it.each([
    [[0, 0, 0], 1 / (1 + Math.exp(0.25))],
    [[1, 0, 0], 1 / (1 + Math.exp(-0.75))],
    [[0, 1, 2], 1 / (1 + Math.exp(1.25))],
  ])("g(h = %j) = sigmoid(w · h + b) = %f", (hidden, expected) => {
    expect(gateProbability(gate, hidden)).toBeCloseTo(expected, 12);
  });

  it("round-trips through JSON", () => {
    const again = parseGate(serializeGate(gate));
    expect(again).toEqual({ ...gate, weights: Float32Array.from(gate.weights) });
    expect(JSON.parse(serializeGate(gate))).toMatchObject({ kind: "co-llm-gate", version: 1 });
  });

  it("reads a gate without a bias as bias 0", () => {
    const { bias: _bias, ...json } = JSON.parse(serializeGate(gate)) as Record<string, unknown>;
    expect(parseGate(json).bias).toBe(0);
  });

  it.each([
    ["not JSON", "{", ""],
    [
      "weights of the wrong length",
      { ...JSON.parse(serializeGate(gate)), weights: [1] },
      "weights",
    ],
    ["a threshold above 1", { ...JSON.parse(serializeGate(gate)), threshold: 2 }, "threshold"],
    ["another kind", { ...JSON.parse(serializeGate(gate)), kind: "lora" }, "kind"],
  ])("refuses %s, naming the field", (_name, input, path) => {
    try {
      parseGate(input, "gate.json");
      expect.unreachable();
    } catch (error) {
      expect(InvalidConfigError.isInstance(error)).toBe(true);
      expect((error as InvalidConfigError).issues.map((issue) => issue.path)).toContain(path);
      expect((error as Error).message).toContain("gate.json");
    }
  });

  it.each([[{ identity: "other-7b", hiddenSize: 3 }], [{ identity: "base-7b", hiddenSize: 4096 }]])(
    "refuses base %j with a message naming both models",
    (base) => {
      try {
        assertGateFitsBase(gate, base);
        expect.unreachable();
      } catch (error) {
        expect(GateMismatchError.isInstance(error)).toBe(true);
        expect((error as Error).message).toContain('"base-7b" (hidden size 3)');
        expect((error as Error).message).toContain(
          `"${base.identity}" (hidden size ${base.hiddenSize})`,
        );
      }
    },
  );

  it("accepts the base it was fitted on", () => {
    expect(() => assertGateFitsBase(gate, { identity: "base-7b", hiddenSize: 3 })).not.toThrow();
  });
});
