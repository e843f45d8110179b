// Fault matrix, part 3: the aggregator fails after its own retries. With `aggregatorFallback` a
// second model synthesizes from the same references, or (`"first-proposal"`) the first
// successful last-layer proposal is returned verbatim; the state records which. Without a
// fallback the run rejects with the provider's error, which must not carry the API key.
import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage } from "@langchain/core/messages";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  createMixtureOfAgents,
  loadChatModel,
  type CreateMixtureOfAgentsParams,
  type LoadChatModelOptions,
  type MoaState,
  type Proposal,
} from "../../../src/index.js";
import {
  countReferences,
  parseSyntheticReply,
  startSimulator,
  type Simulator,
} from "../../../src/testing/simulator/index.js";

const CANARY = `sk-canary-${randomBytes(12).toString("hex")}`;
const QUESTION = "Name three prime numbers.";

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator();
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
});

afterEach(() => {
  // `fault` is left out: one test scripts a provider that echoes the key on purpose.
  const sent = sim.requests.map(({ headers, body, rawBody }) => ({ headers, body, rawBody }));
  expectNoCanary(sent, "request headers and bodies in the simulator log");
});

function model(name: string, options: Omit<LoadChatModelOptions, "env"> = {}): BaseChatModel {
  return loadChatModel(`openai:${name}`, {
    env: { OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: CANARY },
    timeoutMs: 10_000,
    maxRetries: 0,
    ...options,
  });
}

async function run(params: CreateMixtureOfAgentsParams): Promise<MoaState> {
  const state = (await createMixtureOfAgents(params)
    .compile()
    .invoke({ messages: [new HumanMessage(QUESTION)] })) as MoaState;
  expectNoCanary(state, "final state");
  return state;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    expectNoCanary(error, "thrown error");
    return error;
  }
  throw new Error("expected the run to reject");
}

function proposalOf(state: MoaState, proposerId: string, layer = 1): Proposal {
  const proposal = state.proposals.find(
    (candidate) => candidate.proposerId === proposerId && candidate.layer === layer,
  );
  if (proposal === undefined) throw new Error(`no layer-${layer} proposal of ${proposerId}`);
  return proposal;
}

function answerOf(state: MoaState): string {
  return String(state.messages.at(-1)?.content ?? "");
}

/** The system text of the simulator's `callIndex`-th request to `modelName`. */
function systemTextSentTo(modelName: string, callIndex = 0): string {
  const entry = sim.requests.find(
    (candidate) => candidate.model === modelName && candidate.callIndex === callIndex,
  );
  const messages = (entry?.body?.messages ?? []) as Array<{ role: string; content: string }>;
  return messages.find((message) => message.role === "system")?.content ?? "";
}

function expectNoCanary(value: unknown, label: string): void {
  const texts = [String(value), inspect(value, { depth: 12, showHidden: true }), safeJson(value)];
  if (value instanceof Error) {
    texts.push(value.message, String(value.stack));
    for (let cause = value.cause, depth = 0; cause != null && depth < 5; depth += 1) {
      texts.push(String(cause), safeJson(cause));
      cause = (cause as { cause?: unknown }).cause;
    }
  }
  const leaks = texts.filter((text) => text.includes(CANARY)).map((text) => excerptAround(text));
  expect(leaks, `${label} leaks the API key`).toEqual([]);
}

function excerptAround(text: string): string {
  const at = text.indexOf(CANARY);
  return text.slice(Math.max(0, at - 120), at + CANARY.length + 40);
}

function safeJson(value: unknown): string {
  const seen = new WeakSet<object>();
  return (
    JSON.stringify(value, (_key, item: unknown) => {
      if (typeof item === "object" && item !== null) {
        if (seen.has(item)) return "[circular]";
        seen.add(item);
      }
      return item;
    }) ?? ""
  );
}

