import { HumanMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { estimateMessageTokens, estimateTokens } from "../../../src/context/estimate-tokens.js";
import { AGGREGATE_AND_SYNTHESIZE_PROMPT, formatReferences } from "../../../src/index.js";
import { TRUNCATION_MARKER, fitReferences } from "../../../src/context/fit-references.js";

const messages = [new HumanMessage("Explain entropy in one paragraph.")];
const words = (count: number, word = "word") => Array.from({ length: count }, () => word).join(" ");

describe("fitReferences (context guard)", () => {
  it("counts the tags of delimited references, so the rendered prompt still fits", () => {
    const references = Array.from({ length: 6 }, (_, index) => words(900, `w${index}`));
    const input = { messages, references, contextWindow: 4096, reserveOutputTokens: 512 };
    const delimited = fitReferences({ ...input, referenceFormat: "delimited" });
    expect(delimited.truncated).toBe(true);
    const rendered = formatReferences(delimited.references, { referenceFormat: "delimited" });
    expect(estimateMessageTokens(messages) + estimateTokens(rendered) + 512).toBeLessThanOrEqual(
      4096,
    );
  });

  it("leaves references alone when they fit", () => {
    const references = ["short answer", "another short answer"];
    const result = fitReferences({
      messages,
      references,
      contextWindow: 8192,
      reserveOutputTokens: 1024,
    });
    expect(result).toMatchObject({ references, truncated: false });
  });

  it("cuts long references to one equal share each and keeps short ones whole", () => {
    const short = "A concise answer.";
    const references = [words(3000, "alpha"), short, words(5000, "beta")];
    const result = fitReferences({
      messages,
      references,
      contextWindow: 4096,
      reserveOutputTokens: 1024,
    });
    expect(result.truncated).toBe(true);
    expect(result.references[1]).toBe(short);
    const [first, , third] = result.references as [string, string, string];
    expect(first.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(third.endsWith(TRUNCATION_MARKER)).toBe(true);
    expect(first.startsWith("alpha alpha")).toBe(true);
    // Fair: the two long ones keep the same amount (± rounding at a word boundary).
    expect(Math.abs(first.length - third.length)).toBeLessThanOrEqual(2);
    expect(result.keptTokens).toBeLessThan(result.originalTokens);
    // The whole prompt now fits the window with the reserve kept free.
    const fixed =
      estimateMessageTokens(messages) + estimateTokens(AGGREGATE_AND_SYNTHESIZE_PROMPT) + 1024;
    const kept = result.references.reduce(
      (total, reference) => total + estimateTokens(reference) + 2,
      0,
    );
    expect(kept).toBeLessThanOrEqual(4096 - fixed);
  });

  it("never changes the conversation or the number of references", () => {
    const references = [words(9000), words(9000)];
    const before = messages.map((message) => message.content);
    const result = fitReferences({
      messages,
      references,
      contextWindow: 2048,
      reserveOutputTokens: 512,
    });
    expect(result.references).toHaveLength(2);
    expect(messages.map((message) => message.content)).toEqual(before);
  });

  it("keeps only markers when nothing fits", () => {
    const result = fitReferences({
      messages: [new HumanMessage(words(4000))],
      references: [words(100)],
      contextWindow: 1024,
      reserveOutputTokens: 512,
    });
    expect(result.references).toEqual([TRUNCATION_MARKER]);
  });
});
