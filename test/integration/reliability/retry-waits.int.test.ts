// Fault matrix, part 3: waits between retries. A 429 storm with `Retry-After: 30` makes
// ChatOpenAI wait 30 s before each retry; that wait must end when the call's signal aborts —
// at `callTimeoutMs`, at the straggler cut-off, when the run is cancelled — so a layer never
// outlives its deadline and no timer keeps the process alive. (LangChain's own retry loop does
// not listen to the signal: `loadChatModel`'s models retry in `retryUntilAborted` instead.)
import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";
import { describe, expect, it } from "vitest";
import { type StatusFault } from "../../../src/testing/simulator/index.js";
import { HumanMessage } from "@langchain/core/messages";
import { ChatOpenAI } from "@langchain/openai";
import { createMixtureOfAgents } from "../../../src/index.js";
import {
  CANARY,
  QUESTION,
  eventually,
  proposalOf,
  rejection,
  run,
  useSimulator,
} from "./harness.js";

// Before the fix each of these lasted ~31 s; the bound makes a regression fail, not hang.
const BOUNDED = { timeout: 20_000 };
/** Generous on a loaded machine, far below the 30 s wait. */
const PROMPTLY_MS = 6_000;

const STORM: StatusFault = { kind: "status", status: 429, retryAfterSeconds: 30 };

const { sim, model, requestOf } = useSimulator();

describe("Retry-After waits end with the call's signal", () => {
  it("ends a 30 s Retry-After wait at callTimeoutMs and records a timeout", BOUNDED, async () => {
    sim.setModel("storm", { faults: () => STORM });
    const started = performance.now();
    const state = await run({
      proposers: [model("storm", { maxRetries: 2 }), model("steady")],
      aggregator: model("judge"),
      layers: 2,
      callTimeoutMs: 1_500,
    });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(1_450);
    expect(elapsed).toBeLessThan(PROMPTLY_MS);
    const proposal = proposalOf(state, "storm");
    expect(proposal).toMatchObject({ status: "error", content: "" });
    expect(proposal.error).toMatch(/^timeout/);
    // One 429, then the wait that the timeout cut: no second request.
    expect(sim.countRequests({ model: "storm" })).toBe(1);
    expect(requestOf("storm").status).toBe(429);
  });

  it(
    "rejects a loadChatModel model's call when its signal aborts during the wait",
    BOUNDED,
    async () => {
      sim.setModel("storm", { faults: () => STORM });
      const started = performance.now();
      await rejection(
        model("storm", { maxRetries: 2 }).invoke(QUESTION, { signal: AbortSignal.timeout(500) }),
      );
      expect(performance.now() - started).toBeLessThan(3_000);
      expect(sim.countRequests({ model: "storm" })).toBe(1);
    },
  );

  it(
    "ends the layer at callTimeoutMs for a user's own ChatOpenAI too, whose retry wait ignores the signal",
    BOUNDED,
    async () => {
      sim.setModel("storm", { faults: () => STORM });
      const own = new ChatOpenAI({
        model: "storm",
        apiKey: CANARY,
        configuration: { baseURL: `${sim.url}/v1` },
        maxRetries: 2,
      });
      const started = performance.now();
      const state = await run({
        proposers: [own, model("steady")],
        aggregator: model("judge"),
        layers: 2,
        callTimeoutMs: 1_500,
      });
      expect(performance.now() - started).toBeLessThan(PROMPTLY_MS);
      expect(proposalOf(state, "storm").error).toMatch(/^timeout/);
    },
  );

  it("ends a Retry-After wait at the straggler cut-off", BOUNDED, async () => {
    sim.setModel("storm", { faults: () => STORM });
    const started = performance.now();
    const state = await run({
      proposers: [model("alpha"), model("storm", { maxRetries: 2 }), model("gamma")],
      aggregator: model("judge"),
      layers: 2,
      minProposals: 2,
      stragglerGraceMs: 500,
    });
    expect(performance.now() - started).toBeLessThan(PROMPTLY_MS);
    const proposal = proposalOf(state, "storm");
    expect(proposal.status).toBe("error");
    expect(proposal.error).toMatch(/^cancelled/);
    expect(sim.countRequests({ model: "storm" })).toBe(1);
  });

  it(
    "rejects a cancelled run at once while a proposer waits out a Retry-After",
    BOUNDED,
    async () => {
      sim.setModel("storm", { faults: () => STORM });
      const controller = new AbortController();
      const running = createMixtureOfAgents({
        proposers: [model("storm", { maxRetries: 2 }), model("steady")],
        aggregator: model("judge"),
        layers: 2,
        callTimeoutMs: 60_000,
      })
        .compile()
        .invoke({ messages: [new HumanMessage(QUESTION)] }, { signal: controller.signal });
      await eventually(() =>
        sim.requests.some((entry) => entry.model === "storm" && entry.status === 429),
      );
      const cancelled = performance.now();
      controller.abort(new Error("cancelled by the user"));
      await rejection(running);
      expect(performance.now() - cancelled).toBeLessThan(2_000);
      expect(sim.countRequests({ model: "storm" })).toBe(1);
    },
  );

  it(
    "caps a Retry-After past Node's timer range instead of retrying after 1 ms",
    BOUNDED,
    async () => {
      // 3e6 s ≈ 35 days: 3e9 ms overflows a Node timer (≥ 2^31 ms fires after 1 ms).
      sim.setModel("storm", { faults: () => ({ ...STORM, retryAfterSeconds: 3_000_000 }) });
      const state = await run({
        proposers: [model("storm", { maxRetries: 2 }), model("steady")],
        aggregator: model("judge"),
        layers: 2,
        callTimeoutMs: 1_500,
      });
      expect(proposalOf(state, "storm").status).toBe("error");
      // LangChain's policy gives up on such a hint; in no case is there a burst of retries.
      expect(sim.countRequests({ model: "storm" })).toBe(1);
    },
  );
});

describe("the moa process under a 429 storm", () => {
  it(
    "exits within a few seconds of --timeout-ms 2000 although the server asks for Retry-After 30",
    BOUNDED,
    async () => {
      for (const name of ["storm-a", "storm-b"]) sim.setModel(name, { faults: () => STORM });
      // bin/moa.js runs dist/: build it (`npx tsc -p tsconfig.build.json`) before this suite.
      const started = performance.now();
      const child = spawn(
        process.execPath,
        [
          "bin/moa.js",
          "run",
          "--proposers",
          "openai:storm-a,openai:storm-b",
          "--aggregator",
          "openai:judge",
          "--layers",
          "2",
          "--timeout-ms",
          "2000",
          "--json",
          QUESTION,
        ],
        {
          env: {
            PATH: process.env.PATH,
            LANGSMITH_TRACING: "false",
            OPENAI_BASE_URL: `${sim.url}/v1`,
            OPENAI_API_KEY: CANARY,
          },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
      const exitedAfterMs = performance.now() - started;
      // Both proposers time out, so the layer misses its quorum: exit 1 with the typed error.
      expect(code, stderr).toBe(1);
      expect(stderr).toMatch(/InsufficientProposals|--min-proposals/);
      expect(stderr).toMatch(/timeout/);
      expect(stderr).not.toContain(CANARY);
      // Process start-up (~1 s) + the 2 s timeout; the 30 s wait would keep it alive to ~31 s.
      expect(exitedAfterMs).toBeGreaterThanOrEqual(1_950);
      expect(exitedAfterMs).toBeLessThan(8_000);
      expect(sim.countRequests({ model: "storm-a" })).toBe(1);
    },
  );
});
