import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  appendJsonl,
  parseJsonl,
  readJsonl,
  repairJsonlTail,
  writeJsonl,
} from "../../../../src/eval/io/jsonl-file.js";
import { readJson } from "../../../../src/eval/io/json-file.js";
import { EvalDataError } from "../../../../src/eval/eval-data-error.js";
import { createJsonListStore, createJsonlStore } from "../../../../src/eval/stages/stage-store.js";
import { JudgmentCache } from "../../../../src/eval/stages/judgment-cache.js";

const tempFile = async (name: string) => join(await mkdtemp(join(tmpdir(), "moa-torn-")), name);

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

  describe("after a crash cut the last line", () => {
    it("appends after the finished records, so a read returns every finished record", async () => {
      const file = await tempFile("outputs.jsonl");
      await writeFile(file, '{"a":1}\n{"a":2}\n{"a":');
      await appendJsonl(file, [{ a: 3 }]);
      expect(await readFile(file, "utf8")).toBe('{"a":1}\n{"a":2}\n{"a":3}\n');
      expect(await readJsonl(file)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    });

    it("survives a second crash: the record finished between the crashes is kept", async () => {
      const file = await tempFile("answers.jsonl");
      await writeFile(file, '{"a":1}\n{"a":'); // first crash
      await appendJsonl(file, [{ a: 2 }]);
      await writeFile(file, '{"a":3', { flag: "a" }); // second crash, mid-append
      // The rerun reads what finished, then appends again.
      expect(await readJsonl(file, { tolerateTruncatedTail: true })).toEqual([{ a: 1 }, { a: 2 }]);
      await appendJsonl(file, [{ a: 3 }]);
      expect(await readJsonl(file)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    });

    it.each([
      ["a torn tail", '{"a":1}\n{"a":', "truncated", '{"a":1}\n'],
      [
        "a whole last line without its newline",
        '{"a":1}\n{"a":2}',
        "terminated",
        '{"a":1}\n{"a":2}\n',
      ],
      ["a torn single line", '{"a', "truncated", ""],
      ["an intact file", '{"a":1}\n', "intact", '{"a":1}\n'],
      ["an empty file", "", "intact", ""],
    ])("repairs %s", async (_label, text, outcome, repaired) => {
      const file = await tempFile("journal.jsonl");
      await writeFile(file, text);
      expect(await repairJsonlTail(file)).toBe(outcome);
      expect(await readFile(file, "utf8")).toBe(repaired);
    });

    it("finds the start of a torn line longer than its read buffer", async () => {
      const file = await tempFile("long.jsonl");
      await writeFile(file, `{"a":1}\n{"text":"${"x".repeat(200_000)}`);
      expect(await repairJsonlTail(file)).toBe("truncated");
      expect(await readFile(file, "utf8")).toBe('{"a":1}\n');
    });

    it("reports a missing file", async () => {
      expect(await repairJsonlTail(await tempFile("none.jsonl"))).toBe("missing");
    });

    it("leaves a bad line in the middle alone: reading names the file and line", async () => {
      const file = await tempFile("judgments.jsonl");
      await writeFile(file, '{"a":1}\n{"a":\n{"a":2}\n');
      await appendJsonl(file, [{ a: 3 }]);
      await expect(readJsonl(file, { tolerateTruncatedTail: true })).rejects.toThrow(
        /judgments\.jsonl \(line 2\)/,
      );
    });

    it("keeps concurrent appends whole while repairing", async () => {
      const file = await tempFile("concurrent.jsonl");
      await writeFile(file, '{"a":');
      await Promise.all(Array.from({ length: 20 }, (_, a) => appendJsonl(file, [{ a }])));
      expect(
        (await readJsonl<{ a: number }>(file)).map(({ a }) => a).sort((x, y) => x - y),
      ).toEqual(Array.from({ length: 20 }, (_, a) => a));
    });

    it.each([
      [
        "an AlpacaEval partial journal",
        (file: string) => createJsonListStore<{ a: number }>(file),
        ".partial.jsonl",
      ],
      [
        "an MT-Bench answers/judgments file",
        (file: string) => createJsonlStore<{ a: number }>(file),
        "",
      ],
    ])("lets the stage store of %s resume after two crashes", async (_label, makeStore, suffix) => {
      const path = await tempFile("stage.json");
      const journal = `${path}${suffix}`;
      await writeFile(journal, '{"a":1}\n{"a":');
      const rerun = makeStore(path);
      expect(await rerun.load()).toEqual([{ a: 1 }]);
      await rerun.append({ a: 2 });
      await writeFile(journal, '{"a":3', { flag: "a" });
      const again = makeStore(path);
      expect(await again.load()).toEqual([{ a: 1 }, { a: 2 }]);
      await again.append({ a: 3 });
      expect(await makeStore(path).load()).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    });

    it("lets a judgment cache (and the ablation call cache built on it) keep every entry", async () => {
      const path = await tempFile("cache.jsonl");
      await writeFile(path, '{"key":"k1","value":1}\n{"key":"k2","val');
      await (await JudgmentCache.open(path)).set("k2", 2);
      await writeFile(path, '{"key":"k3"', { flag: "a" });
      const cache = await JudgmentCache.open(path);
      await cache.set("k3", 3);
      const reopened = await JudgmentCache.open(path);
      expect([reopened.get("k1"), reopened.get("k2"), reopened.get("k3")]).toEqual([1, 2, 3]);
      expect(await readJsonl(path)).toHaveLength(3);
    });
  });
});
