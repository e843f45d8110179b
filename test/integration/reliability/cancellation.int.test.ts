// Fault matrix, part 2: calls that never finish. The openai SDK's `timeout` only covers the wait
// for response headers, so a stream that stalls after its first tokens is never cut by it; the
// graph's whole-call timeout (`callTimeoutMs`) is what ends it. Once a layer has its quorum,
// `stragglerGraceMs` cancels the proposers still running. Cancelled and timed-out calls must be
// really aborted on the wire (the simulator logs `aborted: true`), not just forgotten.
import { performance } from "node:perf_hooks";
import { HumanMessage, type BaseMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import {
  createMixtureOfAgents,
  type CreateMixtureOfAgentsParams,
  type MoaState,
} from "../../../src/index.js";
import { parseSyntheticReply } from "../../../src/testing/simulator/index.js";
import {
  QUESTION,
  answerOf,
  eventually,
  expectNoCanary,
  proposalOf,
  rejection,
  run,
  useSimulator,
} from "./harness.js";

// Without the features under test these runs would wait for a 10 s straggler or a stall that
// never ends; a bound per test keeps a regression from eating the whole suite's time.
const BOUNDED = { timeout: 20_000 };

const { sim, model, requestOf } = useSimulator();

interface StreamedToken {
  content: string;
  proposerId: unknown;
  role: unknown;
}

/** Runs with `streamMode: ["messages", "values"]`, which makes ChatOpenAI stream every call. */
async function streamRun(
  params: CreateMixtureOfAgentsParams,
): Promise<{ state: MoaState; tokens: StreamedToken[] }> {
  const stream = await createMixtureOfAgents(params)
    .compile()
    .stream({ messages: [new HumanMessage(QUESTION)] }, { streamMode: ["messages", "values"] });
  let state: MoaState | undefined;
  const tokens: StreamedToken[] = [];
  for await (const [mode, chunk] of stream as AsyncIterable<[string, unknown]>) {
    if (mode === "values") state = chunk as MoaState;
    if (mode === "messages") {
      const [message, metadata] = chunk as [BaseMessage, Record<string, unknown>];
      tokens.push({
        content: typeof message.content === "string" ? message.content : "",
        proposerId: metadata.moa_proposer_id,
        role: metadata.moa_role,
      });
    }
  }
  if (state === undefined) throw new Error("the stream yielded no state");
  expectNoCanary(state, "final state");
  return { state, tokens };
}

describe("whole-call timeout (callTimeoutMs)", () => {
  it(
    "cuts a stream that stalls after 3 tokens at callTimeoutMs, not at the HTTP timeout",
    BOUNDED,
    async () => {
      sim.setModel("staller", {
        reply: "one two three four five six",
        faults: () => ({ kind: "stall", afterTokens: 3 }),
      });
      const started = performance.now();
      const { state, tokens } = await streamRun({
        // The SDK's 200 ms timeout is over as soon as the headers arrive; only callTimeoutMs
        // ends the stall, so the run lasts at least that long.
        proposers: [model("staller", { timeoutMs: 200 }), model("steady")],
        aggregator: model("judge"),
        layers: 2,
        callTimeoutMs: 1_500,
      });
      expect(performance.now() - started).toBeGreaterThanOrEqual(1_450);
      // It really streamed: the three tokens before the stall reached the message stream.
      const stalled = tokens.filter((token) => token.proposerId === "staller");
      expect(stalled.map((token) => token.content).join("")).toBe("one two three");
      const proposal = proposalOf(state, "staller");
      expect(proposal).toMatchObject({ status: "error", content: "" });
      expect(proposal.error).toMatch(/^timeout/);
      await eventually(() => requestOf("staller").aborted);
      expect(requestOf("staller")).toMatchObject({
        stream: true,
        status: 200,
        completionTokens: 3,
      });
      expect(sim.countRequests({ model: "staller" })).toBe(1);
      expect(proposalOf(state, "steady").status).toBe("ok");
      expect(parseSyntheticReply(answerOf(state))?.references).toBe(1);
    },
  );

  it("aborts a non-streaming request that hangs past callTimeoutMs", BOUNDED, async () => {
    sim.setModel("stuck", { faults: () => ({ kind: "hang" }) });
    const started = performance.now();
    const state = await run({
      proposers: [model("stuck", { timeoutMs: 60_000 }), model("steady")],
      aggregator: model("judge"),
      layers: 2,
      callTimeoutMs: 400,
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(380);
    expect(performance.now() - started).toBeLessThan(5_000);
    const proposal = proposalOf(state, "stuck");
    expect(proposal.status).toBe("error");
    expect(proposal.error).toMatch(/^timeout/);
    await eventually(() => requestOf("stuck").aborted);
    expect(requestOf("stuck").status).toBeUndefined();
    expect(parseSyntheticReply(answerOf(state))?.references).toBe(1);
  });

  it("applies callTimeoutMs to the aggregator and aborts its request", BOUNDED, async () => {
    sim.setModel("stuck-judge", { faults: () => ({ kind: "hang" }) });
    const started = performance.now();
    const error = await rejection(
      run({
        proposers: [model("alpha"), model("beta")],
        aggregator: model("stuck-judge", { timeoutMs: 60_000 }),
        layers: 2,
        callTimeoutMs: 400,
      }),
    );
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(String((error as Error).message)).toMatch(/timeout|timed out/i);
    await eventually(() => requestOf("stuck-judge").aborted);
  });
});

describe("stragglers (stragglerGraceMs)", () => {
  it(
    "cancels a 10 s straggler once minProposals succeeded, aborts its request and goes on",
    BOUNDED,
    async () => {
      // Only the first call is slow, so layer 2 shows the run going on with all three proposers.
      sim.setModel("straggler", { faults: [{ kind: "delay", ms: 10_000 }] });
      const started = performance.now();
      const state = await run({
        proposers: [model("alpha"), model("straggler"), model("gamma")],
        aggregator: model("judge"),
        layers: 3,
        minProposals: 2,
        stragglerGraceMs: 200,
      });
      expect(performance.now() - started).toBeLessThan(5_000);
      const straggler = proposalOf(state, "straggler", 1);
      expect(straggler).toMatchObject({ status: "error", content: "" });
      expect(straggler.error).toMatch(/^cancelled/);
      await eventually(() => requestOf("straggler", 0).aborted);
      expect(requestOf("straggler", 0).status).toBeUndefined();
      // Layer 2 ran with the two layer-1 answers that made the quorum.
      for (const id of ["alpha", "straggler", "gamma"]) {
        const proposal = proposalOf(state, id, 2);
        expect(proposal.status).toBe("ok");
        expect(parseSyntheticReply(proposal.content)?.references).toBe(2);
      }
      expect(parseSyntheticReply(answerOf(state))?.references).toBe(3);
    },
  );

  it("keeps a straggler that finishes within the grace period", BOUNDED, async () => {
    sim.setModel("late", { faults: [{ kind: "delay", ms: 300 }] });
    const state = await run({
      proposers: [model("alpha"), model("late"), model("gamma")],
      aggregator: model("judge"),
      layers: 2,
      minProposals: 2,
      stragglerGraceMs: 3_000,
    });
    expect(proposalOf(state, "late").status).toBe("ok");
    expect(requestOf("late")).toMatchObject({ aborted: false, status: 200 });
    expect(parseSyntheticReply(answerOf(state))?.references).toBe(3);
  });

  it("waits for every proposer when stragglerGraceMs is not set", BOUNDED, async () => {
    sim.setModel("slowpoke", { faults: [{ kind: "delay", ms: 800 }] });
    const started = performance.now();
    const state = await run({
      proposers: [model("alpha"), model("slowpoke"), model("gamma")],
      aggregator: model("judge"),
      layers: 2,
      minProposals: 2,
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(780);
    expect(proposalOf(state, "slowpoke").status).toBe("ok");
    expect(requestOf("slowpoke")).toMatchObject({ aborted: false, status: 200 });
    expect(parseSyntheticReply(answerOf(state))?.references).toBe(3);
  });
});
