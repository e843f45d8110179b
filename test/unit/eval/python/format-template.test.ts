import { describe, expect, it } from "vitest";
import { formatPythonTemplate } from "../../../../src/eval/python/format-template.js";
import { InvalidArgumentError } from "../../../../src/errors/index.js";

describe("formatPythonTemplate", () => {
  it.each([
    ["plain field", "[Q]\n{question}", { question: "2+2?" }, "[Q]\n2+2?"],
    ["repeated field", "{a}-{a}", { a: "x" }, "x-x"],
    ["doubled braces", "{{literal}} {a}", { a: "1" }, "{literal} 1"],
    ["closing braces doubled", "}} {a} }}", { a: "1" }, "} 1 }"],
    ["values are not re-parsed", "{a}", { a: "{b} {{c}} $& $1" }, "{b} {{c}} $& $1"],
    ["numbers are stringified", "n={num}", { num: 3 }, "n=3"],
    ["extra values are ignored", "{a}", { a: "x", unused: "y" }, "x"],
  ])("fills %s like str.format", (_name, template, values, expected) => {
    expect(formatPythonTemplate(template, values)).toBe(expected);
  });

  it.each([
    ["an unknown field", "{missing}"],
    ["a lone closing brace", "a } b"],
    ["an unclosed field", "a { b"],
    ["a format spec", "{a:>5}"],
    ["a conversion", "{a!r}"],
  ])("rejects %s", (_name, template) => {
    expect(() => formatPythonTemplate(template, { a: "x" })).toThrow(InvalidArgumentError);
  });
});
