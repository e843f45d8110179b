import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { vendoredDataPath } from "../../../src/eval/data-directory.js";
import { sharedDataPath } from "./shared-data.js";

const sha256 = async (path: string) =>
  createHash("sha256")
    .update(await readFile(path))
    .digest("hex");

describe("vendored benchmark data", () => {
  it.each([
    ["alpaca_eval", "eval_set.gpt4_1106_preview.json"],
    ["alpaca_eval", "instruction_difficulty.csv"],
    ["alpaca_eval", "df_gamed.csv"],
    ["alpaca_eval", "is_switched_outputs.json"],
    ["alpaca_eval", "judge", "alpaca_eval_clf.txt"],
    ["alpaca_eval", "judge", "weighted_alpaca_eval_gpt4_turbo.configs.yaml"],
    ["mt_bench", "question.jsonl"],
    ["mt_bench", "judge_prompts.jsonl"],
    ["mt_bench", "reference_answer", "gpt-4.jsonl"],
    ["mt_bench", "LICENSE"],
  ])(
    "keeps %s/%s byte-identical to its source, with the hash in the license note",
    async (...segments) => {
      const digest = await sha256(vendoredDataPath(...segments));
      expect(digest).toBe(await sha256(sharedDataPath(...segments)));
      const notice = await readFile(vendoredDataPath(segments[0]!, "NOTICE.md"), "utf8");
      expect(notice).toContain(digest);
    },
  );

  it("names the AlpacaEval data license", async () => {
    expect(await readFile(vendoredDataPath("alpaca_eval", "NOTICE.md"), "utf8")).toContain(
      "CC BY-NC 4.0",
    );
  });

  it("matches the two side-file hashes named in the data README", async () => {
    expect(await sha256(vendoredDataPath("alpaca_eval", "instruction_difficulty.csv"))).toMatch(
      /^e28d875b/,
    );
    expect(await sha256(vendoredDataPath("alpaca_eval", "df_gamed.csv"))).toMatch(/^97aeec3f/);
  });
});
