import { describe, expect, it } from "vitest";
import {
  parsePythonLiteral,
  PythonLiteralSyntaxError,
} from "../../../../src/eval/python/literal.js";

describe("parsePythonLiteral", () => {
  it.each([
    [
      "a dict with single quotes",
      "{'factuality': 4, 'readability': 'N/A'}",
      { factuality: 4, readability: "N/A" },
    ],
    ["a dict with double quotes and floats", '{"a": 4.5, "b": -1}', { a: 4.5, b: -1 }],
    ["a trailing comma and newlines", "{\n 'a': 1,\n 'b': 2,\n}", { a: 1, b: 2 }],
    [
      "a list of strings",
      "['Comprehension', 'Logical Efficiency']",
      ["Comprehension", "Logical Efficiency"],
    ],
    ["a tuple", "(1, 2)", [1, 2]],
    ["constants", "[True, False, None]", [true, false, null]],
    ["escapes", "'it\\'s \\n \\x41 \\u00e9'", "it's \n A é"],
    ["implicit concatenation", "'a' \"b\"", "ab"],
    ["exponents and underscores", "[1e3, 1_000, .5, 5.]", [1000, 1000, 0.5, 5]],
  ])("parses %s", (_name, text, expected) => {
    expect(parsePythonLiteral(text)).toEqual(expected);
  });

  it.each([
    ["a lowercased constant", "{'a': true}"],
    ["a name", "{'a': score}"],
    ["an expression", "{'a': 1 + 2}"],
    ["an unterminated string", "{'a: 1}"],
    ["leading zeros", "{'a': 07}"],
    ["a call", "dict(a=1)"],
  ])("rejects %s as ast.literal_eval does", (_name, text) => {
    expect(() => parsePythonLiteral(text)).toThrow(PythonLiteralSyntaxError);
  });
});
