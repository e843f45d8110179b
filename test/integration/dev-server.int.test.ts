import { Client } from "@langchain/langgraph-sdk";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBatchOnServer } from "../../src/remote/run-batch-on-server.js";
import { parseSyntheticReply, startSimulator, type Simulator } from "../../src/testing/index.js";
import {
  simulatorEnvironment,
  startDevServer,
  type DevServer,
} from "../fixtures/platform/dev-server.js";

// The deployed `moa` graph on the real dev server; every provider points at the loopback
// simulator through the base-URL variables, exactly as a deployment points at real providers.
let simulator: Simulator;
let server: DevServer;
let client: Client;

const CONTEXT = {
  proposers: ["openai:alpha", "together:beta"],
  aggregator: "groq:judge",
  layers: 3,
};

type Message = { type: string; content: unknown };
type Proposal = {
  layer: number;
  proposerId: string;
  sample: number;
  status: string;
  content: string;
};
type Values = { messages: Message[]; proposals: Proposal[] };

const userInput = (content: string) => ({ messages: [{ role: "user", content }] });
const lastText = (values: Values) => String(values.messages.at(-1)?.content ?? "");

beforeAll(async () => {
  simulator = await startSimulator();
  server = await startDevServer({ env: simulatorEnvironment(simulator.url) });
  client = new Client({ apiUrl: server.url });
});

afterAll(async () => {
  await server?.stop();
  await simulator?.close();
});

