import { HumanMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { ChatCoLlm } from "../../../src/co-llm/chat-co-llm.js";
import { createFakeTokenModel } from "../../../src/co-llm/fixtures/create-fake-token-model.js";
import { InvalidArgumentError } from "../../../src/errors/invalid-argument-error.js";

const VOCABULARY = ["<eos>", "Q", " a", " X", " Y"];
const pair = () => ({
  base: createFakeTokenModel({
    identity: "base",
    vocabulary: VOCABULARY,
    endOfGeneration: [0],
    next: (sequence) => ({
      token: [2, 4, 0][sequence.length - 1] ?? 0,
      confidence: 0.9,
      hidden: Float32Array.from([1, sequence.length === 2 ? 1 : 0]),
    }),
  }),
  assistant: createFakeTokenModel({
    identity: "assistant",
    vocabulary: VOCABULARY,
    endOfGeneration: [0],
    next: (sequence) => ({ token: [2, 3, 0][sequence.length - 1] ?? 0, confidence: 0.9 }),
  }),
});
const gate = { baseModel: "base", hiddenSize: 2, weights: [-4, 8], bias: 0, threshold: 0.5 };

describe("ChatCoLlm on fake token models", () => {
  it("formats the prompt with formatPrompt and reports the deferral summary", async () => {
    const { base, assistant } = pair();
    const chat = new ChatCoLlm({ base, assistant, gate, formatPrompt: () => "Q" });
    const reply = await chat.invoke([new HumanMessage("anything")]);
    expect(reply.content).toBe(" a X");
    expect(reply.response_metadata.co_llm).toMatchObject({
      policy: "co-llm",
      deferral_rate: 1 / 3,
      deferred_spans: [{ start: 2, end: 4 }],
      assistant_calls: 1,
      usage: { assistant: { evaluated_tokens: 2, calls: 1 } },
    });
    expect(reply.response_metadata.co_llm_steps).toEqual([
      { author: "base", token: 2, gate: 1 / (1 + Math.exp(4)) },
      { author: "assistant", token: 3, gate: 1 / (1 + Math.exp(-4)) },
      { author: "base", token: 0, gate: 1 / (1 + Math.exp(4)) },
    ]);
    expect(chat._llmType()).toBe("co-llm");
    expect(chat.model).toBe("co-llm:base+assistant");
  });

  it("needs a chat template or formatPrompt", async () => {
    const { base, assistant } = pair();
    const chat = new ChatCoLlm({ base, assistant, gate });
    await expect(chat.invoke("Q")).rejects.toThrow("`formatPrompt`");
  });

  it.each([
    [{ gate: undefined }, "gate"],
    [{ base: undefined }, "base"],
  ])("refuses %j at construction", (override, parameter) => {
    const { base, assistant } = pair();
    try {
      new ChatCoLlm({ base, assistant, gate, ...override } as never);
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).parameter).toBe(parameter);
    }
  });
});
