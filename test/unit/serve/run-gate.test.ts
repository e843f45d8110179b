import { describe, expect, it } from "vitest";
import { RunGate } from "../../../src/serve/run-gate.js";

describe("RunGate", () => {
  it("admits maxConcurrency runs, queues maxQueue more, refuses the rest, and admits in order", async () => {
    const gate = new RunGate(1, 1);
    const first = await gate.acquire();
    expect(first).toBeTypeOf("function");
    const queued = gate.acquire();
    expect(await gate.acquire()).toBeUndefined();
    first!();
    first!(); // a second release changes nothing
    const second = await queued;
    expect(second).toBeTypeOf("function");
    expect(gate.running).toBe(1);
    second!();
    expect(gate.running).toBe(0);
  });

  it("drops a waiting request whose signal aborts", async () => {
    const gate = new RunGate(1, 1);
    const first = await gate.acquire();
    const controller = new AbortController();
    const queued = gate.acquire(controller.signal);
    controller.abort();
    expect(await queued).toBeUndefined();
    first!();
    expect(gate.running).toBe(0);
    expect(await gate.acquire()).toBeTypeOf("function");
  });
});
