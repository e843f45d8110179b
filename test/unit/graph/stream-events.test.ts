import { HumanMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import { createMixtureOfAgents } from "../../../src/graph/create-mixture-of-agents.js";
import {
  isProposalEvent,
  type ProposalEndEvent,
  type ProposalEvent,
} from "../../../src/graph/stream-events.js";
import { FakeChatModel } from "../../../src/testing/index.js";

describe('streamMode: "custom"', () => {
  it("emits proposal-start and proposal-end for every branch with its outcome", async () => {
    const ok = new FakeChatModel({ model: "ok", reply: "three word answer" });
    const down = new FakeChatModel({ model: "down", fail: () => new Error("503 unavailable") });
    const graph = createMixtureOfAgents({
      proposers: [{ model: ok, samples: 2 }, down],
      aggregator: new FakeChatModel({ model: "judge" }),
      layers: 2,
    }).compile();

    const events: ProposalEvent[] = [];
    const stream = await graph.stream(
      { messages: [new HumanMessage("q")] },
      { streamMode: "custom" },
    );
    for await (const chunk of stream) {
      expect(isProposalEvent(chunk)).toBe(true);
      events.push(chunk as ProposalEvent);
    }

    const key = (event: ProposalEvent) => `${event.layer}:${event.proposerId}#${event.sample}`;
    const starts = events.filter((event) => event.type === "proposal-start");
    const ends = events.filter((event): event is ProposalEndEvent => event.type === "proposal-end");
    expect(starts.map(key).sort()).toEqual(["1:down#0", "1:ok#0", "1:ok#1"]);
    expect(ends.map(key).sort()).toEqual(starts.map(key).sort());
    for (const end of ends) {
      const start = events.findIndex(
        (event) => event.type === "proposal-start" && key(event) === key(end),
      );
      expect(start).toBeLessThan(events.indexOf(end));
    }
    expect(starts.find((event) => event.proposerId === "down")).toEqual({
      type: "proposal-start",
      layer: 1,
      proposerId: "down",
      proposerIndex: 1,
      sample: 0,
    });
    const okEnd = ends.find((event) => event.proposerId === "ok" && event.sample === 1)!;
    expect(okEnd).toMatchObject({
      status: "ok",
      proposerIndex: 0,
      usage: { inputTokens: 1, outputTokens: 3 },
    });
    expect(okEnd.latencyMs).toBeGreaterThanOrEqual(0);
    const downEnd = ends.find((event) => event.proposerId === "down")!;
    expect(downEnd).toMatchObject({ status: "error", error: "503 unavailable" });
    expect(downEnd.usage).toBeUndefined();
    expect(typeof downEnd.latencyMs).toBe("number");
  });
});

describe("isProposalEvent", () => {
  it.each<[unknown, boolean]>([
    [{ type: "proposal-start", layer: 1 }, true],
    [{ type: "proposal-end", layer: 1 }, true],
    [{ type: "token" }, false],
    [{}, false],
    [null, false],
    [undefined, false],
    ["proposal-start", false],
  ])("classifies %j as %s", (chunk, expected) => {
    expect(isProposalEvent(chunk)).toBe(expected);
  });
});
