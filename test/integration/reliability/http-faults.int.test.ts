// Fault matrix, part 1: HTTP faults a provider really produces (429, 5xx, 4xx, context length,
// malformed JSON, empty content, hangs), each injected by the loopback simulator and received by
// the real client stack (`loadChatModel` → ChatOpenAI → openai SDK → fetch) inside a real MoA
// graph. Retries and per-request timeouts belong to the model (ChatOpenAI's AsyncCaller: backoff
// 1 s × 2^n with jitter, `Retry-After` honoured, no retry on 400/401/403/404/409/413); the graph
// turns whatever is still failing into an error proposal.
//
// Every test uses a canary API key and checks it never leaks into errors, state or the log.
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import {
  InsufficientProposalsError,
  type CreateMixtureOfAgentsParams,
  type MoaState,
} from "../../../src/index.js";
import { countReferences, parseSyntheticReply } from "../../../src/testing/simulator/index.js";
import {
  answerOf,
  expectNoCanary,
  invoke,
  keyEchoingRejection,
  proposalOf,
  rejection,
  run as runChecked,
  useSimulator,
} from "./harness.js";

const { sim, model, systemTextSentTo } = useSimulator();

/** {@link runChecked}, also checking each proposal's recorded error for the key. */
async function run(params: CreateMixtureOfAgentsParams): Promise<MoaState> {
  const state = await runChecked(params);
  for (const proposal of state.proposals) expectNoCanary(proposal.error, "proposal error");
  return state;
}