describe("graph `moa` on the LangGraph dev server", () => {
  it("serves a context schema for the Studio form: every option, with descriptions and defaults", async () => {
    const response = await fetch(`${server.url}/assistants/moa/schemas`);
    expect(response.status).toBe(200);
    const schemas = (await response.json()) as {
      context_schema?: { properties: Record<string, { description?: string; default?: unknown }> };
      input_schema?: { properties: Record<string, Record<string, unknown>> };
      state_schema?: { properties: Record<string, Record<string, unknown>> };
    };
    // Studio's input panel needs the state schemas too, with `messages` typed as messages.
    expect(schemas.input_schema?.properties.messages).toMatchObject({ langgraph_type: "messages" });
    expect(Object.keys(schemas.state_schema?.properties ?? {})).toEqual(
      expect.arrayContaining(["messages", "proposals", "aggregation", "usage"]),
    );
    const properties = schemas.context_schema?.properties ?? {};
    // The options of DESIGN.md (more may be added; every one must be documented).
    expect(Object.keys(properties)).toEqual(
      expect.arrayContaining([
        "preset",
        "proposers",
        "aggregator",
        "layers",
        "aggregation",
        "samples",
        "temperature",
        "maxTokens",
        "minProposals",
      ]),
    );
    for (const [name, property] of Object.entries(properties)) {
      expect(property.description, `${name} has a description`).toMatch(/\w{3,}/);
    }
    // The limits show in the form (the context cannot raise them).
    expect(properties.proposers).toMatchObject({ maxItems: 64 });
    expect(properties.samples).toMatchObject({ maximum: 16 });
    expect(properties.preset).toMatchObject({
      default: "moa",
      enum: expect.arrayContaining(["moa-lite", "llm-ranker"]),
    });
  });

  it("runs turns on a thread of an assistant, streams tokens and proposal events, and keeps per-turn state", async () => {
    const assistant = await client.assistants.create({
      graphId: "moa",
      context: CONTEXT,
      name: "tiny moa",
    });
    const thread = await client.threads.create();

    // Turn 1: runs.wait returns the final state.
    const first = (await client.runs.wait(thread.thread_id, assistant.assistant_id, {
      input: userInput("Name three primes."),
    })) as Values;
    expect(first.proposals).toHaveLength(4); // 2 proposers × 2 proposer layers
    expect(first.proposals.every((proposal) => proposal.status === "ok")).toBe(true);
    expect(parseSyntheticReply(lastText(first))).toMatchObject({
      model: "judge",
      references: 2,
      turns: 1,
    });

    // Turn 2 on the same thread, streamed: aggregator tokens and custom proposal events arrive.
    const tokens: string[] = [];
    const customTypes: string[] = [];
    let proposerTokens = 0;
    for await (const part of client.runs.stream(thread.thread_id, assistant.assistant_id, {
      input: userInput("And three more?"),
      streamMode: ["messages-tuple", "custom"],
    })) {
      if (part.event === "messages") {
        const [chunk, metadata] = part.data as [{ content: unknown }, Record<string, unknown>];
        if (metadata.moa_role === "aggregator") tokens.push(String(chunk.content ?? ""));
        if (metadata.moa_role === "proposer") proposerTokens += 1;
      } else if (part.event === "custom") {
        customTypes.push((part.data as { type: string }).type);
      }
    }
    expect(tokens.filter((token) => token !== "").length).toBeGreaterThan(1);
    const streamed = parseSyntheticReply(tokens.join(""));
    expect(streamed).toMatchObject({
      model: "judge",
      references: 2,
      turns: 2,
      excerpt: "And three more?",
    });
    expect(proposerTokens).toBeGreaterThan(0); // the deployed graph streams proposers too, tagged
    expect(customTypes.filter((type) => type === "proposal-start")).toHaveLength(4);
    expect(customTypes.filter((type) => type === "proposal-end")).toHaveLength(4);

    // The thread's state holds the whole conversation, and only this turn's proposals.
    const state = await client.threads.getState<Values>(thread.thread_id);
    expect(state.values.messages.map((message) => message.type)).toEqual([
      "human",
      "ai",
      "human",
      "ai",
    ]);
    expect(state.values.proposals).toHaveLength(4);
    for (const proposal of state.values.proposals) {
      expect(parseSyntheticReply(proposal.content)?.excerpt).toBe("And three more?");
    }
    expect(
      state.values.proposals.map((proposal) => `${proposal.layer}:${proposal.proposerId}`),
    ).toEqual(["1:alpha", "1:beta", "2:alpha", "2:beta"]);
  });

  it("runs statelessly with a per-run context (the aggregator alone with layers: 1)", async () => {
    const values = (await client.runs.wait(null, "moa", {
      input: userInput("Hello there"),
      context: { aggregator: "openai:solo", layers: 1 },
    })) as Values;
    expect(values.proposals).toEqual([]);
    expect(parseSyntheticReply(lastText(values))).toMatchObject({ model: "solo", references: 0 });
  });

  it.each([
    [{ layers: 0 }, /layers[\s\S]*must be ≥ 1/],
    [{ aggregator: "gpt-4o" }, /aggregator[\s\S]*provider:model/],
    [
      { proposers: ["openai:a"], aggregator: "openai:b", layers: 2, minProposals: 3 },
      /InvalidConfigError[\s\S]*`minProposals`/,
    ],
    [{ aggregator: "nowhere:model", layers: 1 }, /ModelSpecError[\s\S]*Unknown provider/],
  ])(
    "rejects the invalid context %j with an error that names the option",
    async (context, message) => {
      await expect(
        client.runs.wait(null, "moa", { input: userInput("hi"), context }),
      ).rejects.toThrow(message);
    },
  );
});

describe("graph `moa` on the dev server: hostile requests", () => {
  it("answers a context with a 100 KB string with a readable InvalidConfigError under 4 KB", async () => {
    simulator.reset();
    const huge = "x".repeat(100_000);
    const error = await client.runs
      .wait(null, "moa", { input: userInput("hi"), context: { aggregator: huge } })
      .catch((caught: unknown) => caught);
    const text = error instanceof Error ? error.message : JSON.stringify(error);
    expect(text).toMatch(/InvalidConfigError/);
    expect(text).toMatch(/`aggregator`: must be a \\?"provider:model\\?" string/);
    expect(text).not.toMatch(/\\"code\\"|"origin"/); // no raw, doubly encoded ZodError JSON
    expect(text.length).toBeLessThan(4_000);
    expect(simulator.requests).toHaveLength(0);
  });

  it.each([
    [
      { messages: [{ role: "user", content: 123 }] },
      /InvalidInputError[\s\S]*messages\[0\]\.content/,
    ],
    [
      { messages: [{ role: "system", content: "be brief" }] },
      /InvalidInputError[\s\S]*no user message/,
    ],
    [{ messages: [] }, /InvalidInputError[\s\S]*is empty/],
  ])("refuses the input %j before any provider call", async (input, message) => {
    simulator.reset();
    await expect(
      client.runs.wait(null, "moa", { input, context: { aggregator: "openai:solo", layers: 1 } }),
    ).rejects.toThrow(message);
    expect(simulator.requests).toHaveLength(0);
  });
});

