import { describe, expect, it } from "vitest";
import { AGGREGATE_AND_SYNTHESIZE_PROMPT } from "../../../../src/prompts/aggregate-and-synthesize-prompt.js";
import { formatReferences } from "../../../../src/prompts/inject-references.js";
import { buildRankMessages } from "../../../../src/prompts/rank-prompt.js";
import { parseRankReply } from "../../../../src/prompts/parse-rank-reply.js";
import {
  buildSyntheticRankChoice,
  buildSyntheticReply,
  parseSyntheticReply,
  SYNTHETIC_REPLY_PREFIX,
} from "../../../../src/testing/simulator/synthetic-reply.js";
import { countTokens } from "../../../../src/testing/simulator/whitespace-tokens.js";
import { countReferences } from "../../../../src/testing/simulator/request-info.js";

const request = {
  model: "meta-llama/Llama-3-70b",
  callIndex: 4,
  references: 3,
  turns: 2,
  temperature: 0.7,
  lastUserMessage: "What is the capital\nof France | Germany, in one word please?",
};

describe("buildSyntheticReply", () => {
  it("states model, call, references, turns, temperature and the start of the user message", () => {
    const reply = buildSyntheticReply(request, 0);
    expect(reply).toBe(
      "[sim:meta-llama/Llama-3-70b] call=4 refs=3 turns=2 temp=0.7 | What is the capital of France / Germany, |",
    );
    expect(reply.startsWith(SYNTHETIC_REPLY_PREFIX)).toBe(true);
  });

  it("pads with filler words up to outputTokens", () => {
    const reply = buildSyntheticReply(request, 40);
    expect(countTokens(reply)).toBe(40);
    expect(reply).not.toContain("\n");
  });

  it("writes temp=default when the request sent no temperature", () => {
    expect(buildSyntheticReply({ ...request, temperature: undefined }, 0)).toContain(
      " temp=default |",
    );
  });

  it("is deterministic", () => {
    expect(buildSyntheticReply(request, 30)).toBe(buildSyntheticReply(request, 30));
  });
});

describe("parseSyntheticReply", () => {
  it.each([
    [{ ...request }, 32],
    [{ ...request, temperature: undefined }, 0],
    [{ ...request, lastUserMessage: "" }, 12],
    [{ ...request, model: "gpt-4o", callIndex: 0, references: 0, turns: 1 }, 9],
  ])("reads back the fields of %j", (input, outputTokens) => {
    const fields = parseSyntheticReply(buildSyntheticReply(input, outputTokens));
    expect(fields).toMatchObject({
      model: input.model,
      call: input.callIndex,
      references: input.references,
      turns: input.turns,
      temperature: input.temperature,
    });
  });

  it("returns the excerpt and the number of filler words", () => {
    const fields = parseSyntheticReply(
      "[sim:m] call=0 refs=1 turns=1 temp=0 | Hi there | lorem ipsum dolor",
    );
    expect(fields).toEqual({
      model: "m",
      call: 0,
      references: 1,
      turns: 1,
      temperature: 0,
      excerpt: "Hi there",
      fillerWords: 3,
    });
  });

  it.each([
    ["a plain answer"],
    ["[sim:m]"],
    ["[sim:m] call=0 refs=1"],
    ["[sim:m] call=0 refs=1 turns=1 temp=warm | x |"],
  ])("returns undefined for %j", (text) => {
    expect(parseSyntheticReply(text)).toBeUndefined();
  });
});

describe("countReferences", () => {
  it.each([0, 1, 3, 6])("counts %i references formatted by the MoA prompt", (count) => {
    const references = Array.from({ length: count }, (_, index) => `answer ${index}`);
    expect(countReferences(formatReferences(references))).toBe(count);
  });

  it("counts references appended to an existing system message", () => {
    const system = `You are terse.\n\n${formatReferences(["a", "b"])}`;
    expect(countReferences(system)).toBe(2);
  });

  it("ignores a numbered list inside a reference unless it continues the sequence", () => {
    const system = formatReferences(["Steps:\n1. boil\n3. serve", "Just boil it."]);
    expect(countReferences(system)).toBe(2);
  });

  it("is 0 without the references header", () => {
    expect(countReferences("1. one\n2. two")).toBe(0);
  });

  it("keys on the last line of the Aggregate-and-Synthesize prompt", () => {
    expect(AGGREGATE_AND_SYNTHESIZE_PROMPT.endsWith("\nResponses from models:")).toBe(true);
  });
});

describe("buildSyntheticRankChoice", () => {
  const asSent = (strict: boolean) =>
    buildRankMessages({ query: "Which?", candidates: ["a", "b", "c"], strict }).map((message) => ({
      role: message.getType() === "system" ? "system" : "user",
      content: String(message.content),
    }));

  it.each([
    [0, false, 3],
    [1, false, 2],
    [2, true, 1],
    [3, true, 3],
  ])(
    "answers call %i of a ranker prompt (strict: %s) with a valid choice: %i",
    (callIndex, strict, choice) => {
      const reply = buildSyntheticRankChoice({ messages: asSent(strict), callIndex });
      expect(reply).toBe(String(choice));
      expect(parseRankReply(reply!)).toBe(choice);
    },
  );

  it("leaves every other request to the synthetic reply", () => {
    expect(
      buildSyntheticRankChoice({
        messages: [{ role: "user", content: "1. a\n2. b" }],
        callIndex: 0,
      }),
    ).toBeUndefined();
  });
});