describe("retries and backoff (ChatOpenAI's AsyncCaller)", () => {
  it("waits at least Retry-After after a 429, retries once and records the answer", async () => {
    sim.setModel("limited", {
      faults: [{ kind: "status", status: 429, retryAfterSeconds: 1 }],
    });
    const started = performance.now();
    const state = await run({
      proposers: [model("limited", { maxRetries: 2 }), model("steady")],
      aggregator: model("judge"),
      layers: 2,
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    const attempts = sim.requests.filter((entry) => entry.model === "limited");
    expect(attempts.map((entry) => entry.status)).toEqual([429, 200]);
    expect(attempts[1]!.receivedAt - attempts[0]!.finishedAt!).toBeGreaterThanOrEqual(950);
    expect(proposalOf(state, "limited")).toMatchObject({ status: "ok" });
    expect(parseSyntheticReply(proposalOf(state, "limited").content)?.call).toBe(1);
    expect(parseSyntheticReply(answerOf(state))?.references).toBe(2);
  });

  it("retries a 500 and a 503 and succeeds on the third request with maxRetries 2", async () => {
    sim.setModel("shaky", {
      faults: [
        { kind: "status", status: 500 },
        { kind: "status", status: 503 },
      ],
    });
    const state = await run({
      proposers: [model("shaky", { maxRetries: 2 })],
      aggregator: model("judge"),
      layers: 2,
    });
    const attempts = sim.requests.filter((entry) => entry.model === "shaky");
    expect(attempts.map((entry) => entry.status)).toEqual([500, 503, 200]);
    // Exponential backoff: ≥ 1 s before the second attempt, ≥ 2 s before the third.
    expect(attempts[1]!.receivedAt - attempts[0]!.finishedAt!).toBeGreaterThanOrEqual(950);
    expect(attempts[2]!.receivedAt - attempts[1]!.finishedAt!).toBeGreaterThanOrEqual(1950);
    expect(proposalOf(state, "shaky")).toMatchObject({ status: "ok" });
    expect(parseSyntheticReply(answerOf(state))?.references).toBe(1);
  });

  it("records the provider's message after the last retry and aggregates only the successful proposals", async () => {
    sim.setModel("down", {
      faults: () => ({ kind: "status", status: 500, message: "upstream GPU node on fire" }),
    });
    const state = await run({
      proposers: [model("alpha"), model("down", { maxRetries: 1 }), model("gamma")],
      aggregator: model("judge"),
      layers: 2,
    });
    expect(sim.countRequests({ model: "down" })).toBe(2);
    expect(
      sim.requests.filter((entry) => entry.model === "down").map((entry) => entry.status),
    ).toEqual([500, 500]);
    const down = proposalOf(state, "down");
    expect(down).toMatchObject({ status: "error", content: "" });
    expect(down.error).toContain("upstream GPU node on fire");
    expect(proposalOf(state, "alpha").status).toBe("ok");
    expect(proposalOf(state, "gamma").status).toBe("ok");
    // The aggregator saw exactly the two successful answers, numbered 1 and 2, in proposer order.
    expect(parseSyntheticReply(answerOf(state))?.references).toBe(2);
    const system = systemTextSentTo("judge");
    expect(countReferences(system)).toBe(2);
    expect(system).toContain(`\n1. ${proposalOf(state, "alpha").content}`);
    expect(system).toContain(`\n2. ${proposalOf(state, "gamma").content}`);
    expect(state.messages).toHaveLength(2);
  });
});

describe("errors that are never retried", () => {
  it.each([400, 401, 403, 404, 409, 413])(
    "sends exactly one request for a %i and records the provider's message",
    async (status) => {
      const name = `refuses-${status}`;
      sim.setModel(name, {
        faults: () => ({ kind: "status", status, message: `scripted refusal ${status}` }),
      });
      const state = await run({
        proposers: [model(name, { maxRetries: 2 }), model("steady")],
        aggregator: model("judge"),
        layers: 2,
      });
      expect(sim.countRequests({ model: name })).toBe(1);
      const proposal = proposalOf(state, name);
      expect(proposal.status).toBe("error");
      expect(proposal.error).toContain(`scripted refusal ${status}`);
      expect(parseSyntheticReply(answerOf(state))?.references).toBe(1);
    },
  );

  it("sends one request for context_length_exceeded and records an error about the context", async () => {
    sim.setModel("narrow", { contextWindow: 4096, faults: () => ({ kind: "context-length" }) });
    const state = await run({
      proposers: [model("narrow", { maxRetries: 2 }), model("steady")],
      aggregator: model("judge"),
      layers: 2,
    });
    expect(sim.countRequests({ model: "narrow" })).toBe(1);
    expect(sim.requests.find((entry) => entry.model === "narrow")?.status).toBe(400);
    const proposal = proposalOf(state, "narrow");
    expect(proposal.status).toBe("error");
    expect(proposal.error).toMatch(/context/i);
    expect(proposal.error).toContain("maximum context length is 4096 tokens");
  });
});

describe("broken replies", () => {
  it("retries a malformed JSON body like a transient failure, then records the parse error", async () => {
    // Documented behaviour of ChatOpenAI 1.6 / @langchain/core 1.4: the SyntaxError has no HTTP
    // status, so the AsyncCaller treats it as transient and retries it (maxRetries + 1 requests).
    sim.setModel("garbled", { faults: () => ({ kind: "malformed-json" }) });
    const state = await run({
      proposers: [model("garbled", { maxRetries: 1 }), model("steady")],
      aggregator: model("judge"),
      layers: 2,
    });
    const attempts = sim.requests.filter((entry) => entry.model === "garbled");
    expect(attempts.map((entry) => entry.status)).toEqual([200, 200]);
    const proposal = proposalOf(state, "garbled");
    expect(proposal).toMatchObject({ status: "error", content: "" });
    expect(proposal.error).toMatch(/JSON/);
    expect(parseSyntheticReply(answerOf(state))?.references).toBe(1);
  });

  it("records empty content as an error and never injects it as a reference", async () => {
    sim.setModel("mute", { faults: () => ({ kind: "empty" }) });
    const state = await run({
      proposers: [model("alpha"), model("mute"), model("gamma")],
      aggregator: model("judge"),
      layers: 2,
    });
    expect(sim.countRequests({ model: "mute" })).toBe(1);
    const mute = proposalOf(state, "mute");
    expect(mute).toMatchObject({ status: "error", content: "" });
    expect(mute.error).toMatch(/empty content/);
    expect(parseSyntheticReply(answerOf(state))?.references).toBe(2);
    const system = systemTextSentTo("judge");
    expect(system).not.toMatch(/\n\d+\. *(\n|$)/); // no blank reference line
  });
});

describe("hangs and isolation", () => {
  it("aborts a hanging request at the model's HTTP timeout and records the error", async () => {
    sim.setModel("stuck", { faults: () => ({ kind: "hang" }) });
    const state = await run({
      proposers: [model("stuck", { timeoutMs: 300, maxRetries: 0 }), model("steady")],
      aggregator: model("judge"),
      layers: 2,
    });
    await sim.idle();
    expect(sim.countRequests({ model: "stuck" })).toBe(1);
    expect(sim.requests.find((entry) => entry.model === "stuck")).toMatchObject({ aborted: true });
    const proposal = proposalOf(state, "stuck");
    expect(proposal.status).toBe("error");
    expect(proposal.error).toMatch(/timed out|timeout/i);
    expect(parseSyntheticReply(answerOf(state))?.references).toBe(1);
  });

  it("never aborts a slow sibling when another proposer fails", async () => {
    sim.setModel("fails-fast", { faults: () => ({ kind: "status", status: 400 }) });
    sim.setModel("slow", { latencyMs: 600 });
    const state = await run({
      proposers: [model("fails-fast"), model("slow")],
      aggregator: model("judge"),
      layers: 2,
    });
    await sim.idle();
    expect(proposalOf(state, "fails-fast").status).toBe("error");
    expect(proposalOf(state, "slow").status).toBe("ok");
    expect(sim.requests.find((entry) => entry.model === "slow")).toMatchObject({
      aborted: false,
      status: 200,
    });
    expect(sim.countRequests({ aborted: true })).toBe(0);
    expect(parseSyntheticReply(answerOf(state))?.references).toBe(1);
  });
});

describe("quorum (minProposals)", () => {
  it("rejects with InsufficientProposalsError naming every failed proposer and its error", async () => {
    sim.setModel("crashes", {
      faults: () => ({ kind: "status", status: 500, message: "crashes: out of memory" }),
    });
    sim.setModel("refuses", {
      faults: () => ({ kind: "status", status: 403, message: "refuses: region not allowed" }),
    });
    const error = await rejection(
      invoke({
        proposers: [model("crashes"), model("refuses")],
        aggregator: model("judge"),
        layers: 2,
      }),
    );
    expect(InsufficientProposalsError.isInstance(error)).toBe(true);
    const insufficient = error as InsufficientProposalsError;
    expect(insufficient).toMatchObject({ layer: 1, succeeded: 0, required: 1 });
    expect(insufficient.failures).toEqual([
      {
        proposerId: "crashes",
        sample: 0,
        error: expect.stringContaining("crashes: out of memory"),
      },
      {
        proposerId: "refuses",
        sample: 0,
        error: expect.stringContaining("refuses: region not allowed"),
      },
    ]);
    expect(insufficient.message).toContain("crashes#0");
    expect(insufficient.message).toContain("refuses#0");
    expect(insufficient.message).toContain("out of memory");
    expect(insufficient.message).toContain("region not allowed");
    expect(sim.countRequests({ model: "judge" })).toBe(0);
  });

  it("goes on with minProposals 2 when one proposer of three fails", async () => {
    sim.setModel("flaky", { faults: () => ({ kind: "status", status: 503 }) });
    const state = await run({
      proposers: [model("alpha"), model("flaky"), model("gamma")],
      aggregator: model("judge"),
      layers: 2,
      minProposals: 2,
    });
    expect(state.proposals.map((proposal) => [proposal.proposerId, proposal.status])).toEqual([
      ["alpha", "ok"],
      ["flaky", "error"],
      ["gamma", "ok"],
    ]);
    expect(parseSyntheticReply(answerOf(state))?.references).toBe(2);
  });
});

describe("credentials", () => {
  it("redacts an API key that a provider echoes back in its error message", async () => {
    // Some providers and proxies quote the key they rejected; the error text must not carry it.
    sim.setModel("echoes-key", { faults: keyEchoingRejection });
    const state = await run({
      proposers: [model("echoes-key"), model("steady")],
      aggregator: model("judge"),
      layers: 2,
    });
    const proposal = proposalOf(state, "echoes-key");
    expect(proposal.status).toBe("error");
    expect(proposal.error).toContain("Incorrect API key provided");
  });
});
