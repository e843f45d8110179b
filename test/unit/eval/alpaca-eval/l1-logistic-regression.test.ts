import { describe, expect, it } from "vitest";
import {
  crossValidateL1LogisticRegression,
  fitL1LogisticRegression,
  logistic,
  logspace,
  type SoftLabelDesign,
} from "../../../../src/eval/alpaca-eval/l1-logistic-regression.js";

// A deterministic synthetic problem: three correlated features, soft labels from a known model.
function synthetic(rows: number, dimensions = 3): SoftLabelDesign {
  let state = 12345;
  const next = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const features = new Float64Array(rows * dimensions);
  const labels = new Float64Array(rows);
  const weights = new Float64Array(rows);
  for (let row = 0; row < rows; row += 1) {
    const shared = next() * 2 - 1;
    let z = 0;
    for (let j = 0; j < dimensions; j += 1) {
      const value = j === dimensions - 1 ? 1 : 0.6 * shared + (next() * 2 - 1);
      features[row * dimensions + j] = value;
      z += [1.5, -0.7, 0.3, 0.2, -0.1, 0, 0.05, 0.4][j % 8]! * value;
    }
    labels[row] = Math.min(1, Math.max(0, logistic(z) + (next() - 0.5) * 0.2));
    weights[row] = row % 7 === 0 ? 0.1 : 1;
  }
  return { rows, dimensions, features, labels, weights };
}

function objective(design: SoftLabelDesign, C: number, beta: ArrayLike<number>): number {
  let total = 0;
  for (let row = 0; row < design.rows; row += 1) {
    let z = 0;
    for (let j = 0; j < design.dimensions; j += 1)
      z += design.features[row * design.dimensions + j]! * beta[j]!;
    const p = logistic(z);
    const y = design.labels[row]!;
    total -= design.weights[row]! * (y * Math.log(p) + (1 - y) * Math.log(1 - p));
  }
  let l1 = 0;
  for (let j = 0; j < design.dimensions; j += 1) l1 += Math.abs(beta[j]!);
  return l1 + C * total;
}

describe("fitL1LogisticRegression", () => {
  it.each([0.001, 0.05, 1, 100, 10_000])(
    "satisfies the optimality conditions tightly at C = %s",
    (C) => {
      const design = synthetic(600);
      const fit = fitL1LogisticRegression(design, C);
      expect(fit.converged).toBe(true);
      // Gradients scale with C·Σw; the violation is at rounding level relative to that.
      expect(fit.optimality).toBeLessThan(1e-9 * Math.max(1, C * 600));
      // No coordinate move lowers the objective.
      const best = objective(design, C, fit.coefficients);
      for (let j = 0; j < 3; j += 1) {
        for (const step of [1e-5, -1e-5]) {
          const moved = Float64Array.from(fit.coefficients);
          moved[j] = moved[j]! + step;
          expect(objective(design, C, moved)).toBeGreaterThanOrEqual(best - 1e-9 * Math.abs(best));
        }
      }
    },
  );

  it("returns exact zeros when the penalty dominates", () => {
    const fit = fitL1LogisticRegression(synthetic(200), 1e-4);
    expect(Array.from(fit.coefficients)).toEqual([0, 0, 0]);
  });

  it("equals fitting the duplicated hard-label rows with weights w·y and w·(1 − y)", () => {
    const design = synthetic(300);
    const duplicated: SoftLabelDesign = {
      rows: design.rows * 2,
      dimensions: 3,
      features: new Float64Array(design.rows * 6),
      labels: new Float64Array(design.rows * 2),
      weights: new Float64Array(design.rows * 2),
    };
    for (let row = 0; row < design.rows; row += 1) {
      for (const [copy, label] of [
        [0, 1],
        [1, 0],
      ] as const) {
        const target = row * 2 + copy;
        duplicated.features.set(design.features.subarray(row * 3, row * 3 + 3), target * 3);
        duplicated.labels[target] = label;
        const y = design.labels[row]!;
        duplicated.weights[target] = design.weights[row]! * (label === 1 ? y : 1 - y);
      }
    }
    const soft = fitL1LogisticRegression(design, 2).coefficients;
    const hard = fitL1LogisticRegression(duplicated, 2).coefficients;
    for (let j = 0; j < 3; j += 1) expect(soft[j]).toBeCloseTo(hard[j]!, 10);
  });

  it("solves problems above six features by coordinate descent", () => {
    const design = synthetic(500, 8);
    const fit = fitL1LogisticRegression(design, 0.5);
    expect(fit.optimality).toBeLessThan(1e-7 * 0.5 * 500);
  });

  it("warm starts reach the same optimum", () => {
    const design = synthetic(400);
    const cold = fitL1LogisticRegression(design, 3).coefficients;
    const warm = fitL1LogisticRegression(design, 3, {
      initial: new Float64Array([5, -5, 5]),
    }).coefficients;
    for (let j = 0; j < 3; j += 1) expect(warm[j]).toBeCloseTo(cold[j]!, 10);
  });
});

describe("crossValidateL1LogisticRegression", () => {
  it("picks the C with the best mean held-out score and refits on all rows", () => {
    const design = synthetic(500);
    const Cs = logspace(-4, 4, 10);
    const result = crossValidateL1LogisticRegression(design, { Cs });
    expect(result.meanScores).toHaveLength(10);
    expect(result.meanScores[result.index]).toBe(Math.max(...result.meanScores));
    expect(result.C).toBe(Cs[result.index]);
    const direct = fitL1LogisticRegression(design, result.C).coefficients;
    for (let j = 0; j < 3; j += 1) expect(result.fit.coefficients[j]).toBeCloseTo(direct[j]!, 10);
  });
});

describe("logspace", () => {
  it("matches numpy.logspace(-4, 4, 10)", () => {
    // repr(10 ** (i * (8 / 9) - 4)) in CPython, as numpy computes it.
    const numpy = [
      0.0001, 0.000774263682681127, 0.005994842503189409, 0.046415888336127774, 0.3593813663804626,
      2.782559402207126, 21.54434690031882, 166.81005372000558, 1291.5496650148827, 10000.0,
    ];
    logspace(-4, 4, 10).forEach((value, index) =>
      expect(value).toBeCloseTo(numpy[index]!, 12 - Math.round(Math.log10(numpy[index]!))),
    );
  });
});
