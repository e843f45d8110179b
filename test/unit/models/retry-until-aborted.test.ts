import { describe, expect, it } from "vitest";
import {
  MAX_RETRY_DELAY_MS,
  retryDelayMs,
  retryUntilAborted,
} from "../../../src/models/retry-until-aborted.js";

describe("retryDelayMs", () => {
  it.each<[string, number, unknown, number]>([
    ["first backoff, no hint", 0, new Error("500"), 1_500],
    ["third backoff", 2, new Error("500"), 6_000],
    ["a Retry-After longer than the backoff", 0, { retryAfterMs: 30_000 }, 30_000],
    ["a Retry-After past Node's timer range", 0, { retryAfterMs: 3e9 }, MAX_RETRY_DELAY_MS],
    ["an infinite hint", 0, { retryAfterMs: Infinity }, MAX_RETRY_DELAY_MS],
    ["a backoff past the cap", 10, null, MAX_RETRY_DELAY_MS],
  ])("%s", (_, retry, error, expected) => {
    expect(retryDelayMs(retry, error, () => 0.5)).toBe(expected);
  });
});

describe("retryUntilAborted", () => {
  it("ends a 30 s wait as soon as the signal aborts, with its reason", async () => {
    const controller = new AbortController();
    let attempts = 0;
    const started = performance.now();
    const running = retryUntilAborted(
      () => {
        attempts += 1;
        return Promise.reject(Object.assign(new Error("429"), { retryAfterMs: 30_000 }));
      },
      { maxRetries: 2, signal: controller.signal, shouldRetry: () => true },
    );
    setTimeout(() => controller.abort(new Error("timeout after 50 ms")), 50);
    await expect(running).rejects.toThrow("timeout after 50 ms");
    expect(performance.now() - started).toBeLessThan(2_000);
    expect(attempts).toBe(1);
  });

  it("does not retry what shouldRetry refuses, and stops after maxRetries", async () => {
    let attempts = 0;
    const fail = () => {
      attempts += 1;
      return Promise.reject(Object.assign(new Error("fail"), { retryAfterMs: 0 }));
    };
    await expect(
      retryUntilAborted(fail, { maxRetries: 3, shouldRetry: () => false }),
    ).rejects.toThrow("fail");
    expect(attempts).toBe(1);
  });
});
