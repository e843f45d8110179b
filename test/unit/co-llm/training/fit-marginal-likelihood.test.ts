// The marginal-likelihood fit with both models frozen: responsibilities by hand, and the gate
// moving toward the model that explains each token.
import { describe, expect, it } from "vitest";
import { gateProbability, type CoLlmGate } from "../../../../src/co-llm/gate.js";
import {
  assistantResponsibility,
  fitMarginalLikelihood,
  marginalLogLikelihood,
} from "../../../../src/co-llm/training/fit-marginal-likelihood.js";

const zeroGate = (size: number): CoLlmGate => ({
  baseModel: "b",
  hiddenSize: size,
  weights: new Float32Array(size),
  bias: 0,
  threshold: 0.5,
});
const scoredToken = (base: number, assistant: number, hidden: number[]) => ({
  baseLogProbability: Math.log(base),
  assistantLogProbability: Math.log(assistant),
  hidden: Float32Array.from(hidden),
});

describe("assistantResponsibility", () => {
  it("is the posterior g·P_asst / ((1 − g)·P_base + g·P_asst)", () => {
    expect(assistantResponsibility(0.5, Math.log(0.1), Math.log(0.9))).toBeCloseTo(0.9, 12);
    expect(assistantResponsibility(0.2, Math.log(0.5), Math.log(0.5))).toBeCloseTo(0.2, 12);
    // 0.25·0.8 / (0.75·0.2 + 0.25·0.8) = 0.2 / 0.35
    expect(assistantResponsibility(0.25, Math.log(0.2), Math.log(0.8))).toBeCloseTo(4 / 7, 12);
    expect(assistantResponsibility(0.3, -Infinity, -Infinity)).toBe(0.3);
  });
});

describe("fitMarginalLikelihood", () => {
  it("on a 2-token toy: one EM-like step moves w by (r − g)·h", () => {
    // Token 1 (h = [1, 0]) only the assistant explains well, token 2 (h = [0, 1]) the base.
    // At w = 0: r = 0.9 and 0.1, g = 0.5; mean (r − g)·h = [0.2, −0.2]; mean ‖h‖² = 1.
    const scored = [scoredToken(0.1, 0.9, [1, 0]), scoredToken(0.9, 0.1, [0, 1])];
    const gate = fitMarginalLikelihood({ gate: zeroGate(2), scored, epochs: 1 });
    expect(gate.weights[0]).toBeCloseTo(0.2, 6);
    expect(gate.weights[1]).toBeCloseTo(-0.2, 6);
    const fitted = fitMarginalLikelihood({ gate: zeroGate(2), scored });
    expect(gateProbability(fitted, [1, 0])).toBeGreaterThan(0.9);
    expect(gateProbability(fitted, [0, 1])).toBeLessThan(0.1);
    expect(marginalLogLikelihood(fitted, scored)).toBeGreaterThan(
      marginalLogLikelihood(zeroGate(2), scored),
    );
    // At w = 0 the likelihood is Σ log(0.5·0.1 + 0.5·0.9) = 2·log 0.5.
    expect(marginalLogLikelihood(zeroGate(2), scored)).toBeCloseTo(2 * Math.log(0.5), 12);
  });

  it("leaves w alone where both models give the gold token the same probability", () => {
    const scored = [scoredToken(0.7, 0.7, [1, 1])];
    const gate = fitMarginalLikelihood({ gate: zeroGate(2), scored });
    expect(Array.from(gate.weights)).toEqual([0, 0]);
  });
});
