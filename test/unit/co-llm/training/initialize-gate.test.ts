// Weighted-BCE initialisation: the gradient's sign and size by hand, and the weighted optimum.
import { describe, expect, it } from "vitest";
import { gateProbability } from "../../../../src/co-llm/gate.js";
import { initializeGate } from "../../../../src/co-llm/training/initialize-gate.js";
import { InvalidArgumentError } from "../../../../src/errors/invalid-argument-error.js";

const token = (hidden: number[]) => ({
  baseIsRight: false,
  assistantIsRight: false,
  hidden: Float32Array.from(hidden),
});

describe("initializeGate", () => {
  it("takes one hand-checkable step from zeros: up on a positive, down on a negative", () => {
    // g = 0.5 at w = 0. Gradient per token c·(g − Ẑ)·h: positive (c = 8) −4·[1, 0], negative
    // 0.5·[0, 1]; mean [−2, 0.25]; mean ‖h‖² = 1, so w = −1 · mean gradient = [2, −0.25].
    const gate = initializeGate({
      baseModel: "b",
      scored: [token([1, 0]), token([0, 1])],
      labels: [1, 0],
      epochs: 1,
    });
    expect(Array.from(gate.weights)).toEqual([2, -0.25]);
    expect(gate).toMatchObject({ baseModel: "b", hiddenSize: 2, bias: 0, threshold: 0.5 });
  });

  it("reaches the weighted optimum: one positive against seven negatives on one feature gives g = 8/15", () => {
    const scored = Array.from({ length: 8 }, () => token([1]));
    const labels = [1, 0, 0, 0, 0, 0, 0, 0] as const;
    const weighted = initializeGate({ baseModel: "b", scored, labels, epochs: 2000 });
    expect(gateProbability(weighted, [1])).toBeCloseTo(8 / 15, 4);
    const plain = initializeGate({
      baseModel: "b",
      scored,
      labels,
      positiveWeight: 1,
      epochs: 2000,
    });
    expect(gateProbability(plain, [1])).toBeCloseTo(1 / 8, 4);
  });

  it("derives the labels from the scores by default and starts from initialWeights", () => {
    const scored = [{ baseIsRight: false, assistantIsRight: true, hidden: Float32Array.from([1]) }];
    const gate = initializeGate({ baseModel: "b", scored, initialWeights: [3], epochs: 1 });
    // g = sigmoid(3), Ẑ = 1: w = 3 − 8·(g − 1).
    expect(gate.weights[0]).toBeCloseTo(3 - 8 * (1 / (1 + Math.exp(-3)) - 1), 5);
  });

  it("refuses no tokens and a label count that does not match", () => {
    expect(() => initializeGate({ baseModel: "b", scored: [] })).toThrow(InvalidArgumentError);
    expect(() => initializeGate({ baseModel: "b", scored: [token([1])], labels: [1, 0] })).toThrow(
      /one label per scored token/,
    );
  });
});
