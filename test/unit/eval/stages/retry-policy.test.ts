import { describe, expect, it } from "vitest";
import {
  backoffDelayMs,
  isRateLimitError,
  isTransientError,
  resolveRetryOptions,
  retryAfterMs,
} from "../../../../src/eval/stages/retry-policy.js";

const withFields = (message: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), fields);

describe("retry policy", () => {
  it.each([
    ["HTTP 429", withFields("x", { status: 429 }), true, true],
    [
      "LangChain's rate-limit code",
      withFields("x", { lc_error_code: "MODEL_RATE_LIMIT" }),
      true,
      true,
    ],
    ["a rate-limit message", new Error("Rate limit reached for gpt-4"), true, true],
    ["HTTP 503", withFields("x", { status: 503 }), false, true],
    [
      "a timeout",
      withFields("The operation was aborted due to timeout", { name: "TimeoutError" }),
      false,
      true,
    ],
    ["a reset connection", withFields("x", { code: "ECONNRESET" }), false, true],
    ["HTTP 400", withFields("bad request", { status: 400 }), false, false],
    ["HTTP 401", withFields("no key", { status: 401 }), false, false],
    ["a parse error", new SyntaxError("Unexpected token"), false, false],
  ])("classifies %s", (_name, error, rateLimit, transient) => {
    expect(isRateLimitError(error)).toBe(rateLimit);
    expect(isTransientError(error)).toBe(transient);
  });

  it("reads retry-after headers", () => {
    expect(retryAfterMs({ headers: { "retry-after-ms": "250" } })).toBe(250);
    expect(retryAfterMs({ headers: new Headers({ "retry-after": "2" }) })).toBe(2000);
    expect(retryAfterMs({ headers: {} })).toBeUndefined();
  });

  it("backs off exponentially within the cap", () => {
    const options = resolveRetryOptions({ initialDelayMs: 100, maxDelayMs: 1000 });
    expect([1, 2, 3, 4, 5].map((attempt) => backoffDelayMs(attempt, options))).toEqual([
      100, 200, 400, 800, 1000,
    ]);
    expect(backoffDelayMs(1, options, { headers: { "retry-after": "0.5" } })).toBe(500);
  });
});
