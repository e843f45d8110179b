import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { AGGREGATE_AND_SYNTHESIZE_PROMPT } from "../../../src/prompts/aggregate-and-synthesize-prompt.js";
import * as entry from "../../../src/index.js";

describe("AGGREGATE_AND_SYNTHESIZE_PROMPT", () => {
  it("is the paper's 606-character text, byte for byte", () => {
    expect(AGGREGATE_AND_SYNTHESIZE_PROMPT).toHaveLength(606);
    expect(createHash("sha256").update(AGGREGATE_AND_SYNTHESIZE_PROMPT, "utf8").digest("hex")).toBe(
      "051f3701ff1fbfdf3e0474a2bfe16dc9621c1c6665b1d0adefd43cd246dcc378",
    );
  });

  it("has no trailing newline and exactly one blank line before the last line", () => {
    expect(AGGREGATE_AND_SYNTHESIZE_PROMPT).not.toMatch(/\s$/);
    const lines = AGGREGATE_AND_SYNTHESIZE_PROMPT.split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(
      /^You have been provided with a set of responses .* accuracy and reliability\.$/,
    );
    expect(lines[1]).toBe("");
    expect(lines[2]).toBe("Responses from models:");
  });

  it("is the constant the package entry exports", () => {
    expect(entry.AGGREGATE_AND_SYNTHESIZE_PROMPT).toBe(AGGREGATE_AND_SYNTHESIZE_PROMPT);
  });
});
