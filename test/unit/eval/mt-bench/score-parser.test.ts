import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseMtBenchScore } from "../../../../src/eval/mt-bench/score-parser.js";
import { fixturePath } from "../shared-data.js";

const fixture = JSON.parse(readFileSync(fixturePath("mt-bench-judgments.json"), "utf8")) as {
  cases: { name: string; judgment: string; score: number }[];
};

describe("parseMtBenchScore", () => {
  it.each(fixture.cases.map((entry) => [entry.name, entry.judgment, entry.score] as const))(
    "parses %s",
    (_name, judgment, score) => {
      expect(parseMtBenchScore(judgment)).toBe(score);
    },
  );
});
