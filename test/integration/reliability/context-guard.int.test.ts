// Fault matrix, part 5: the context guard. Layer-1 proposers write 2000-word answers; a
// receiving model whose window cannot hold them all would answer OpenAI's 400
// `context_length_exceeded` (the simulator enforces `contextWindow` in whitespace tokens). When
// the window is known (the spec's `contextWindow`, the `contextWindows` param, or the built-in
// table by model name) the references are shortened fairly, marked, and recorded in state; the
// user's messages are never touched.
import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import {
  REFERENCES_HEADER,
  countReferences,
  parseSyntheticReply,
} from "../../../src/testing/simulator/index.js";
import { QUESTION, invoke, proposalOf, rejection, run, useSimulator } from "./harness.js";

const TRUNCATION_MARKER = " […truncated to fit the context window]";
const LONG_ANSWER_WORDS = 2_000;
const WINDOW = 1_500;

const { model, requestOf, messagesSentTo } = useSimulator({
  models: {
    "long-a": { outputTokens: LONG_ANSWER_WORDS },
    "long-b": { outputTokens: LONG_ANSWER_WORDS },
    "long-c": { outputTokens: LONG_ANSWER_WORDS },
    "long-d": { outputTokens: LONG_ANSWER_WORDS },
    "long-e": { outputTokens: LONG_ANSWER_WORDS },
    "tight-judge": { contextWindow: WINDOW },
    "tight-proposer": { contextWindow: WINDOW },
    // Named like the real model so the guard finds its window (8192) in the built-in table.
    "gpt-4": { contextWindow: 8_192 },
  },
});

/** The references as the receiving model saw them: the lines after the references header. */
function referencesSentTo(modelName: string): string[] {
  const system = messagesSentTo(modelName).find((message) => message.role === "system");
  const lines = (system?.content ?? "").split("\n");
  const header = lines.lastIndexOf(REFERENCES_HEADER);
  return lines.slice(header + 1).map((line, index) => {
    expect(
      line.startsWith(`${index + 1}. `),
      `reference line ${index + 1}: ${line.slice(0, 40)}`,
    ).toBe(true);
    return line.slice(`${index + 1}. `.length);
  });
}

function expectTruncatedFrom(reference: string, original: string): void {
  expect(reference.endsWith(TRUNCATION_MARKER)).toBe(true);
  const kept = reference.slice(0, -TRUNCATION_MARKER.length);
  expect(kept.length).toBeGreaterThan(0);
  expect(kept.length).toBeLessThan(original.length);
  expect(original.startsWith(kept)).toBe(true);
}

describe("context guard", () => {
  it("without a known window, the aggregator's provider answers context_length_exceeded", async () => {
    // The control experiment: the same run as below, minus the window the guard needs.
    const error = await rejection(
      invoke({
        proposers: [model("long-a"), model("long-b")],
        aggregator: model("tight-judge"),
        layers: 2,
      }),
    );
    expect(String((error as Error).message)).toMatch(/context/i);
    expect(requestOf("tight-judge").status).toBe(400);
    expect(requestOf("tight-judge").promptTokens).toBeGreaterThan(WINDOW);
  });

  it("shortens long references fairly to fit the aggregator's contextWindow and keeps the user's messages", async () => {
    const conversation = [new SystemMessage("Answer in English."), new HumanMessage(QUESTION)];
    const state = await run(
      {
        // The short answer in the middle fits its fair share and stays whole.
        proposers: [model("long-a"), model("short"), model("long-b")],
        aggregator: { model: model("tight-judge"), contextWindow: WINDOW, maxTokens: 200 },
        layers: 2,
      },
      conversation,
    );
    expect(requestOf("tight-judge")).toMatchObject({ status: 200 });
    expect(requestOf("tight-judge").promptTokens).toBeLessThanOrEqual(WINDOW);
    expect(state.aggregation?.referencesTruncated).toBe(true);
    expect(parseSyntheticReply(String(state.messages.at(-1)?.content))?.references).toBe(3);

    const [first, second, third] = referencesSentTo("tight-judge");
    expectTruncatedFrom(first!, proposalOf(state, "long-a").content);
    expect(second).toBe(proposalOf(state, "short").content);
    expectTruncatedFrom(third!, proposalOf(state, "long-b").content);
    // Equal shares: the two long answers were cut to the same size (give or take a trimmed space).
    expect(Math.abs(first!.length - third!.length)).toBeLessThanOrEqual(2);

    // The caller's system text and question reach the model untouched.
    const sent = messagesSentTo("tight-judge");
    expect(sent.map((message) => message.role)).toEqual(["system", "user"]);
    expect(sent[0]!.content.startsWith("Answer in English.\n\n")).toBe(true);
    expect(countReferences(sent[0]!.content)).toBe(3);
    expect(sent[1]!.content).toBe(QUESTION);
  });

  it("guards a layer-2 proposer whose window comes from the contextWindows param", async () => {
    const state = await run({
      layerProposers: [
        [model("long-a"), model("long-b")],
        [model("tight-proposer"), model("roomy")],
      ],
      aggregator: model("judge"),
      contextWindows: { "tight-proposer": WINDOW },
    });
    const tight = proposalOf(state, "tight-proposer", 2);
    expect(tight.status).toBe("ok");
    expect(tight.referencesTruncated).toBe(true);
    expect(requestOf("tight-proposer").promptTokens).toBeLessThanOrEqual(WINDOW);
    for (const reference of referencesSentTo("tight-proposer")) {
      expect(reference.endsWith(TRUNCATION_MARKER)).toBe(true);
    }
    expect(messagesSentTo("tight-proposer").at(-1)).toEqual({ role: "user", content: QUESTION });
    // A model with no known window gets the references whole.
    const roomy = proposalOf(state, "roomy", 2);
    expect(roomy.status).toBe("ok");
    expect(roomy.referencesTruncated).not.toBe(true);
    expect(referencesSentTo("roomy")).toEqual([
      proposalOf(state, "long-a").content,
      proposalOf(state, "long-b").content,
    ]);
    // Layer-2 answers are short: the aggregator needed no shortening.
    expect(state.aggregation?.referencesTruncated).not.toBe(true);
    expect(parseSyntheticReply(String(state.messages.at(-1)?.content))?.references).toBe(2);
  });

  it("finds the window of a well-known model name in the built-in table", async () => {
    const proposers = ["long-a", "long-b", "long-c", "long-d", "long-e"].map((name) => model(name));
    const state = await run({ proposers, aggregator: model("gpt-4"), layers: 2 });
    // 5 × 2000 words would not fit 8192 tokens; the guard shortened them and the call succeeded.
    expect(requestOf("gpt-4")).toMatchObject({ status: 200 });
    expect(requestOf("gpt-4").promptTokens).toBeLessThanOrEqual(8_192);
    expect(state.aggregation?.referencesTruncated).toBe(true);
    const references = referencesSentTo("gpt-4");
    expect(references).toHaveLength(5);
    for (const reference of references) expect(reference.endsWith(TRUNCATION_MARKER)).toBe(true);
  });
});
