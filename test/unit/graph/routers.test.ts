import { AIMessage, HumanMessage, SystemMessage } from "@langchain/core/messages";
import { Send } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { createMixtureOfAgents } from "../../../src/graph/create-mixture-of-agents.js";
import { MOA_NODES } from "../../../src/graph/node-names.js";
import type { ProposeTask } from "../../../src/graph/propose-task.js";
import { resolvePlan } from "../../../src/plan/resolve-plan.js";
import { dispatchLayer, finalNode, lastCompletedLayer } from "../../../src/graph/routers.js";
import type { MoaState } from "../../../src/state/moa-state.js";
import type { Proposal } from "../../../src/state/proposal.js";
import { ConcurrencyProbe, FakeChatModel } from "../../../src/testing/index.js";
import {
  callsOfLayer,
  expectedSystemText,
  seededRandom,
  systemTextOf,
  taggedReply,
  transcript,
  userTurn,
} from "./support.js";

const NAMES = ["p0", "p1", "p2", "p3", "p4"];

/** Proposers whose latency per call comes from `latency`; `finished` logs completion order. */
function proposersWith(latency: (name: string, index: number) => number, finished: string[] = []) {
  return NAMES.map(
    (name, index) =>
      new FakeChatModel({
        model: name,
        latencyMs: () => latency(name, index),
        reply: (context) => {
          finished.push(`${name}@L${String(context.metadata.moa_layer)}`);
          return taggedReply(name)(context);
        },
      }),
  );
}

describe("reference order across layers", () => {
  it("numbers references by proposer order even when the proposers finish in reverse", async () => {
    const finished: string[] = [];
    const proposers = proposersWith((_, index) => 15 * (NAMES.length - index), finished);
    const judge = new FakeChatModel({ model: "judge" });
    await createMixtureOfAgents({ proposers, aggregator: judge }).compile().invoke(userTurn("q"));

    // The scenario really finished out of order…
    expect(finished.filter((entry) => entry.endsWith("@L1"))).toEqual(
      [...NAMES].reverse().map((name) => `${name}@L1`),
    );
    // …and every layer-2 proposer still saw layer 1's answers in proposer order.
    for (const proposer of proposers) {
      const [call] = callsOfLayer(proposer.recorder.calls, 2);
      expect(systemTextOf(call!)).toBe(
        expectedSystemText(NAMES.map((name) => `${name} says L1#0`)),
      );
    }
    expect(systemTextOf(judge.recorder.calls[0]!)).toBe(
      expectedSystemText(NAMES.map((name) => `${name} says L2#0`)),
    );
  });

  it.each([1, 7, 42, 2024])(
    "keeps proposer order with seeded random latencies (seed %i)",
    async (seed) => {
      const random = seededRandom(seed);
      const proposers = proposersWith(() => Math.floor(random() * 15));
      const judge = new FakeChatModel({ model: "judge" });
      const result = await createMixtureOfAgents({ proposers, aggregator: judge, layers: 4 })
        .compile()
        .invoke(userTurn("q"));

      for (const layer of [2, 3]) {
        for (const proposer of proposers) {
          const [call] = callsOfLayer(proposer.recorder.calls, layer);
          expect(systemTextOf(call!)).toBe(
            expectedSystemText(NAMES.map((name) => `${name} says L${layer - 1}#0`)),
          );
          expect(transcript(call!.messages.slice(1))).toEqual([["human", "q"]]);
        }
      }
      expect(systemTextOf(judge.recorder.calls[0]!)).toBe(
        expectedSystemText(NAMES.map((name) => `${name} says L3#0`)),
      );
      expect(result.proposals.map(({ layer, proposerId }) => `${layer}:${proposerId}`)).toEqual(
        [1, 2, 3].flatMap((layer) => NAMES.map((name) => `${layer}:${name}`)),
      );
    },
  );

  it("shows layer 1 the plain conversation and later layers the same conversation with references", async () => {
    const proposers = proposersWith(() => 0);
    const judge = new FakeChatModel({ model: "judge" });
    const input = [
      new SystemMessage("Answer in French."),
      new HumanMessage("Hi"),
      new AIMessage("Bonjour !"),
      new HumanMessage("Capital of Italy?"),
    ];
    await createMixtureOfAgents({ proposers, aggregator: judge, layers: 3 })
      .compile()
      .invoke({ messages: input });

    for (const proposer of proposers) {
      const [first] = callsOfLayer(proposer.recorder.calls, 1);
      expect(transcript(first!.messages)).toEqual(transcript(input));
      const [second] = callsOfLayer(proposer.recorder.calls, 2);
      expect(transcript(second!.messages)).toEqual([
        [
          "system",
          `Answer in French.\n\n${expectedSystemText(NAMES.map((name) => `${name} says L1#0`))}`,
        ],
        ...transcript(input.slice(1)),
      ]);
    }
  });
});

