import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { JudgmentCache } from "../../../../src/eval/stages/judgment-cache.js";
import { contentHash } from "../../../../src/eval/content-hash.js";

describe("JudgmentCache", () => {
  it("persists replies by key across openings", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "moa-cache-")), "cache.jsonl");
    const cache = await JudgmentCache.open(path);
    await Promise.all([cache.set("a", { text: "1" }), cache.set("b", { text: "2" })]);
    const reopened = await JudgmentCache.open(path);
    expect(reopened.size).toBe(2);
    expect(reopened.get("b")).toEqual({ text: "2" });
    expect(reopened.has("c")).toBe(false);
  });
});

describe("contentHash", () => {
  it("ignores key order and distinguishes content", () => {
    expect(contentHash({ b: 1, a: [1, { y: 2, x: 1 }] })).toBe(
      contentHash({ a: [1, { x: 1, y: 2 }], b: 1 }),
    );
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });
});
