import type { AddressInfo } from "node:net";
import { ChatOpenAI } from "@langchain/openai";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listen, serveModelLoader, shutDown } from "../../src/cli/serve-command.js";
import { SIMULATED_API_KEY, simulatedEnvironment } from "../../src/cli/simulated-environment.js";
import { PRESET_NAMES } from "../../src/presets/presets.js";
import {
  createMoaServeApp,
  virtualModels,
  type MoaServeAppOptions,
} from "../../src/serve/index.js";
import { FakeChatModel, startSimulator, type Simulator } from "../../src/testing/index.js";

// `moa serve` in-process: the Hono app on @hono/node-server (port 0), its models pointed at the
// loopback simulator, called with the official `openai` client and with `ChatOpenAI`.
let simulator: Simulator;
const servers: Array<Awaited<ReturnType<typeof listen>>> = [];

const MODELS = {
  "test-moa": { proposers: ["openai:p1", "openai:p2"], aggregator: "openai:agg", layers: 2 },
  "slow-moa": { proposers: ["openai:slow"], aggregator: "openai:agg", layers: 2 },
  "slow-aggregator": { aggregator: "openai:slow", layers: 1 },
  "tool-moa": { proposers: ["openai:p1"], aggregator: "openai:caller", layers: 2 },
  "leaky-moa": { proposers: ["openai:p1"], aggregator: "openai:leaky", layers: 1, retries: 0 },
};

