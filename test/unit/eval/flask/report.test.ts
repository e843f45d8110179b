import { describe, expect, it } from "vitest";
import { FLASK_SKILLS, reportFlask } from "../../../../src/eval/flask/report.js";

describe("reportFlask", () => {
  it("averages per skill like aggregate_skill.py", () => {
    const report = reportFlask([
      { score: { "logical correctness": 4, readability: 5, conciseness: "N/A" } },
      { score: { "logical correctness": 2, "commonsense understanding": 3, factuality: "4" } },
      { score: { "logical robustness": 5, readability: "excellent", harmlessness: 5, extra: 1 } },
      { score: {} },
    ]);
    expect(report.skills).toEqual({
      robustness: { average: 5, count: 1, total: 5 },
      correctness: { average: 3, count: 2, total: 6 },
      factuality: { average: 4, count: 1, total: 4 },
      commonsense: { average: 3, count: 1, total: 3 },
      readability: { average: 5, count: 1, total: 5 },
      conciseness: { average: Number.NaN, count: 0, total: 0 },
      harmlessness: { average: 5, count: 1, total: 5 },
    });
    expect(Object.keys(report.skills)).toEqual(
      FLASK_SKILLS.filter((skill) => skill in report.skills),
    );
    expect(report).toMatchObject({ not_applicable: 1, n_reviews: 4, n_irregular: 2 });
  });
});
