import { AIMessage, HumanMessage, type BaseMessage } from "@langchain/core/messages";
import type { CheckpointTuple } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { threadTurns } from "../../../src/cli/thread-history.js";

const aggregation = { mode: "synthesize" as const, aggregatorId: "agg", references: 1 };
const proposal = {
  layer: 1,
  proposerId: "p",
  proposerIndex: 0,
  sample: 0,
  status: "ok" as const,
  content: "x",
};

/** A checkpoint of `step` whose state holds `values`. */
function tuple(
  step: number,
  source: "input" | "loop",
  values: {
    messages: BaseMessage[];
    turnId?: string;
    aggregation?: typeof aggregation | null;
    proposals?: (typeof proposal)[];
  },
): CheckpointTuple {
  return {
    config: { configurable: { thread_id: "t", checkpoint_id: String(step) } },
    checkpoint: {
      v: 4,
      id: String(step),
      ts: new Date(Date.UTC(2026, 0, 1, 0, 0, step + 1)).toISOString(),
      channel_values: values,
      channel_versions: {},
      versions_seen: {},
    },
    metadata: { source, step, parents: {} },
  } as unknown as CheckpointTuple;
}

const q1 = new HumanMessage({ content: "first?", id: "h1" });
const a1 = new AIMessage({ content: "one", id: "a1" });
const q2 = new HumanMessage({ content: "second?", id: "h2" });
const a2 = new AIMessage({ content: "two", id: "a2" });

const firstTurn = [
  tuple(-1, "input", { messages: [] }),
  tuple(0, "loop", { messages: [q1] }),
  tuple(1, "loop", { messages: [q1], turnId: "u1", aggregation: null }),
  tuple(2, "loop", { messages: [q1, a1], turnId: "u1", aggregation, proposals: [proposal] }),
];

describe("threadTurns", () => {
  it.each<[string, CheckpointTuple[], { finished: boolean; prompt: string; answer?: string }[]]>([
    ["one finished turn", firstTurn, [{ finished: true, prompt: "first?", answer: "one" }]],
    [
      "a second turn killed after the turn node reset its fields",
      [
        ...firstTurn,
        tuple(3, "input", { messages: [q1, a1], turnId: "u1", aggregation }),
        tuple(4, "loop", { messages: [q1, a1, q2], turnId: "u1", aggregation }),
        tuple(5, "loop", { messages: [q1, a1, q2], turnId: "u2", aggregation: null }),
      ],
      [
        { finished: true, prompt: "first?", answer: "one" },
        { finished: false, prompt: "second?" },
      ],
    ],
    [
      "a second turn killed before the turn node ran (still the previous turn's fields)",
      [
        ...firstTurn,
        tuple(3, "input", { messages: [q1, a1], turnId: "u1", aggregation }),
        tuple(4, "loop", { messages: [q1, a1, q2], turnId: "u1", aggregation }),
      ],
      [
        { finished: true, prompt: "first?", answer: "one" },
        { finished: false, prompt: "second?" },
      ],
    ],
    [
      "a second turn finished by `moa resume` (no input checkpoint of its own)",
      [
        ...firstTurn,
        tuple(3, "input", { messages: [q1, a1], turnId: "u1", aggregation }),
        tuple(4, "loop", { messages: [q1, a1, q2], turnId: "u2", aggregation: null }),
        tuple(5, "loop", { messages: [q1, a1, q2, a2], turnId: "u2", aggregation }),
      ],
      [
        { finished: true, prompt: "first?", answer: "one" },
        { finished: true, prompt: "second?", answer: "two" },
      ],
    ],
  ])("splits %s into turns", (_name, tuples, expected) => {
    // `list` yields newest first.
    const turns = threadTurns([...tuples].reverse());
    expect(
      turns.map(({ finished, prompt, answer }) => ({
        finished,
        prompt,
        ...(answer !== undefined ? { answer } : {}),
      })),
    ).toEqual(expected);
  });

  it("gives each turn only the messages it added, and a finished turn's proposals", () => {
    const [turn] = threadTurns(firstTurn);
    expect(turn).toMatchObject({
      index: 1,
      messages: [
        { type: "human", content: "first?", id: "h1" },
        { type: "ai", content: "one", id: "a1" },
      ],
      proposals: [proposal],
      aggregation,
      startedAt: "2026-01-01T00:00:00.000Z",
      updatedAt: "2026-01-01T00:00:03.000Z",
    });
  });
});