async function startServer(overrides: Partial<MoaServeAppOptions> = {}): Promise<string> {
  const app = createMoaServeApp({
    models: virtualModels(MODELS),
    loadModel: serveModelLoader(simulatedEnvironment(simulator.url, {})),
    ...overrides,
  });
  const server = await listen(app.fetch, "127.0.0.1", 0);
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function client(url: string, apiKey = "unused"): OpenAI {
  return new OpenAI({ baseURL: `${url}/v1`, apiKey, maxRetries: 0 });
}

let url: string;

beforeAll(async () => {
  simulator = await startSimulator({
    models: {
      slow: { latencyMs: 20_000 },
      caller: { callTools: true },
      // A provider that quotes the rejected key in its error, as some proxies do.
      leaky: { faults: () => ({ kind: "status", status: 401, echoApiKey: true }) },
    },
    defaultModel: { tokensPerSecond: 2000 },
  });
  url = await startServer();
});

afterAll(async () => {
  for (const server of servers) {
    await shutDown(server, 0);
  }
  await simulator?.close();
});

describe("moa serve", () => {
  it("answers a chat completion with a unique id, the totals as usage, and the moa object", async () => {
    const openai = client(url);
    const request = {
      model: "test-moa",
      messages: [{ role: "user" as const, content: "Why is the sky blue?" }],
    };
    const first = await openai.chat.completions.create(request);
    const second = await openai.chat.completions.create(request);
    expect(first.id).toMatch(/^chatcmpl-moa-[0-9a-f-]{36}$/);
    expect(second.id).not.toBe(first.id);
    expect(first.object).toBe("chat.completion");
    expect(first.model).toBe("test-moa");
    expect(first.choices[0]!.message.content).toBeTruthy();
    expect(first.choices[0]!.finish_reason).toBe("stop");
    const moa = (first as unknown as { moa: Record<string, any> }).moa;
    expect(moa.layers).toBe(2);
    expect(moa.status).toBe("ok");
    expect(
      moa.proposers.map((row: { id: string; role: string }) => `${row.role}:${row.id}`),
    ).toEqual(["proposer:p1", "proposer:p2", "aggregator:agg"]);
    expect(first.usage!.total_tokens).toBe(moa.tokens.total);
    expect(first.usage!.prompt_tokens).toBeGreaterThan(0);
  });

  it("streams OpenAI chunks, with usage and the moa object in the last one (stream_options.include_usage)", async () => {
    const stream = await client(url).chat.completions.create({
      model: "test-moa",
      messages: [{ role: "user", content: "Name three rivers." }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
    expect(chunks[0]!.id).toMatch(/^chatcmpl-moa-/);
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? "").join("");
    expect(text.length).toBeGreaterThan(0);
    expect(
      chunks.filter((chunk) => (chunk.choices[0]?.delta.content ?? "") !== "").length,
    ).toBeGreaterThan(1);
    expect(chunks.at(-2)!.choices[0]!.finish_reason).toBe("stop");
    const last = chunks.at(-1)! as (typeof chunks)[number] & {
      moa?: { tokens: { total: number } };
    };
    expect(last.choices).toEqual([]);
    expect(last.usage!.total_tokens).toBeGreaterThan(0);
    expect(last.moa!.tokens.total).toBe(last.usage!.total_tokens);
  });

  it("works as the endpoint of ChatOpenAI, request temperature and max_tokens reaching the aggregator only", async () => {
    simulator.reset();
    const model = new ChatOpenAI({
      model: "test-moa",
      apiKey: "unused",
      temperature: 0.1,
      maxTokens: 77,
      configuration: { baseURL: `${url}/v1` },
    });
    const reply = await model.invoke("Hello");
    expect(String(reply.content)).toBeTruthy();
    let streamed = "";
    for await (const chunk of await model.stream("Hello")) streamed += String(chunk.content);
    expect(streamed).toBeTruthy();
    const sent = (name: string) => simulator.requests.find((entry) => entry.model === name)!.body!;
    expect(sent("agg")).toMatchObject({ temperature: 0.1, max_tokens: 77 });
    // The proposers keep the preset's sampling (moa: T=0.7, 2048 tokens).
    expect(sent("p1")).toMatchObject({ temperature: 0.7, max_tokens: 2048 });
  });

  it.each([false, true])(
    "calls the request's tools through the aggregator, then answers the tool result (stream: %s)",
    async (stream) => {
      const openai = client(url);
      const tools = [
        {
          type: "function" as const,
          function: {
            name: "get_weather",
            parameters: {
              type: "object",
              properties: { city: { type: "string" } },
              required: ["city"],
            },
          },
        },
      ];
      const question = { role: "user" as const, content: `Weather in Paris? ${stream}` };
      const ask = async (
        messages: OpenAI.Chat.ChatCompletionMessageParam[],
      ): Promise<{ message: OpenAI.Chat.ChatCompletionMessage; finish: string | null }> => {
        if (!stream) {
          const completion = await openai.chat.completions.create({
            model: "tool-moa",
            messages,
            tools,
            tool_choice: "auto",
          });
          return {
            message: completion.choices[0]!.message,
            finish: completion.choices[0]!.finish_reason,
          };
        }
        // The client's own accumulator checks that the deltas are OpenAI's chunk format.
        const runner = openai.chat.completions.stream({
          model: "tool-moa",
          messages,
          tools,
          tool_choice: "auto",
        });
        const completion = await runner.finalChatCompletion();
        return {
          message: completion.choices[0]!.message,
          finish: completion.choices[0]!.finish_reason,
        };
      };
      const first = await ask([question]);
      expect(first.finish).toBe("tool_calls");
      const call = first.message
        .tool_calls![0]! as OpenAI.Chat.ChatCompletionMessageFunctionToolCall;
      expect(call.type).toBe("function");
      expect(call.function.name).toBe("get_weather");
      expect(JSON.parse(call.function.arguments)).toEqual({ city: question.content });
      expect(call.id).toBeTruthy();
      const second = await ask([
        question,
        { role: "assistant", content: null, tool_calls: [call] },
        { role: "tool", tool_call_id: call.id, content: "18°C, sunny" },
      ]);
      expect(second.finish).toBe("stop");
      expect(second.message.tool_calls ?? []).toEqual([]);
      expect(second.message.content).toBeTruthy();
      // Only the aggregator saw the tools; it got the real tool messages, the proposer text.
      const last = (name: string) =>
        simulator.requests.filter((entry) => entry.model === name).at(-1)!.body!;
      const aggregatorMessages = last("caller").messages as Array<Record<string, unknown>>;
      expect(last("caller").tools).toBeDefined();
      expect(aggregatorMessages.some((m) => m.role === "tool" && m.tool_call_id === call.id)).toBe(
        true,
      );
      expect(last("p1").tools).toBeUndefined();
      expect(JSON.stringify(last("p1").messages)).toContain(
        "[tool get_weather returned: 18°C, sunny]",
      );
    },
  );

  it.each([
    ["required", "required"],
    [{ type: "function", function: { name: "get_weather" } }, "named"],
  ] as const)(
    "enforces tool_choice %j on the aggregator's own request (%s)",
    async (toolChoice, label) => {
      const tools = [
        { type: "function" as const, function: { name: "get_weather", parameters: {} } },
        { type: "function" as const, function: { name: "get_time", parameters: {} } },
      ];
      const marker = `tool choice ${label}`;
      const completion = await client(url).chat.completions.create({
        model: "tool-moa",
        messages: [{ role: "user", content: marker }],
        tools,
        tool_choice: toolChoice as OpenAI.Chat.ChatCompletionToolChoiceOption,
      });
      expect(completion.choices[0]!.finish_reason).toBe("tool_calls");
      const sent = simulator.requests
        .filter((entry) => entry.model === "caller")
        .map((entry) => entry.body!)
        .find((body) => JSON.stringify(body.messages).includes(marker))!;
      expect(sent.tool_choice).toEqual(toolChoice);
      expect(sent.tools).toHaveLength(2);
      // Proposers never get the tools nor the choice.
      const proposer = simulator.requests
        .filter((entry) => entry.model === "p1")
        .map((entry) => entry.body!)
        .find((body) => JSON.stringify(body.messages).includes(marker))!;
      expect(proposer.tools).toBeUndefined();
      expect(proposer.tool_choice).toBeUndefined();
    },
  );

  it('tool_choice "none" sends the aggregator no tools, and the answer is text', async () => {
    const marker = "tool choice none";
    const completion = await client(url).chat.completions.create({
      model: "tool-moa",
      messages: [{ role: "user", content: marker }],
      tools: [{ type: "function", function: { name: "get_weather", parameters: {} } }],
      tool_choice: "none",
    });
    expect(completion.choices[0]!.finish_reason).toBe("stop");
    expect(completion.choices[0]!.message.content).toBeTruthy();
    const sent = simulator.requests
      .filter((entry) => entry.model === "caller")
      .map((entry) => entry.body!)
      .find((body) => JSON.stringify(body.messages).includes(marker))!;
    expect(sent.tools).toBeUndefined();
  });

  it.each([false, true])(
    "refuses tools for an aggregator that cannot call tools with a 400 on `tools`, before any model call (stream: %s)",
    async (stream) => {
      const plainUrl = await startServer({
        models: virtualModels({
          "plain-moa": { proposers: ["openai:p1"], aggregator: "fake:plain" },
        }),
        loadModel: (spec, settings) =>
          spec === "fake:plain"
            ? new FakeChatModel({ reply: "plain" })
            : serveModelLoader(simulatedEnvironment(simulator.url, {}))(spec, settings),
      });
      const before = simulator.requests.length;
      const error = await client(plainUrl)
        .chat.completions.create({
          model: "plain-moa",
          stream,
          messages: [{ role: "user", content: "weather?" }],
          tools: [{ type: "function", function: { name: "get_weather", parameters: {} } }],
        })
        .then(
          () => expect.fail("expected a 400"),
          (failure: unknown) => failure as InstanceType<typeof OpenAI.APIError>,
        );
      expect(error.status).toBe(400);
      expect(error.error).toMatchObject({ type: "invalid_request_error", param: "tools" });
      expect(error.message).toMatch(/bindTools/);
      expect(simulator.requests.length).toBe(before);
    },
  );

  it("answers a bad field with a 400 naming `param`, response_format with a 400 on it, and an unknown model with a 404", async () => {
    const openai = client(url);
    const messages = [{ role: "user" as const, content: "hi" }];
    const failure = (promise: Promise<unknown>) =>
      promise.then(
        () => expect.fail("expected an error"),
        (error: unknown) => error as InstanceType<typeof OpenAI.APIError>,
      );
    const badTemperature = await failure(
      openai.chat.completions.create({ model: "test-moa", messages, temperature: 5 }),
    );
    expect(badTemperature.status).toBe(400);
    expect(badTemperature.error).toMatchObject({
      type: "invalid_request_error",
      param: "temperature",
    });
    const badMessage = await failure(
      openai.chat.completions.create({
        model: "test-moa",
        messages: [{ role: "user", content: 3 as never }],
      }),
    );
    expect(badMessage.error).toMatchObject({ param: "messages[0].content" });
    const format = await failure(
      openai.chat.completions.create({
        model: "test-moa",
        messages,
        response_format: { type: "json_object" },
      }),
    );
    expect(format.status).toBe(400);
    expect(format.error).toMatchObject({ param: "response_format", type: "invalid_request_error" });
    expect(format.message).toMatch(/not supported yet/);
    const unknown = await failure(openai.chat.completions.create({ model: "gpt-5", messages }));
    expect(unknown.status).toBe(404);
    expect(unknown.error).toMatchObject({ param: "model", code: "model_not_found" });
    expect(unknown.message).toContain("test-moa");
    expect(unknown.message).toContain("moa-lite");
  });

  it("never shows the provider key in an error response, streamed or not, or in the log", async () => {
    const lines: string[] = [];
    const logged = await startServer({ log: (line) => void lines.push(line) });
    const post = (stream: boolean) =>
      fetch(`${logged}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          model: "leaky-moa",
          stream,
          messages: [{ role: "user", content: "hi" }],
        }),
      });
    const plain = await post(false);
    expect(plain.status).toBeGreaterThanOrEqual(500);
    const body = await plain.text();
    expect(JSON.parse(body)).toMatchObject({ error: { type: expect.any(String) } });
    const streamed = await (await post(true)).text();
    expect(streamed).toMatch(/"error"/);
    expect(streamed.trim().endsWith("data: [DONE]")).toBe(true);
    expect(simulator.requests.some((entry) => entry.model === "leaky")).toBe(true);
    for (const text of [body, streamed, lines.join("\n")]) {
      expect(text).not.toContain(SIMULATED_API_KEY);
    }
    expect(lines.length).toBeGreaterThan(0);
  });

  it("lists every preset and the configured virtual models on /v1/models, and answers /health", async () => {
    const models = await client(url).models.list();
    const ids = models.data.map((model) => model.id);
    expect(ids).toEqual(expect.arrayContaining([...PRESET_NAMES, "test-moa", "slow-moa"]));
    const health = await fetch(`${url}/health`);
    expect(await health.json()).toMatchObject({ status: "ok" });
  });

  it("requires the bearer key when one is set (401 without or with a wrong one)", async () => {
    const secured = await startServer({ apiKey: "serve-key-0123456789" });
    const messages = [{ role: "user" as const, content: "hi" }];
    await expect(
      client(secured, "wrong-key").chat.completions.create({ model: "test-moa", messages }),
    ).rejects.toMatchObject({
      status: 401,
    });
    const bare = await fetch(`${secured}/v1/models`);
    expect(bare.status).toBe(401);
    expect(JSON.stringify(await bare.json())).not.toContain("serve-key-0123456789");
    const ok = await client(secured, "serve-key-0123456789").chat.completions.create({
      model: "test-moa",
      messages,
    });
    expect(ok.choices[0]!.message.content).toBeTruthy();
  });

  it("answers 429 with Retry-After beyond max concurrency and the queue", async () => {
    const busy = await startServer({ maxConcurrency: 1, maxQueue: 1, retryAfterSeconds: 3 });
    const body = JSON.stringify({ model: "slow-moa", messages: [{ role: "user", content: "hi" }] });
    const post = (signal: AbortSignal) =>
      fetch(`${busy}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal,
      }).catch(() => undefined);
    const controller = new AbortController();
    void post(controller.signal); // runs
    await waitFor(() => simulator.inFlight >= 1);
    void post(controller.signal); // waits in the queue
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await fetch(`${busy}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body,
    });
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("3");
    expect(await refused.json()).toMatchObject({ error: { type: "rate_limit_error" } });
    controller.abort();
    await simulator.idle();
  });

  it.each([
    ["slow-moa", false],
    ["slow-moa", true],
    ["slow-aggregator", false],
    ["slow-aggregator", true],
  ] as const)(
    "a client that disconnects cancels the in-flight upstream call within 100 ms (%s, stream: %s)",
    async (model, stream) => {
      simulator.reset();
      const controller = new AbortController();
      const done = fetch(`${url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model, stream, messages: [{ role: "user", content: "hi" }] }),
        signal: controller.signal,
      }).then((response) => response.body?.getReader().read());
      await waitFor(() => simulator.countRequests({ model: "slow" }) === 1);
      const closedAt = Date.now();
      controller.abort();
      await done.catch(() => undefined);
      await simulator.idle();
      const [entry] = simulator.requests.filter((request) => request.model === "slow");
      expect(entry!.aborted).toBe(true);
      expect(entry!.finishedAt! - closedAt).toBeLessThan(100);
      expect(simulator.countRequests({ model: "agg" })).toBe(0);
    },
  );
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