describe("concurrency", () => {
  it("runs every (proposer, sample) branch of a layer at once and the layers one after another", async () => {
    const probe = new ConcurrencyProbe();
    const events: string[] = [];
    const make = (name: string) =>
      new FakeChatModel({
        model: name,
        probe,
        // Long enough that the branches of a layer overlap; the check itself is a counter.
        latencyMs: ({ metadata }) => {
          events.push(`start L${String(metadata.moa_layer)}`);
          return 50;
        },
        reply: (context) => {
          events.push(`end L${String(context.metadata.moa_layer)}`);
          return taggedReply(name)(context);
        },
      });
    const a = make("a");
    const b = make("b");
    const c = make("c");
    const judge = new FakeChatModel({ model: "judge", probe });
    await createMixtureOfAgents({
      proposers: [{ model: a, samples: 2 }, { model: b, samples: 2 }, c],
      aggregator: judge,
      layers: 3,
    })
      .compile()
      .invoke(userTurn("q"));

    expect(probe.peak).toBe(5);
    expect(probe.current).toBe(0);
    expect([a.recorder.peakInFlight, b.recorder.peakInFlight, c.recorder.peakInFlight]).toEqual([
      2, 2, 1,
    ]);
    const lastEndOfLayer1 = events.lastIndexOf("end L1");
    const firstStartOfLayer2 = events.indexOf("start L2");
    expect(events.filter((event) => event === "end L1")).toHaveLength(5);
    expect(lastEndOfLayer1).toBeLessThan(firstStartOfLayer2);
  });
});

describe("routing helpers", () => {
  const proposal = (proposerIndex: number, status: "ok" | "error", layer = 1): Proposal => ({
    layer,
    proposerId: `p${proposerIndex}`,
    proposerIndex,
    sample: 0,
    status,
    content: status === "ok" ? `answer ${proposerIndex}` : "",
  });
  const plan = () =>
    resolvePlan({
      proposers: [
        new FakeChatModel({ model: "x" }),
        { model: new FakeChatModel({ model: "y" }), samples: 2 },
      ],
      aggregator: new FakeChatModel({ model: "judge" }),
    });

  it("dispatches one Send per (proposer, sample) in proposer order", () => {
    const state: MoaState = { messages: [new HumanMessage("q")], proposals: [] };
    const sends = dispatchLayer(state, plan(), 1);
    expect(sends.every((send) => send instanceof Send && send.node === MOA_NODES.propose)).toBe(
      true,
    );
    const tasks = sends.map((send) => send.args as ProposeTask);
    expect(tasks.map(({ layer, proposerIndex, sample }) => [layer, proposerIndex, sample])).toEqual(
      [
        [1, 0, 0],
        [1, 1, 0],
        [1, 1, 1],
      ],
    );
    for (const task of tasks) expect(transcript(task.messages)).toEqual([["human", "q"]]);
  });

  it("injects only the previous layer's successful answers into a later layer", () => {
    const state: MoaState = {
      messages: [new HumanMessage("q")],
      proposals: [proposal(0, "ok"), proposal(1, "error"), proposal(2, "ok"), proposal(0, "ok", 2)],
    };
    const [first] = dispatchLayer(state, plan(), 2).map((send) => send.args as ProposeTask);
    expect(first!.layer).toBe(2);
    expect(transcript(first!.messages)).toEqual([
      ["system", expectedSystemText(["answer 0", "answer 2"])],
      ["human", "q"],
    ]);
    expect(state.messages).toHaveLength(1);
  });

  it("finds the newest layer and the final node", () => {
    expect(lastCompletedLayer({ proposals: [] })).toBe(0);
    expect(lastCompletedLayer({ proposals: [proposal(0, "ok", 2), proposal(1, "error", 1)] })).toBe(
      2,
    );
    expect(finalNode(plan())).toBe(MOA_NODES.aggregate);
    expect(finalNode({ ...plan(), aggregation: "rank" })).toBe(MOA_NODES.rank);
  });
});
