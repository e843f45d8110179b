import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  appendJsonl,
  parseJsonl,
  readJsonl,
  writeJsonl,
} from "../../../../src/eval/io/jsonl-file.js";
import { readJson } from "../../../../src/eval/io/json-file.js";
import { EvalDataError } from "../../../../src/eval/eval-data-error.js";

describe("JSON Lines files", () => {
  it("round-trips values and appends whole lines", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "moa-jsonl-")), "nested", "values.jsonl");
    await writeJsonl(file, [{ a: 1 }]);
    await appendJsonl(file, [{ a: 2 }, { a: 3 }]);
    expect(await readJsonl(file)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(await readFile(file, "utf8")).toBe('{"a":1}\n{"a":2}\n{"a":3}\n');
  });

  it("skips a truncated last line only when asked to", () => {
    const text = '{"a":1}\n{"a":';
    expect(parseJsonl(text, "f", { tolerateTruncatedTail: true })).toEqual([{ a: 1 }]);
    expect(() => parseJsonl(text, "f")).toThrow(EvalDataError);
  });

  it("names the line of a malformed entry", () => {
    expect(() => parseJsonl('{"a":1}\nnot json\n{"a":2}\n', "answers.jsonl")).toThrow(
      /answers\.jsonl \(line 2\)/,
    );
  });

  it("returns an empty list for a missing file when allowed", async () => {
    expect(await readJsonl(join(tmpdir(), "does-not-exist.jsonl"), { allowMissing: true })).toEqual(
      [],
    );
  });

  it("reads Python's NaN tokens in JSON files as null", async () => {
    const file = join(await mkdtemp(join(tmpdir(), "moa-json-")), "annotations.json");
    await writeFile(file, '[{"preference": NaN, "text": "NaN stays"}, {"preference": 1.5}]');
    expect(await readJson(file)).toEqual([
      { preference: null, text: "NaN stays" },
      { preference: 1.5 },
    ]);
  });
});