describe("aggregatorFallback", () => {
  it("lets the fallback model synthesize from the same references after the aggregator's retries", async () => {
    sim.setModel("broken-judge", {
      faults: () => ({ kind: "status", status: 500, message: "judge overloaded" }),
    });
    const state = await run({
      proposers: [model("alpha"), model("beta")],
      aggregator: model("broken-judge", { maxRetries: 1 }),
      aggregatorFallback: { id: "backup", model: model("backup-judge") },
      layers: 2,
    });
    // The aggregator used its retry first; the fallback was called once.
    expect(sim.countRequests({ model: "broken-judge" })).toBe(2);
    expect(sim.countRequests({ model: "backup-judge" })).toBe(1);
    expect(parseSyntheticReply(answerOf(state))).toMatchObject({
      model: "backup-judge",
      references: 2,
      turns: 1,
    });
    expect(systemTextSentTo("backup-judge")).toBe(systemTextSentTo("broken-judge"));
    expect(countReferences(systemTextSentTo("backup-judge"))).toBe(2);
    expect(state.aggregation?.fallback).toEqual({ reason: expect.any(String), used: "backup" });
    expect(state.aggregation?.fallback?.reason).not.toBe("");
    expect(state.messages).toHaveLength(2);
  });

  it('returns the first successful last-layer proposal verbatim with "first-proposal"', async () => {
    sim.setModel("refuses", { faults: () => ({ kind: "status", status: 400 }) });
    sim.setModel("overloaded-judge", { faults: () => ({ kind: "status", status: 503 }) });
    const state = await run({
      proposers: [model("refuses"), model("beta"), model("gamma")],
      aggregator: model("overloaded-judge"),
      aggregatorFallback: "first-proposal",
      layers: 3,
    });
    expect(sim.countRequests({ model: "overloaded-judge" })).toBe(1);
    expect(proposalOf(state, "refuses", 2).status).toBe("error");
    // Layer 2 is the last proposer layer; its first successful proposal is beta's.
    const chosen = proposalOf(state, "beta", 2);
    expect(chosen.status).toBe("ok");
    expect(answerOf(state)).toBe(chosen.content);
    expect(parseSyntheticReply(answerOf(state))).toMatchObject({ model: "beta", references: 2 });
    expect(state.aggregation?.fallback).toEqual({
      reason: expect.any(String),
      used: "first-proposal",
    });
    expect(state.messages).toHaveLength(2);
  });

  it('covers a failing ranker too (aggregation: "rank")', async () => {
    sim.setModel("broken-ranker", { faults: () => ({ kind: "status", status: 500 }) });
    const state = await run({
      proposers: [model("alpha"), model("beta")],
      aggregator: model("broken-ranker"),
      aggregation: "rank",
      aggregatorFallback: "first-proposal",
      layers: 2,
    });
    expect(sim.countRequests({ model: "broken-ranker" })).toBe(1);
    expect(answerOf(state)).toBe(proposalOf(state, "alpha").content);
    expect(state.aggregation?.fallback).toEqual({
      reason: expect.any(String),
      used: "first-proposal",
    });
  });

  it("never calls the fallback when the aggregator succeeds", async () => {
    const state = await run({
      proposers: [model("alpha"), model("beta")],
      aggregator: model("judge"),
      aggregatorFallback: { id: "backup", model: model("idle-backup") },
      layers: 2,
    });
    expect(sim.countRequests({ model: "idle-backup" })).toBe(0);
    expect(parseSyntheticReply(answerOf(state))?.model).toBe("judge");
    expect(state.aggregation?.fallback).toBeUndefined();
  });
});

describe("no fallback (the default)", () => {
  it("rejects with the provider's error after the aggregator's retries", async () => {
    sim.setModel("broken-judge", {
      faults: () => ({ kind: "status", status: 500, message: "judge overloaded" }),
    });
    const error = await rejection(
      run({
        proposers: [model("alpha"), model("beta")],
        aggregator: model("broken-judge", { maxRetries: 1 }),
        layers: 2,
      }),
    );
    expect(String((error as Error).message)).toContain("judge overloaded");
    expect(sim.countRequests({ model: "broken-judge" })).toBe(2);
  });

  it("rejects without the API key when the aggregator's provider echoes it", async () => {
    sim.setModel("echoing-judge", {
      faults: () => ({
        kind: "status",
        status: 401,
        message: `Incorrect API key provided: ${CANARY}. You can find your API key in your account.`,
      }),
    });
    const error = await rejection(
      run({
        proposers: [model("alpha"), model("beta")],
        aggregator: model("echoing-judge"),
        layers: 2,
      }),
    );
    expect(String((error as Error).message)).toContain("Incorrect API key provided");
    expect(sim.countRequests({ model: "echoing-judge" })).toBe(1);
  });
});
