import { describe, expect, it } from "vitest";
import { formatReferences } from "../../../../src/prompts/inject-references.js";
import {
  checkChatRequest,
  describeChatRequest,
  messageText,
  type CheckedChatRequest,
} from "../../../../src/testing/simulator/request-info.js";

function describeRequest(body: Record<string, unknown>, callIndex = 0) {
  const checked = checkChatRequest(body);
  if (!("model" in checked)) throw new Error(checked.message);
  return describeChatRequest(checked as CheckedChatRequest, callIndex);
}

describe("checkChatRequest", () => {
  it.each([
    [[], null],
    ["text", null],
    [{ messages: [{ role: "user", content: "hi" }] }, "model"],
    [{ model: "m" }, "messages"],
    [{ model: "m", messages: [] }, "messages"],
    [{ model: "m", messages: ["hi"] }, "messages.[0]"],
  ])("rejects %j naming param %j", (body, param) => {
    expect(checkChatRequest(body)).toMatchObject({ param });
  });
});

describe("describeChatRequest", () => {
  it("reads references, turns, sampling settings and prompt size", () => {
    const info = describeRequest(
      {
        model: "m",
        temperature: 0.4,
        max_tokens: 64,
        stream: true,
        messages: [
          { role: "system", content: formatReferences(["one", "two", "three"]) },
          { role: "user", content: "first question" },
          { role: "assistant", content: "first answer" },
          { role: "user", content: [{ type: "text", text: "second question" }] },
        ],
      },
      7,
    );
    expect(info).toMatchObject({
      model: "m",
      callIndex: 7,
      references: 3,
      turns: 2,
      temperature: 0.4,
      maxTokens: 64,
      stream: true,
      lastUserMessage: "second question",
    });
    expect(info.promptTokens).toBeGreaterThan(80);
  });

  it("prefers max_completion_tokens over max_tokens and leaves unset fields out", () => {
    const info = describeRequest({
      model: "o3",
      max_tokens: 10,
      max_completion_tokens: 20,
      messages: [{ role: "developer", content: formatReferences(["a"]) }],
    });
    expect(info.maxTokens).toBe(20);
    expect(info.references).toBe(1);
    expect(info.turns).toBe(0);
    expect(info.lastUserMessage).toBe("");
    expect("temperature" in info).toBe(false);
    expect(info.stream).toBe(false);
  });
});

describe("messageText", () => {
  it.each([
    ["plain", "plain"],
    [null, ""],
    [
      [
        { type: "text", text: "a" },
        { type: "image_url", image_url: { url: "x" } },
        { type: "text", text: "b" },
      ],
      "a\nb",
    ],
  ])("reduces %j to %j", (content, text) => {
    expect(messageText(content)).toBe(text);
  });
});
