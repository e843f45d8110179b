import { describe, expect, it } from "vitest";
import {
  exactMatchRate,
  extractFinalAnswer,
  isExactMatch,
  normalizeNumber,
  parseTasksJsonl,
  referenceAnswer,
} from "../../../src/co-llm/answer-metrics.js";
import { InvalidConfigError } from "../../../src/errors/invalid-config-error.js";

describe("extractFinalAnswer", () => {
  it.each([
    ["The answer is 12.", "12"],
    ["3 times 4 is 12, not 13", "13"],
    ["Janet sells 16 - 3 - 4 = 9 eggs.\n#### 18", "18"],
    ["#### 1,250", "1250"],
    ["It costs $1,250.50 in total.", "1250.5"],
    ["about 12.0 units", "12"],
    ["a loss of -7 points", "-7"],
    ["#### yes", "yes"],
    ["No idea.", undefined],
    ["", undefined],
  ])("reads %j as %j", (text, expected) => {
    expect(extractFinalAnswer(text)).toBe(expected);
  });
});

describe("normalizeNumber and referenceAnswer", () => {
  it.each([
    ["1,000", "1000"],
    ["+5", "5"],
    ["007", "7"],
    [".5", "0.5"],
    ["-0", "0"],
    ["2.500", "2.5"],
  ])("normalizes %j to %j", (text, expected) => {
    expect(normalizeNumber(text)).toBe(expected);
  });

  it.each([
    ["Natalia sold 48/2 = 24 clips in May.\n#### 72", "72"],
    [" 12 ", "12"],
    ["1,024", "1024"],
    ["Paris", "Paris"],
  ])("reads the reference %j as %j", (answer, expected) => {
    expect(referenceAnswer(answer)).toBe(expected);
  });
});

describe("isExactMatch and exactMatchRate", () => {
  it.each([
    [" The answer is 12.", "12", true],
    [" The answer is 13.", "12", false],
    ["so #### 72", "He sold 72 clips.\n#### 72", true],
    ["The answer is 72 (I think 70).", "72", false],
    [" Paris ", "Paris", true],
    ["Paris, France", "Paris", false],
  ])("%j against %j: %s", (prediction, answer, expected) => {
    expect(isExactMatch(prediction, answer)).toBe(expected);
  });

  it("is the share of matches, and refuses misaligned arrays", () => {
    const tasks = [{ answer: "1" }, { answer: "2" }, { answer: "3" }, { answer: "4" }];
    expect(exactMatchRate(["1", "x 2", "9", "4."], tasks)).toBe(0.75);
    expect(exactMatchRate([], [])).toBe(0);
    expect(() => exactMatchRate(["1"], tasks)).toThrow("one prediction per task");
  });
});

describe("parseTasksJsonl", () => {
  it("reads prompt/answer lines and GSM8K question/answer lines, skipping blank lines", () => {
    const text = [
      JSON.stringify({ prompt: "What is 3 times 4?", answer: "12" }),
      "",
      JSON.stringify({ question: "How many?", answer: "Two and two.\n#### 4" }),
      JSON.stringify({ prompt: "Numeric?", answer: 5 }),
    ].join("\n");
    expect(parseTasksJsonl(text)).toEqual([
      { prompt: "What is 3 times 4?", answer: "12" },
      { prompt: "How many?", answer: "Two and two.\n#### 4" },
      { prompt: "Numeric?", answer: "5" },
    ]);
  });

  it("lists every bad line with its number", () => {
    const text = ["{oops", JSON.stringify({ answer: "1" }), JSON.stringify({ prompt: "p" })].join(
      "\n",
    );
    const error = (() => {
      try {
        parseTasksJsonl(text, "gsm8k.jsonl");
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(InvalidConfigError.isInstance(error)).toBe(true);
    expect((error as InvalidConfigError).issues.map((issue) => issue.path)).toEqual([
      "line 1",
      "line 2",
      "line 3",
    ]);
    expect((error as Error).message).toContain("gsm8k.jsonl");
  });
});
