import { afterEach, describe, expect, it, vi } from "vitest";
import { createCallSignal } from "../../../src/graph/call-signal.js";

const straggler = { kind: "straggler", message: "cancelled: straggler cut-off" } as const;

describe("createCallSignal", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("aborts with the run's reason and explains nothing (the caller cancelled)", () => {
    const run = new AbortController();
    const call = createCallSignal(run.signal, new AbortController(), 10_000);
    const reason = new Error("run cancelled");
    run.abort(reason);
    expect(call.signal.aborted).toBe(true);
    expect(call.signal.reason).toBe(reason);
    expect(call.reason()).toBeUndefined();
    call.dispose();
  });

  it("aborts with the turn's cancel reason and explains it", () => {
    const turn = new AbortController();
    const call = createCallSignal(new AbortController().signal, turn, 10_000);
    turn.abort(straggler);
    expect(call.signal.reason).toBe(straggler);
    expect(call.reason()).toBe(straggler.message);
    call.dispose();
  });

  it("times out with an error and names `callTimeoutMs`", () => {
    vi.useFakeTimers();
    const call = createCallSignal(undefined, undefined, 50);
    vi.advanceTimersByTime(49);
    expect(call.signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    expect(call.signal.reason).toEqual(new Error("timeout after 50 ms"));
    expect(call.reason()).toBe("timeout: the call did not finish within 50 ms (`callTimeoutMs`)");
    call.dispose();
  });

  it("keeps the first source's reason when several abort", () => {
    const run = new AbortController();
    const turn = new AbortController();
    const call = createCallSignal(run.signal, turn, 10_000);
    turn.abort(straggler);
    run.abort(new Error("later"));
    expect(call.signal.reason).toBe(straggler);
    call.dispose();
  });

  it("starts aborted when a source already is, run before turn (as AbortSignal.any)", () => {
    const run = new AbortController();
    const turn = new AbortController();
    run.abort(new Error("run first"));
    turn.abort(straggler);
    const call = createCallSignal(run.signal, turn, 10_000);
    expect(call.signal.reason).toEqual(new Error("run first"));
    expect(call.reason()).toBeUndefined();
    call.dispose();
  });

  it("is not aborted by a source after dispose", () => {
    const run = new AbortController();
    const turn = new AbortController();
    const call = createCallSignal(run.signal, turn, 10_000);
    call.dispose();
    run.abort();
    turn.abort(straggler);
    expect(call.signal.aborted).toBe(false);
  });

  it("adds one listener to a run signal shared by many parallel calls", () => {
    const run = new AbortController();
    const added = vi.spyOn(run.signal, "addEventListener");
    const calls = Array.from({ length: 36 }, () =>
      createCallSignal(run.signal, new AbortController(), 10_000),
    );
    expect(added).toHaveBeenCalledTimes(1);
    calls[0]!.dispose();
    run.abort(new Error("stop"));
    expect(calls[0]!.signal.aborted).toBe(false);
    expect(calls.slice(1).every((call) => call.signal.aborted)).toBe(true);
    for (const call of calls) call.dispose();
  });

  it("bound() rejects with the timeout at once while the promise never settles", async () => {
    const call = createCallSignal(undefined, undefined, 30);
    const never = new Promise<string>(() => {});
    await expect(call.bound(never)).rejects.toThrow("timeout after 30 ms");
    expect(call.reason()).toMatch(/^timeout/);
    call.dispose();
  });

  it("bound() settles like the promise before the signal aborts, and ignores a late rejection", async () => {
    const call = createCallSignal(undefined, undefined, 10_000);
    await expect(call.bound(Promise.resolve("answer"))).resolves.toBe("answer");
    const turn = new AbortController();
    const cut = createCallSignal(undefined, turn, 10_000);
    let rejectLate!: (error: Error) => void;
    const late = new Promise<string>((_, reject) => (rejectLate = reject));
    const bounded = cut.bound(late);
    turn.abort(straggler);
    await expect(bounded).rejects.toBe(straggler);
    rejectLate(new Error("late"));
    call.dispose();
    cut.dispose();
  });
});
