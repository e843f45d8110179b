import { describe, expect, it } from "vitest";
import {
  countTokens,
  splitTokens,
  truncateToTokens,
} from "../../../../src/testing/simulator/whitespace-tokens.js";

describe("whitespace tokens", () => {
  it.each([
    ["", 0],
    ["   ", 0],
    ["Paris", 1],
    ["  Paris is\nnice ", 3],
    ["a\tb\r\nc", 3],
  ])("countTokens(%j) is %i", (text, count) => {
    expect(countTokens(text)).toBe(count);
  });

  it.each([
    ["", []],
    ["Paris is nice", ["Paris", " is", " nice"]],
    ["  lead and trail  ", ["  lead", " and", " trail  "]],
    ["line\n\nbreak", ["line", "\n\nbreak"]],
    ["   ", ["   "]],
  ])("splitTokens(%j) gives %j and joins back to the input", (text, tokens) => {
    expect(splitTokens(text)).toEqual(tokens);
    expect(splitTokens(text).join("")).toBe(text);
  });

  it.each([
    ["one two three", 2, "one two", true],
    ["one two three", 3, "one two three", false],
    ["one two three", 10, "one two three", false],
    ["one two three", 0, "", true],
    ["  one  two ", 1, "  one", true],
  ])("truncateToTokens(%j, %i) keeps %j (truncated: %s)", (text, max, kept, truncated) => {
    expect(truncateToTokens(text, max)).toEqual({ text: kept, truncated });
  });
});
