import { awaitAllCallbacks } from "@langchain/core/callbacks/promises";
import { HumanMessage } from "@langchain/core/messages";
import { Client } from "@langchain/langgraph-sdk";
import { Client as LangSmithClient } from "langsmith";
import { traceable } from "langsmith/traceable";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createConfigurableMixtureOfAgents, loadChatModel } from "../../src/index.js";
import {
  buildRunTree,
  formatRunTree,
  runMetadata,
  startLangSmithSink,
  startSimulator,
  type LangSmithSink,
  type Simulator,
  type SinkRun,
} from "../../src/testing/index.js";
import { simulatorEnvironment, startDevServer } from "../fixtures/platform/dev-server.js";

// Canaries: if either string shows up in what tracing sends, a secret has leaked.
const PROVIDER_KEY = "sk-canary-provider-7f3a9c1e5b2d";
const LANGSMITH_KEY = "lsv2_pt_canary_langsmith_4e8b1d6a";

let simulator: Simulator;
let sink: LangSmithSink;
let providerEnv: Record<string, string>;

beforeAll(async () => {
  simulator = await startSimulator();
  sink = await startLangSmithSink({ apiKey: LANGSMITH_KEY });
  providerEnv = Object.fromEntries(
    Object.entries(simulatorEnvironment(simulator.url)).map(([name, value]) => [
      name,
      name.endsWith("_API_KEY") ? PROVIDER_KEY : value,
    ]),
  );
});

afterEach(() => {
  // Never leave tracing on: a later client pointed at a closed port would retry for ~90 s.
  process.env.LANGSMITH_TRACING = "false";
  delete process.env.LANGSMITH_ENDPOINT;
  delete process.env.LANGSMITH_API_KEY;
  sink.reset();
});

afterAll(async () => {
  await sink?.close();
  await simulator?.close();
});

const llmRuns = (runs: readonly SinkRun[]) => runs.filter((run) => run.run_type === "llm");

function usageOf(run: SinkRun): { input_tokens?: number; output_tokens?: number } | undefined {
  const generations = run.outputs?.generations as
    | Array<
        Array<{
          message?: {
            kwargs?: { usage_metadata?: { input_tokens?: number; output_tokens?: number } };
          };
        }>
      >
    | undefined;
  return generations?.[0]?.[0]?.message?.kwargs?.usage_metadata;
}

function expectNoSecrets(): void {
  const payload = sink.payloadText();
  expect(payload.length).toBeGreaterThan(0);
  expect(payload).not.toContain(PROVIDER_KEY);
  expect(payload).not.toContain(LANGSMITH_KEY);
  // The LangSmith key travels only as the client's auth header.
  const ingest = sink.requests.filter((request) => request.path.startsWith("/runs"));
  expect(ingest.length).toBeGreaterThan(0);
  for (const request of ingest) expect(request.headers["x-api-key"]).toBe(LANGSMITH_KEY);
}

/** Checks the MoA trace of a 3-layer run with proposers a, b (2 samples each) and aggregator judge. */
function expectMoaTrace(runs: readonly SinkRun[]): void {
  const tree = buildRunTree(runs);
  const roots = tree.filter((node) => node.run.name === "moa");
  expect(roots, formatRunTree(tree)).toHaveLength(1);
  const root = roots[0]!;
  const byId = new Map(runs.map((run) => [run.id, run]));

  // One `layer` node run per proposer layer, directly under the graph run.
  expect(root.children.filter((child) => child.run.name === "layer")).toHaveLength(2);

  // One LLM run per (layer, proposer, sample): named, tagged, with metadata and token usage, each
  // inside its own `propose` node run.
  const proposerRuns = llmRuns(runs).filter((run) => runMetadata(run).moa_role === "proposer");
  expect(proposerRuns.map((run) => run.name).sort(), formatRunTree(tree)).toEqual(
    ["a #0", "a #1", "b #0", "b #1"]
      .flatMap((call) => [`layer 1 · ${call}`, `layer 2 · ${call}`])
      .sort(),
  );
  for (const run of proposerRuns) {
    const { moa_layer, moa_proposer_id, moa_sample } = runMetadata(run);
    expect(run.name).toBe(
      `layer ${String(moa_layer)} · ${String(moa_proposer_id)} #${String(moa_sample)}`,
    );
    expect(run.tags).toEqual(
      expect.arrayContaining([
        "moa:proposer",
        `moa:layer:${String(moa_layer)}`,
        `moa:proposer:${String(moa_proposer_id)}`,
        `moa:sample:${String(moa_sample)}`,
      ]),
    );
    expect(run.trace_id).toBe(root.run.id);
    const node = byId.get(run.parent_run_id!);
    expect(node?.name).toBe("propose");
    expect(node?.parent_run_id).toBe(root.run.id);
    expect(runMetadata(node!).langgraph_node).toBe("propose");
    expect(usageOf(run)?.input_tokens).toBeGreaterThan(0);
    expect(usageOf(run)?.output_tokens).toBeGreaterThan(0);
    expect(run.end_time).toBeDefined();
  }

  // The aggregator's run is recognisable by name, tag and metadata, inside the `aggregate` node.
  const aggregator = llmRuns(runs).filter((run) => runMetadata(run).moa_role === "aggregator");
  expect(aggregator).toHaveLength(1);
  expect(aggregator[0]).toMatchObject({
    name: "aggregator · judge",
    tags: expect.arrayContaining(["moa:aggregator", "moa:layer:3"]),
  });
  expect(runMetadata(aggregator[0]!)).toMatchObject({
    moa_layer: 3,
    moa_proposer_id: "judge",
    moa_sample: 0,
  });
  expect(byId.get(aggregator[0]!.parent_run_id!)?.name).toBe("aggregate");
  expect(usageOf(aggregator[0]!)?.output_tokens).toBeGreaterThan(0);
}

