import { describe, expect, it } from "vitest";
import { parseChatCompletionRequest } from "../../../src/serve/chat-completion-request.js";

const valid = { model: "moa", messages: [{ role: "user", content: "hi" }] };

function param(body: unknown) {
  const parsed = parseChatCompletionRequest(body);
  if (parsed.ok) throw new Error("expected a validation error");
  expect(parsed.error.error.type).toBe("invalid_request_error");
  return parsed.error.error.param;
}

describe("parseChatCompletionRequest", () => {
  it("accepts an OpenAI request, ignoring fields MoA does not use", () => {
    const parsed = parseChatCompletionRequest({
      ...valid,
      top_p: 1,
      presence_penalty: 0,
      stream: true,
      stream_options: { include_usage: true },
      stop: ["\n\n"],
      messages: [
        { role: "system", content: "be brief" },
        { role: "user", content: [{ type: "text", text: "hi" }] },
      ],
    });
    expect(parsed.ok).toBe(true);
  });

  it.each([
    [{ ...valid, model: 3 }, "model"],
    [{ model: "moa" }, "messages"],
    [{ ...valid, messages: [] }, "messages"],
    [{ ...valid, messages: [{ role: "user", content: 3 }] }, "messages[0].content"],
    [{ ...valid, messages: [{ role: "robot", content: "x" }] }, "messages[0].role"],
    [{ ...valid, messages: [{ role: "tool", content: "x" }] }, "messages[0].tool_call_id"],
    [{ ...valid, messages: [{ role: "user", content: null }] }, "messages[0].content"],
    [{ ...valid, tools: [{ type: "function", function: {} }] }, "tools[0].function.name"],
    [{ ...valid, tool_choice: "sometimes" }, "tool_choice"],
    [{ ...valid, temperature: 3 }, "temperature"],
    [{ ...valid, max_tokens: 0 }, "max_tokens"],
    [{ ...valid, max_tokens: 1.5 }, "max_tokens"],
    [{ ...valid, stop: ["a", "b", "c", "d", "e"] }, "stop"],
    [{ ...valid, n: 2 }, "n"],
    [{ ...valid, stream: "yes" }, "stream"],
    [{ ...valid, stream_options: { include_usage: 1 } }, "stream_options.include_usage"],
  ])("names the bad field in `param`: %j → %s", (body, expected) => {
    expect(param(body)).toBe(expected);
  });

  it("accepts tools, tool_choice and a tool-call round trip in the conversation", () => {
    const parsed = parseChatCompletionRequest({
      ...valid,
      messages: [
        { role: "user", content: "Weather in Paris?" },
        {
          role: "assistant",
          content: null,
          tool_calls: [
            { id: "c1", type: "function", function: { name: "w", arguments: '{"city":"P"}' } },
          ],
        },
        { role: "tool", tool_call_id: "c1", content: "18°C" },
      ],
      tools: [{ type: "function", function: { name: "w", parameters: { type: "object" } } }],
      tool_choice: { type: "function", function: { name: "w" } },
    });
    expect(parsed.ok).toBe(true);
  });

  it("answers response_format and legacy function calling with a 400 naming the field", () => {
    expect(param({ ...valid, response_format: { type: "json_object" } })).toBe("response_format");
    expect(param({ ...valid, functions: [{ name: "f" }] })).toBe("tools");
  });

  it("refuses a body that is not an object", () => {
    expect(param("hello")).toBeNull();
  });
});
