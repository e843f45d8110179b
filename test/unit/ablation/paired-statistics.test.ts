import { describe, expect, it } from "vitest";
import { pairedBootstrap } from "../../../src/ablation/paired-bootstrap.js";
import { comparePairedVariants } from "../../../src/ablation/paired-comparison.js";
import { signTest } from "../../../src/ablation/sign-test.js";

describe("signTest", () => {
  // p = min(1, 2 · Σ_{i ≤ min(w, l)} C(w + l, i) / 2^(w + l)), by hand.
  it.each<[string, number[], { wins: number; losses: number; ties: number; pValue: number }]>([
    [
      "5 wins, 1 loss: 2 · (1 + 6) / 64",
      [1, 1, 1, 1, 1, -1],
      { wins: 5, losses: 1, ties: 0, pValue: 0.21875 },
    ],
    [
      "6 wins, 1 loss, 1 tie: 2 · (1 + 7) / 128",
      [3, 2, -1, 0, 5, 4, 1, 1],
      { wins: 6, losses: 1, ties: 1, pValue: 0.125 },
    ],
    ["10 wins: 2 / 1024", Array(10).fill(2), { wins: 10, losses: 0, ties: 0, pValue: 0.001953125 }],
    [
      "3 wins, 2 losses: 2 · (1 + 5 + 10) / 32, capped at 1",
      [1, 1, 1, -1, -1],
      { wins: 3, losses: 2, ties: 0, pValue: 1 },
    ],
    [
      "8 wins, 2 losses: 2 · (1 + 10 + 45) / 1024",
      [...Array(8).fill(1), -1, -1],
      { wins: 8, losses: 2, ties: 0, pValue: 0.109375 },
    ],
    ["only ties", [0, 0, 0], { wins: 0, losses: 0, ties: 3, pValue: 1 }],
    ["no pairs", [], { wins: 0, losses: 0, ties: 0, pValue: 1 }],
  ])("%s", (_name, differences, expected) => {
    const result = signTest(differences);
    expect({ ...result, pValue: 0 }).toEqual({ ...expected, pValue: 0 });
    expect(result.pValue).toBeCloseTo(expected.pValue, 12);
  });

  it("does not underflow on thousands of pairs", () => {
    const balanced = signTest([...Array(1000).fill(1), ...Array(1000).fill(-1)]);
    expect(balanced.pValue).toBe(1);
    // 520 wins of 1000: z ≈ 1.26, two-sided normal p ≈ 0.21.
    const slight = signTest([...Array(520).fill(1), ...Array(480).fill(-1)]);
    expect(slight.pValue).toBeGreaterThan(0.2);
    expect(slight.pValue).toBeLessThan(0.24);
  });
});

describe("pairedBootstrap", () => {
  it.each<[string, number[], { difference: number; low: number; high: number }]>([
    ["constant differences", [5, 5, 5, 5], { difference: 5, low: 5, high: 5 }],
    ["no difference", [0, 0, 0], { difference: 0, low: 0, high: 0 }],
  ])("gives a degenerate interval for %s", (_name, differences, expected) => {
    expect(pairedBootstrap(differences, { resamples: 1000 })).toMatchObject(expected);
  });

  it.each<[string, number[], number]>([
    // Every resampled mean is 5 > 0: p = 2 · (0 + 1) / (1000 + 1).
    ["a constant positive difference", [5, 5, 5, 5], 2 / 1001],
    // Every resampled mean is 0, both ≤ 0 and ≥ 0.
    ["no difference", [0, 0, 0], 1],
  ])("gives p for %s", (_name, differences, pValue) => {
    expect(pairedBootstrap(differences, { resamples: 1000 }).pValue).toBeCloseTo(pValue, 12);
  });

  it("brackets the mean with about ±1.96 standard errors, reproducibly for a seed", () => {
    // 100 differences of mean 10 and standard deviation 20 (population): SE ≈ 2.
    const differences = Array.from({ length: 100 }, (_, index) => (index % 2 === 0 ? 30 : -10));
    const first = pairedBootstrap(differences);
    expect(first.difference).toBe(10);
    expect(first.low).toBeGreaterThan(10 - 1.96 * 2 - 0.5);
    expect(first.low).toBeLessThan(10 - 1.96 * 2 + 0.5);
    expect(first.high).toBeGreaterThan(10 + 1.96 * 2 - 0.5);
    expect(first.high).toBeLessThan(10 + 1.96 * 2 + 0.5);
    expect(first.pValue).toBeLessThan(0.001);
    expect(first.resamples).toBe(10_000);
    expect(pairedBootstrap(differences)).toEqual(first);
    const varied = Array.from({ length: 50 }, (_, index) => ((index * 37) % 101) - 40);
    expect(pairedBootstrap(varied, { seed: "other" }).low).not.toBe(pairedBootstrap(varied).low);
  });

  it("reports nothing to compare for no pairs", () => {
    expect(pairedBootstrap([])).toMatchObject({ pValue: 1, difference: Number.NaN });
  });
});

describe("comparePairedVariants", () => {
  it("compares every other variant with the reference on the instances both have", () => {
    const result = comparePairedVariants(
      { id: "l1", instances: { a: 0, b: 50, c: 100, only_reference: 0 } },
      [
        { id: "l1", instances: { a: 0 } },
        { id: "l2", instances: { c: 100, b: 100, a: 100, only_variant: 0 } },
        { id: "unjudged" },
      ],
      { resamples: 1000, instanceScore: "win (%)" },
    );
    expect(result).toMatchObject({
      reference: "l1",
      instanceScore: "win (%)",
      resamples: 1000,
      seed: "moa-ablation",
    });
    expect(result.comparisons).toHaveLength(1);
    expect(result.comparisons[0]).toMatchObject({
      variant: "l2",
      pairs: 3,
      difference: 50,
      signTest: { wins: 2, losses: 0, ties: 1, pValue: 0.5 },
    });
    expect(result.comparisons[0]!.low).toBeGreaterThanOrEqual(0);
    expect(result.comparisons[0]!.high).toBeLessThanOrEqual(100);
  });
});
