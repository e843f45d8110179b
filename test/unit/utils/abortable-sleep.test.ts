import { describe, expect, it } from "vitest";
import { MAX_TIMER_MS, sleep } from "../../../src/utils/abortable-sleep.js";

describe("sleep", () => {
  it("waits a delay past Node's timer range instead of firing after 1 ms", async () => {
    const controller = new AbortController();
    let settled = false;
    const waiting = sleep(MAX_TIMER_MS + 1_000, controller.signal).then(
      () => (settled = true),
      () => "aborted",
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(settled).toBe(false);
    controller.abort();
    await expect(waiting).resolves.toBe("aborted");
  });

  it("rejects with the signal's reason as soon as it aborts", async () => {
    const controller = new AbortController();
    const waiting = sleep(30_000, controller.signal);
    controller.abort(new Error("timeout after 5 ms"));
    await expect(waiting).rejects.toThrow("timeout after 5 ms");
  });
});
