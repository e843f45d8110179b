import { describe, expect, it } from "vitest";
import {
  buildChatCompletion,
  buildChunk,
  buildUsage,
  buildUsageChunk,
} from "../../../../src/testing/simulator/chat-completion.js";

const identity = { id: "chatcmpl-sim1", created: 1_700_000_000, model: "m" };

describe("chat completion objects", () => {
  it("builds a completion with message, finish reason and usage", () => {
    expect(
      buildChatCompletion(identity, {
        content: "Paris",
        finishReason: "stop",
        usage: buildUsage(5, 1),
      }),
    ).toEqual({
      ...identity,
      object: "chat.completion",
      system_fingerprint: null,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: "Paris", refusal: null },
          logprobs: null,
          finish_reason: "stop",
        },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 },
    });
  });

  it("builds content, final and usage chunks", () => {
    expect(buildChunk(identity, { content: " is" })).toMatchObject({
      object: "chat.completion.chunk",
      choices: [{ index: 0, delta: { content: " is" }, finish_reason: null }],
    });
    expect(buildChunk(identity, {}, { finishReason: "length" })).toMatchObject({
      choices: [{ delta: {}, finish_reason: "length" }],
    });
    expect(buildUsageChunk(identity, buildUsage(2, 3))).toMatchObject({
      choices: [],
      usage: { total_tokens: 5 },
    });
  });
});
