import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parseFlaskScores } from "../../../../src/eval/flask/score-parser.js";
import { fixturePath } from "../shared-data.js";

const fixture = JSON.parse(readFileSync(fixturePath("flask-reviews.json"), "utf8")) as {
  cases: { name: string; review: string; scores: Record<string, unknown> }[];
};

describe("parseFlaskScores", () => {
  it.each(fixture.cases.map((entry) => [entry.name, entry.review, entry.scores] as const))(
    "parses %s",
    (_name, review, scores) => {
      expect(parseFlaskScores(review)).toEqual(scores);
    },
  );

  it("takes the last dictionary of the review", () => {
    expect(parseFlaskScores("draft {'readability': 2} final {'readability': 5}")).toEqual({
      readability: 5,
    });
  });
});
