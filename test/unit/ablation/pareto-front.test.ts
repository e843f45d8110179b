import { describe, expect, it } from "vitest";
import { paretoFront, type BudgetPoint } from "../../../src/ablation/pareto-front.js";

const points = (pairs: [number, number][]): BudgetPoint[] => pairs.map(([x, y]) => ({ x, y }));

describe("paretoFront", () => {
  it.each<[string, [number, number][], number[]]>([
    [
      "keeps each point no cheaper point beats",
      [
        [1, 40],
        [2, 35],
        [3, 60],
        [4, 55],
        [5, 70],
      ],
      [0, 2, 4],
    ],
    [
      "sorts by budget whatever the input order",
      [
        [5, 70],
        [1, 40],
        [3, 60],
      ],
      [1, 2, 0],
    ],
    [
      "keeps the better of two equally cheap points",
      [
        [1, 40],
        [1, 50],
        [2, 45],
      ],
      [1],
    ],
    [
      "keeps the first of two identical points",
      [
        [1, 40],
        [1, 40],
      ],
      [0],
    ],
    [
      "drops a point as good as a cheaper one",
      [
        [1, 40],
        [2, 40],
      ],
      [0],
    ],
    [
      "ignores non-finite values",
      [
        [Number.NaN, 90],
        [1, 40],
        [2, Number.POSITIVE_INFINITY],
      ],
      [1],
    ],
    ["is empty for no points", [], []],
  ])("%s", (_name, pairs, front) => {
    expect(paretoFront(points(pairs))).toEqual(front);
  });
});