const CONTEXT = {
  proposers: ["openai:a", "openai:b"],
  aggregator: "openai:judge",
  layers: 3,
  samples: 2,
};

describe("LangSmith tracing (LANGSMITH_TRACING=true, loopback sink)", () => {
  it("traces an in-process run: one run per layer node and per proposer call, the aggregator recognisable, no secrets", async () => {
    process.env.LANGSMITH_TRACING = "true";
    process.env.LANGSMITH_ENDPOINT = sink.url;
    process.env.LANGSMITH_API_KEY = LANGSMITH_KEY;
    const graph = createConfigurableMixtureOfAgents({
      loadModel: (spec, sampling) => loadChatModel(spec, { env: providerEnv, ...sampling }),
    }).compile({ name: "moa" });
    await graph.invoke(
      { messages: [new HumanMessage("Why is the sky blue?")] },
      { context: CONTEXT },
    );
    await awaitAllCallbacks();

    expectMoaTrace(sink.runs);
    expectNoSecrets();
  });

  it("traces the same tree through the dev server", async () => {
    const server = await startDevServer({
      env: {
        ...providerEnv,
        LANGSMITH_TRACING: "true",
        LANGSMITH_ENDPOINT: sink.url,
        LANGSMITH_API_KEY: LANGSMITH_KEY,
      },
    });
    try {
      const client = new Client({ apiUrl: server.url });
      await client.runs.wait(null, "moa", {
        input: { messages: [{ role: "user", content: "Why is the sky blue?" }] },
        context: CONTEXT,
      });
      // The server flushes traces in the background; wait until the aggregator's run has ended.
      await sink.waitFor(
        (runs) =>
          runs.some((run) => run.name === "aggregator · judge" && run.ended) &&
          runs.some((run) => run.name === "moa" && run.ended),
      );
    } finally {
      await server.stop();
    }
    if (process.env.MOA_PRINT_TRACE)
      console.log(
        formatRunTree(buildRunTree(sink.runs)),
        sink.requests.map((r) => `${r.method} ${r.path} ${r.status}`),
      );
    expectMoaTrace(sink.runs);
    expectNoSecrets();
  });
});

describe("the LangSmith sink", () => {
  it.each([
    ["JSON /runs/batch", { multipart: false }, "/runs/batch", undefined],
    ["gzipped /runs/multipart", { gzip: true }, "/runs/multipart", "gzip"],
  ])("assembles runs the client sends as %s", async (_label, options, path, encoding) => {
    const other = await startLangSmithSink(options);
    try {
      const client = new LangSmithClient({ apiUrl: other.url, apiKey: LANGSMITH_KEY });
      const inner = traceable(async (value: number) => value * 2, {
        name: "inner",
        client,
        tracingEnabled: true,
      });
      const outer = traceable(async (value: number) => inner(value + 1), {
        name: "outer",
        client,
        tracingEnabled: true,
        metadata: { moa_role: "proposer" },
      });
      expect(await outer(1)).toBe(4);
      await client.awaitPendingTraceBatches();
      const [root] = buildRunTree(other.runs);
      expect(root?.run).toMatchObject({ name: "outer", outputs: { outputs: 4 }, ended: true });
      expect(runMetadata(root!.run).moa_role).toBe("proposer");
      expect(root?.children.map((child) => child.run.name)).toEqual(["inner"]);
      const ingest = other.requests.filter((request) => request.path === path);
      expect(ingest.length).toBeGreaterThan(0);
      expect(ingest[0]!.headers["content-encoding"]).toBe(encoding);
    } finally {
      await other.close();
    }
  });
});
