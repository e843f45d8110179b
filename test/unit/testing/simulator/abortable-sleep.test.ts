import { describe, expect, it } from "vitest";
import { abortableSleep, untilAborted } from "../../../../src/testing/simulator/abortable-sleep.js";

describe("abortableSleep", () => {
  it("resolves true after the full wait and at once for 0 ms", async () => {
    const signal = new AbortController().signal;
    await expect(abortableSleep(5, signal)).resolves.toBe(true);
    await expect(abortableSleep(0, signal)).resolves.toBe(true);
  });

  it("resolves false, without rejecting, when the signal aborts first", async () => {
    const controller = new AbortController();
    const sleeping = abortableSleep(60_000, controller.signal);
    controller.abort();
    await expect(sleeping).resolves.toBe(false);
    await expect(abortableSleep(10, controller.signal)).resolves.toBe(false);
  });
});

describe("untilAborted", () => {
  it("resolves once the signal aborts", async () => {
    const controller = new AbortController();
    let done = false;
    const waiting = untilAborted(controller.signal).then(() => {
      done = true;
    });
    await Promise.resolve();
    expect(done).toBe(false);
    controller.abort();
    await waiting;
    expect(done).toBe(true);
  });
});