describe("runBatchOnServer against the dev server", () => {
  it("returns outputs in input order with bounded concurrency and records per-item errors", async () => {
    simulator.reset();
    const prompts = [
      "first question",
      "second question",
      "third question",
      "fourth question",
      "fifth question",
    ];
    const inputs: Record<string, unknown>[] = prompts.map(userInput);
    // A message with an unknown role fails on the server; its neighbours must not notice.
    inputs.splice(2, 0, { messages: [{ role: "narrator", content: "once upon a time" }] });
    const finished: number[] = [];
    const results = await runBatchOnServer<Record<string, unknown>, Values>({
      url: server.url,
      assistantId: "moa",
      context: { proposers: ["openai:p"], aggregator: "openai:agg", layers: 2 },
      inputs,
      concurrency: 2,
      onResult: (result) => void finished.push(result.index),
    });
    expect(results.map((result) => result.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((result) => result.status)).toEqual(["ok", "ok", "error", "ok", "ok", "ok"]);
    expect(finished.sort()).toEqual([0, 1, 2, 3, 4, 5]);
    const answers = results.flatMap((result) =>
      result.status === "ok" ? [parseSyntheticReply(lastText(result.output))?.excerpt] : [],
    );
    expect(answers).toEqual(prompts);
    const failed = results[2]!;
    expect(failed.status === "error" && failed.error).toMatch(/coerce|role|narrator/i);
    // Never more than `concurrency` runs (2 model calls each) at once on the simulator.
    const calls = simulator.requests.filter((request) => request.path === "/v1/chat/completions");
    let peak = 0;
    for (const call of calls) {
      const overlapping = calls.filter(
        (other) =>
          other.receivedAt <= call.receivedAt && (other.finishedAt ?? Infinity) > call.receivedAt,
      );
      peak = Math.max(peak, overlapping.length);
    }
    expect(peak).toBeLessThanOrEqual(2);
  });

  it("records a run that exceeds timeoutMs as an error and keeps the finished ones", async () => {
    simulator.setModel("slow", { latencyMs: 5_000 });
    const results = await runBatchOnServer<Record<string, unknown>, Values>({
      url: server.url,
      context: { aggregator: "openai:slow", layers: 1 },
      inputs: [userInput("quick one")],
      timeoutMs: 500,
    });
    expect(results[0]).toMatchObject({
      index: 0,
      status: "error",
      error: expect.stringMatching(/timed out after 500 ms/),
    });
    const fast = await runBatchOnServer<Record<string, unknown>, Values>({
      url: server.url,
      context: { aggregator: "openai:fast", layers: 1 },
      inputs: [userInput("a"), userInput("b")],
      concurrency: 5,
    });
    expect(fast.map((result) => result.status)).toEqual(["ok", "ok"]);
  });

  it("stops starting items when its signal aborts and marks the rest cancelled", async () => {
    const controller = new AbortController();
    const results = await runBatchOnServer({
      url: server.url,
      context: { aggregator: "openai:fast", layers: 1 },
      inputs: [userInput("a"), userInput("b"), userInput("c")],
      concurrency: 1,
      signal: controller.signal,
      onResult: () => controller.abort(),
    });
    expect(results.map((result) => result.status)).toEqual(["ok", "cancelled", "cancelled"]);
  });
});

describe("`moa serve` routes mounted on the dev server (langgraph.json `http.app`)", () => {
  it("answers POST /v1/chat/completions with a MoA completion and lists the presets on /v1/models", async () => {
    const openai = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: "unused", maxRetries: 0 });
    const models = await openai.models.list();
    expect(models.data.map((model) => model.id)).toContain("moa-lite");
    const completion = await openai.chat.completions.create({
      model: "moa-lite",
      messages: [{ role: "user", content: "Hello from the deployment" }],
    });
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.choices[0]!.message.content).toBeTruthy();
    expect((completion as unknown as { moa: { status: string } }).moa.status).toBe("ok");
    // The server's own routes still answer next to the custom ones.
    expect((await fetch(`${server.url}/ok`)).status).toBe(200);
  });
});
