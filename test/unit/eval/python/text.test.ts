import { describe, expect, it } from "vitest";
import { codePointLength } from "../../../../src/eval/python/code-point-length.js";
import { pythonStrip } from "../../../../src/eval/python/strip.js";

describe("pythonStrip", () => {
  it.each([
    ["spaces and newlines", "\n  text \t\n", "text"],
    ["file separators Python treats as whitespace", "\x1ctext\x1f", "text"],
    ["next line (U+0085)", "\u0085text", "text"],
    ["a byte-order mark, which Python keeps", "\ufefftext", "\ufefftext"],
  ])("strips %s", (_name, input, expected) => {
    expect(pythonStrip(input)).toBe(expected);
  });
});

describe("codePointLength", () => {
  it.each([
    ["ascii", "abc", 3],
    ["accents", "é", 1],
    ["an astral emoji", "a😀b", 3],
    ["a lone surrogate", "\ud800x", 2],
  ])("counts %s like Python's len", (_name, text, expected) => {
    expect(codePointLength(text)).toBe(expected);
  });
});
