import { getMaxListeners } from "node:events";
import { afterEach, describe, expect, it } from "vitest";
import { expectAbortListeners } from "../../../src/graph/expect-abort-listeners.js";
import { createMixtureOfAgents } from "../../../src/graph/create-mixture-of-agents.js";
import { FakeChatModel } from "../../../src/testing/index.js";
import { userTurn } from "./support.js";

describe("expectAbortListeners", () => {
  it.each<[string, number, number, number]>([
    ["raises the default to branches + 10", 10, 18, 28],
    ["keeps a higher limit", 100, 18, 100],
  ])("%s", (_, before, branches, after) => {
    const signal = new AbortController().signal;
    expectAbortListeners(signal, 0);
    if (before !== 10) expectAbortListeners(signal, before - 10);
    expectAbortListeners(signal, branches);
    expect(getMaxListeners(signal)).toBe(after);
  });

  it("accepts a missing signal", () => {
    expect(() => expectAbortListeners(undefined, 18)).not.toThrow();
  });
});

describe("a layer with many parallel branches", () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);

  afterEach(() => {
    process.off("warning", onWarning);
  });

  it("runs 18 branches per layer without a MaxListenersExceededWarning", async () => {
    process.on("warning", onWarning);
    const proposers = Array.from({ length: 6 }, (_, index) => ({
      model: new FakeChatModel({ model: `p${index}`, latencyMs: 5 }),
      samples: 3,
    }));
    const graph = createMixtureOfAgents({
      proposers,
      aggregator: new FakeChatModel({ model: "judge" }),
      layers: 3,
    }).compile();
    const result = await graph.invoke(userTurn("Hi"));
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    expect(result.proposals).toHaveLength(36);
    expect(warnings.filter((warning) => warning.name === "MaxListenersExceededWarning")).toEqual(
      [],
    );
  });
});
