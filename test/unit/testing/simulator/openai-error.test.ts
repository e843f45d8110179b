import { describe, expect, it } from "vitest";
import {
  contextLengthExceeded,
  malformedRequestJson,
  openAIErrorForStatus,
  unknownUrl,
} from "../../../../src/testing/simulator/openai-error.js";

describe("OpenAI error bodies", () => {
  it.each([
    [400, "invalid_request_error", null],
    [401, "invalid_request_error", "invalid_api_key"],
    [404, "invalid_request_error", "model_not_found"],
    [429, "requests", "rate_limit_exceeded"],
    [500, "server_error", null],
    [503, "server_error", null],
    [502, "server_error", null],
    [418, "invalid_request_error", null],
  ])("status %i has type %s and code %s", (status, type, code) => {
    const error = openAIErrorForStatus(status, { model: "gpt-4o" });
    expect(error.status).toBe(status);
    expect(Object.keys(error.body.error).sort()).toEqual(["code", "message", "param", "type"]);
    expect(error.body.error).toMatchObject({ type, code, param: null });
    expect(error.body.error.message).not.toBe("");
  });

  it("uses the given message and param", () => {
    expect(openAIErrorForStatus(400, { message: "bad", param: "model" }).body.error).toEqual({
      message: "bad",
      type: "invalid_request_error",
      param: "model",
      code: null,
    });
  });

  it("reproduces OpenAI's context_length_exceeded body exactly", () => {
    expect(contextLengthExceeded(8192, 9001)).toEqual({
      status: 400,
      headers: {},
      body: {
        error: {
          message:
            "This model's maximum context length is 8192 tokens. However, your messages resulted in 9001 tokens. Please reduce the length of the messages.",
          type: "invalid_request_error",
          param: "messages",
          code: "context_length_exceeded",
        },
      },
    });
  });

  it("answers malformed JSON and unknown URLs with 400 and 404", () => {
    expect(malformedRequestJson().status).toBe(400);
    expect(malformedRequestJson().body.error.message).toMatch(/could not parse the JSON body/);
    expect(unknownUrl("POST", "/v1/nope")).toMatchObject({
      status: 404,
      body: { error: { code: "unknown_url", message: expect.stringContaining("POST /v1/nope") } },
    });
  });
});
