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
    [{ ...valid, messages: [{ role: "tool", content: "x" }] }, "messages[0].role"],
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

  it("answers tools, tool_choice and response_format with a 'not supported yet' error on `tools`", () => {
    for (const field of ["tools", "tool_choice"]) {
      const parsed = parseChatCompletionRequest({
        ...valid,
        [field]: field === "tools" ? [] : "auto",
      });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) {
        expect(parsed.error.error.param).toBe("tools");
        expect(parsed.error.error.message).toMatch(/not supported yet/);
      }
    }
    expect(param({ ...valid, response_format: { type: "json_object" } })).toBe("response_format");
  });

  it("refuses a body that is not an object", () => {
    expect(param("hello")).toBeNull();
  });
});
