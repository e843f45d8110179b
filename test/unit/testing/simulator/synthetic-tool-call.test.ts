import { describe, expect, it } from "vitest";
import {
  checkChatRequest,
  describeChatRequest,
  type CheckedChatRequest,
} from "../../../../src/testing/simulator/request-info.js";
import { checkModelBehaviour } from "../../../../src/testing/simulator/model-behaviour.js";
import { syntheticToolCall } from "../../../../src/testing/simulator/synthetic-tool-call.js";

const TOOLS = [
  {
    type: "function",
    function: {
      name: "get_weather",
      parameters: {
        type: "object",
        properties: { city: { type: "string" }, days: { type: "number" } },
        required: ["city", "days"],
      },
    },
  },
  { type: "function", function: { name: "other", parameters: { type: "object" } } },
];

function describeRequest(body: Record<string, unknown>) {
  return describeChatRequest(checkChatRequest(body) as CheckedChatRequest, 3);
}

describe("syntheticToolCall", () => {
  it("calls the first tool with its required string arguments set to the user's text", () => {
    const request = describeRequest({
      model: "judge",
      tools: TOOLS,
      messages: [{ role: "user", content: "Paris?" }],
    });
    expect(syntheticToolCall(request)).toEqual({
      id: "call_judge_3",
      type: "function",
      function: { name: "get_weather", arguments: '{"city":"Paris?"}' },
    });
  });

  it("answers in text after a tool result, or without tools", () => {
    const afterResult = describeRequest({
      model: "judge",
      tools: TOOLS,
      messages: [
        { role: "user", content: "Paris?" },
        { role: "assistant", content: null, tool_calls: [] },
        { role: "tool", content: "18°C", tool_call_id: "c" },
      ],
    });
    expect(syntheticToolCall(afterResult)).toBeUndefined();
    const noTools = describeRequest({ model: "m", messages: [{ role: "user", content: "hi" }] });
    expect(syntheticToolCall(noTools)).toBeUndefined();
  });

  it("rejects a non-boolean `callTools`", () => {
    expect(() => checkModelBehaviour({ callTools: "yes" as never }, "models.judge")).toThrow(
      /models\.judge\.callTools/,
    );
  });
});
