// The loopback simulator driven through the real OpenAI client stack (`ChatOpenAI` → `openai`
// SDK → fetch → node:http). Loopback only; every test resets the log and call counters.
import { performance } from "node:perf_hooks";
import { ChatOpenAI, type ChatOpenAIFields } from "@langchain/openai";
import { AIMessage, HumanMessage, type AIMessageChunk } from "@langchain/core/messages";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { injectReferences } from "../../src/prompts/inject-references.js";
import {
  parseSyntheticReply,
  startSimulator,
  type Simulator,
} from "../../src/testing/simulator/index.js";

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ models: { "gpt-4o": {}, qwen: { outputTokens: 20 } } });
});

afterAll(async () => {
  await sim.close();
});

beforeEach(() => {
  sim.reset();
});

function chat(model: string, fields: ChatOpenAIFields = {}, server: Simulator = sim): ChatOpenAI {
  return new ChatOpenAI({
    model,
    apiKey: "sk-test",
    maxRetries: 0,
    ...fields,
    configuration: { baseURL: `${server.url}/v1` },
  });
}

async function collect(stream: AsyncIterable<AIMessageChunk>): Promise<AIMessageChunk> {
  let message: AIMessageChunk | undefined;
  for await (const chunk of stream) message = message === undefined ? chunk : message.concat(chunk);
  if (message === undefined) throw new Error("the stream yielded nothing");
  return message;
}

async function failure(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

// Waits for a condition on the simulator's state (never used to measure speed).
async function waitUntil(condition: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 400 && !condition(); attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  expect(condition()).toBe(true);
}

describe("replies", () => {
  it("answers a JSON request with a synthetic reply and usage", async () => {
    const reply = await chat("qwen", { temperature: 0.3 }).invoke("What is the capital of France?");
    const content = String(reply.content);
    expect(parseSyntheticReply(content)).toMatchObject({
      model: "qwen",
      call: 0,
      references: 0,
      turns: 1,
      temperature: 0.3,
      excerpt: "What is the capital of France?",
    });
    expect(content.split(" ")).toHaveLength(20);
    expect(reply.usage_metadata).toMatchObject({
      input_tokens: 6,
      output_tokens: 20,
      total_tokens: 26,
    });
    expect(reply.response_metadata.finish_reason).toBe("stop");
  });

  it("streams the same reply token by token, with usage in the last chunk", async () => {
    const chunks: string[] = [];
    let message: AIMessageChunk | undefined;
    for await (const chunk of await chat("qwen").stream("Name a colour")) {
      chunks.push(String(chunk.content));
      message = message === undefined ? chunk : message.concat(chunk);
    }
    expect(chunks.filter((chunk) => chunk !== "").length).toBe(20);
    expect(parseSyntheticReply(String(message?.content))).toMatchObject({ call: 0, turns: 1 });
    expect(message?.usage_metadata).toMatchObject({
      input_tokens: 3,
      output_tokens: 20,
      total_tokens: 23,
    });
    const [entry] = sim.requests;
    expect(entry).toMatchObject({ stream: true, status: 200, aborted: false });
    expect(entry?.body?.stream_options).toEqual({ include_usage: true });
  });

  it("logs model, sampling settings and messages, without the API key", async () => {
    await chat("gpt-4o", { temperature: 0.7, maxTokens: 512 }).invoke([
      new HumanMessage("Hi"),
      new AIMessage("Hello!"),
      new HumanMessage("Tell me a joke"),
    ]);
    expect(sim.requests).toHaveLength(1);
    const [entry] = sim.requests;
    expect(entry).toMatchObject({
      method: "POST",
      path: "/v1/chat/completions",
      model: "gpt-4o",
      stream: false,
      status: 200,
      aborted: false,
      callIndex: 0,
      promptTokens: 6,
      completionTokens: 32,
    });
    expect(entry?.body).toMatchObject({
      model: "gpt-4o",
      temperature: 0.7,
      max_tokens: 512,
      messages: [
        { role: "user", content: "Hi" },
        { role: "assistant", content: "Hello!" },
        { role: "user", content: "Tell me a joke" },
      ],
    });
    expect(entry?.headers.authorization).toBeUndefined();
    expect(entry?.finishedAt).toBeGreaterThanOrEqual(entry?.receivedAt ?? Infinity);
    expect(sim.countRequests({ model: "gpt-4o" })).toBe(1);
    expect(sim.countRequests({ model: "qwen" })).toBe(0);
  });

  it("reveals the references and turns an aggregator receives", async () => {
    const conversation = [
      new HumanMessage("What is 2+2?"),
      new AIMessage("4"),
      new HumanMessage("And 3+3?"),
    ];
    const messages = injectReferences(conversation, ["6", "Six.", "It is 6."]);
    const reply = await chat("gpt-4o", { temperature: 0 }).invoke(messages);
    expect(parseSyntheticReply(String(reply.content))).toMatchObject({
      references: 3,
      turns: 2,
      temperature: 0,
      excerpt: "And 3+3?",
    });
  });

  it("numbers calls per model in arrival order", async () => {
    await chat("gpt-4o").invoke("a");
    await chat("qwen").invoke("b");
    const third = await chat("gpt-4o").invoke("c");
    expect(parseSyntheticReply(String(third.content))?.call).toBe(1);
    expect(sim.requests.map((entry) => [entry.model, entry.callIndex])).toEqual([
      ["gpt-4o", 0],
      ["qwen", 0],
      ["gpt-4o", 1],
    ]);
  });

  it("uses a fixed or computed reply when the behaviour sets one", async () => {
    sim.setModel("fixed", { reply: "Paris." });
    sim.setModel("echo", { reply: (request) => `echo ${request.lastUserMessage}` });
    expect((await chat("fixed").invoke("Capital?")).content).toBe("Paris.");
    expect((await chat("echo").invoke("ping")).content).toBe("echo ping");
  });

  it("answers unknown models with the default behaviour", async () => {
    const reply = await chat("never-configured").invoke("hello");
    expect(parseSyntheticReply(String(reply.content))?.model).toBe("never-configured");
  });

  it.each([
    ["JSON", false],
    ["stream", true],
  ])("truncates the reply to max_tokens with finish_reason length (%s)", async (_, streaming) => {
    const model = chat("gpt-4o", { maxTokens: 3 });
    const reply = streaming ? await collect(await model.stream("hi")) : await model.invoke("hi");
    expect(String(reply.content).split(" ")).toHaveLength(3);
    expect(reply.response_metadata.finish_reason).toBe("length");
    expect(reply.usage_metadata?.output_tokens).toBe(3);
  });

  it("sends logprobs with scripted top alternatives for the first token", async () => {
    sim.setModel("judge", {
      reply: "m",
      logprobs: () => [
        { token: "M", logprob: -2.3 },
        { token: "m", logprob: -0.11 },
        { token: "1", logprob: -5 },
        { token: "2", logprob: -6 },
        { token: "Model", logprob: -7 },
        { token: "The", logprob: -9 },
      ],
    });
    const reply = await chat("judge", { logprobs: true, topLogprobs: 5, maxTokens: 1 }).invoke(
      "Which output is better, m or M?",
    );
    expect(reply.content).toBe("m");
    const [first] = (reply.response_metadata.logprobs as { content: any[] }).content;
    expect(first).toMatchObject({ token: "m", logprob: -0.11 });
    expect(first.top_logprobs.map((entry: { token: string }) => entry.token)).toEqual([
      "m",
      "M",
      "1",
      "2",
      "Model",
    ]);
    expect(sim.requests[0]?.body).toMatchObject({ logprobs: true, top_logprobs: 5, max_tokens: 1 });
  });

  it("sends synthetic logprobs for every token", async () => {
    const reply = await chat("gpt-4o", { logprobs: true, topLogprobs: 2 }).invoke("hi");
    const { content } = reply.response_metadata.logprobs as {
      content: Array<{ token: string; top_logprobs: unknown[] }>;
    };
    expect(content.map((entry) => entry.token).join("")).toBe(reply.content);
    expect(content.every((entry) => entry.top_logprobs.length === 2)).toBe(true);
  });
});

describe("latency", () => {
  it("waits at least latencyMs before answering", async () => {
    sim.setModel("slow", { latencyMs: 150 });
    const started = performance.now();
    await chat("slow").invoke("hi");
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it("paces a stream at tokensPerSecond", async () => {
    sim.setModel("typist", { tokensPerSecond: 100, outputTokens: 21 });
    const started = performance.now();
    const reply = await collect(await chat("typist").stream("hi"));
    // Token 21 is due 20 / 100 s after token 1.
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(reply.usage_metadata?.output_tokens).toBe(21);
  });

  it("adds a delay fault to the call it scripts", async () => {
    sim.setModel("delayed", { faults: [{ kind: "delay", ms: 120 }] });
    const started = performance.now();
    await chat("delayed").invoke("hi");
    expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    expect(sim.requests[0]?.fault).toEqual({ kind: "delay", ms: 120 });
  });
});

describe("faults", () => {
  it("rate-limits with 429 and Retry-After, then answers the next call", async () => {
    sim.setModel("limited", {
      faults: [{ kind: "status", status: 429, retryAfterSeconds: 7 }],
    });
    const error = await failure(chat("limited").invoke("hi"));
    expect(error.status).toBe(429);
    expect(error.code).toBe("rate_limit_exceeded");
    expect(error.headers.get("retry-after")).toBe("7");
    expect(parseSyntheticReply(String((await chat("limited").invoke("hi")).content))?.call).toBe(1);
    expect(sim.requests.map((entry) => entry.status)).toEqual([429, 200]);
  });

  it.each([500, 503, 401, 400])("returns status %i in OpenAI's error shape", async (status) => {
    sim.setModel("broken", { faults: () => ({ kind: "status", status, message: "scripted" }) });
    const error = await failure(chat("broken").invoke("hi"));
    expect(error.status).toBe(status);
    expect(error.error).toMatchObject({ message: "scripted", param: null });
    expect(error.error.type).toEqual(expect.any(String));
  });

  it("returns OpenAI's exact context_length_exceeded error", async () => {
    sim.setModel("small", { contextWindow: 4, faults: [{ kind: "context-length" }] });
    const scripted = await failure(chat("small").invoke("hi"));
    expect(scripted.cause?.status ?? scripted.status).toBe(400);
    expect(scripted.cause?.error ?? scripted.error).toEqual({
      message:
        "This model's maximum context length is 4 tokens. However, your messages resulted in 5 tokens. Please reduce the length of the messages.",
      type: "invalid_request_error",
      param: "messages",
      code: "context_length_exceeded",
    });
    // Without a fault, a prompt longer than contextWindow gets the same error with its real size.
    const natural = await failure(chat("small").invoke("one two three four five six"));
    expect((natural.cause?.error ?? natural.error).message).toContain(
      "maximum context length is 4 tokens. However, your messages resulted in 6 tokens.",
    );
    expect(await chat("small").invoke("short prompt")).toBeInstanceOf(AIMessage);
  });

  it("hangs until the client's timeout cuts the request, and logs it as aborted", async () => {
    sim.setModel("stuck", { faults: [{ kind: "hang" }] });
    const error = await failure(chat("stuck", { timeout: 300 }).invoke("hi"));
    expect(String(error.message)).toMatch(/timed out/i);
    await sim.idle();
    expect(sim.requests[0]).toMatchObject({ model: "stuck", aborted: true });
    expect(sim.requests[0]?.status).toBeUndefined(); // no response was ever started
    expect(sim.countRequests({ aborted: true })).toBe(1);
  });

  it("stalls a stream after some tokens, with the connection open, until the client aborts", async () => {
    sim.setModel("staller", { faults: [{ kind: "stall", afterTokens: 3 }], reply: "a b c d e f" });
    const received: string[] = [];
    const stream = await chat("staller").stream("hi", { signal: AbortSignal.timeout(400) });
    const error = await failure(
      (async () => {
        for await (const chunk of stream) received.push(String(chunk.content));
      })(),
    );
    expect(error.name).toMatch(/Abort|Timeout/);
    expect(received.join("")).toBe("a b c");
    await sim.idle();
    expect(sim.requests[0]).toMatchObject({ status: 200, aborted: true, completionTokens: 3 });
  });

  it("treats a stall of a non-streaming request as a hang", async () => {
    sim.setModel("staller", { faults: [{ kind: "stall", afterTokens: 3 }] });
    await failure(chat("staller", { timeout: 200 }).invoke("hi"));
    await sim.idle();
    expect(sim.requests[0]).toMatchObject({ aborted: true });
    expect(sim.requests[0]?.status).toBeUndefined();
  });

  it.each([
    ["JSON", false],
    ["stream", true],
  ])("sends a body that is not valid JSON (%s)", async (_, streaming) => {
    sim.setModel("garbled", { faults: [{ kind: "malformed-json" }] });
    const model = chat("garbled");
    const error = await failure(streaming ? collect(await model.stream("hi")) : model.invoke("hi"));
    expect(error).toBeInstanceOf(SyntaxError);
    expect(sim.requests[0]).toMatchObject({ status: 200 });
  });

  it.each([
    ["JSON", false],
    ["stream", true],
  ])("answers with empty content (%s)", async (_, streaming) => {
    sim.setModel("mute", { faults: [{ kind: "empty" }] });
    const model = chat("mute");
    const reply = streaming ? await collect(await model.stream("hi")) : await model.invoke("hi");
    expect(reply.content).toBe("");
    expect(reply.usage_metadata?.output_tokens ?? 0).toBe(0);
    expect(reply.response_metadata.finish_reason).toBe("stop");
  });

  it("reports an invalid fault returned by a script function as a 500 naming the model", async () => {
    sim.setModel("misconfigured", { faults: () => ({ kind: "status", status: 200 }) });
    const error = await failure(chat("misconfigured").invoke("hi"));
    expect(error.status).toBe(500);
    expect(String(error.message)).toContain("fault script for model `misconfigured`");
  });

  it("counts requests the client abandons mid-latency as aborted", async () => {
    sim.setModel("straggler", { latencyMs: 5_000 });
    sim.setModel("quick", {});
    const controller = new AbortController();
    const slow = failure(chat("straggler").invoke("hi", { signal: controller.signal }));
    await chat("quick").invoke("hi");
    await waitUntil(() => sim.countRequests({ model: "straggler" }) === 1);
    controller.abort();
    await slow;
    await sim.idle();
    expect(sim.countRequests({ aborted: true })).toBe(1);
    expect(sim.countRequests({ model: "straggler", aborted: true })).toBe(1);
    expect(sim.countRequests({ model: "quick", aborted: false })).toBe(1);
  });
});

describe("protocol", () => {
  it("rejects a body that is not JSON with a 400 in OpenAI's error shape", async () => {
    const response = await fetch(`${sim.url}/v1/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"model": "gpt-4o", "messages": [',
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: "invalid_request_error", param: null, code: null });
    expect(body.error.message).toMatch(/could not parse the JSON body/);
    expect(sim.requests[0]).toMatchObject({
      status: 400,
      rawBody: '{"model": "gpt-4o", "messages": [',
    });
  });

  it("rejects a request without messages, naming the parameter", async () => {
    const response = await fetch(`${sim.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({ model: "gpt-4o" }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { param: "messages" } });
  });

  it("lists configured models and answers health checks", async () => {
    const models = (await (await fetch(`${sim.url}/v1/models`)).json()) as {
      object: string;
      data: Array<{ id: string; object: string }>;
    };
    expect(models.object).toBe("list");
    expect(models.data.map((model) => model.id)).toEqual(
      expect.arrayContaining(["gpt-4o", "qwen"]),
    );
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
    expect((await fetch(`${sim.url}/v1/embeddings`, { method: "POST", body: "{}" })).status).toBe(
      404,
    );
  });

  it("streams SSE frames ending with a usage chunk and [DONE]", async () => {
    const response = await fetch(`${sim.url}/v1/chat/completions`, {
      method: "POST",
      body: JSON.stringify({
        model: "sse",
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: "user", content: "one two" }],
      }),
    });
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const frames = (await response.text()).split("\n\n").filter((frame) => frame !== "");
    expect(frames.every((frame) => frame.startsWith("data: "))).toBe(true);
    expect(frames.at(-1)).toBe("data: [DONE]");
    const events = frames.slice(0, -1).map((frame) => JSON.parse(frame.slice("data: ".length)));
    expect(events[0].choices[0].delta).toEqual({ role: "assistant", content: "" });
    expect(events.at(-2).choices[0]).toMatchObject({ delta: {}, finish_reason: "stop" });
    expect(events.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 2, completion_tokens: 32, total_tokens: 34 },
    });
    expect(new Set(events.map((event) => event.id)).size).toBe(1);
  });

  it("resets the log and the call counters", async () => {
    sim.setModel("once", { faults: [{ kind: "status", status: 503 }] });
    await failure(chat("once").invoke("hi"));
    sim.reset();
    expect(sim.requests).toHaveLength(0);
    // The script starts over: call 0 fails again.
    expect((await failure(chat("once").invoke("hi"))).status).toBe(503);
  });
});

describe("lifecycle", () => {
  it("answers 401 when the API key does not match, and serves the right key", async () => {
    const guarded = await startSimulator({ apiKey: "sk-right" });
    try {
      const error = await failure(chat("gpt-4o", { apiKey: "sk-wrong" }, guarded).invoke("hi"));
      expect(error.status).toBe(401);
      expect(error.code).toBe("invalid_api_key");
      const missing = await fetch(`${guarded.url}/v1/models`);
      expect(missing.status).toBe(401);
      expect(await chat("gpt-4o", { apiKey: "sk-right" }, guarded).invoke("hi")).toBeInstanceOf(
        AIMessage,
      );
      expect(guarded.requests.map((entry) => entry.status)).toEqual([401, 401, 200]);
      expect(JSON.stringify(guarded.requests)).not.toContain("sk-right");
    } finally {
      await guarded.close();
    }
  });

  it("closes while a request hangs, cutting the connection instead of waiting", async () => {
    const closing = await startSimulator({ defaultModel: { faults: () => ({ kind: "hang" }) } });
    const pending = failure(chat("gpt-4o", {}, closing).invoke("hi"));
    await waitUntil(() => closing.inFlight === 1);
    await closing.close();
    const error = await pending;
    expect(error).toBeInstanceOf(Error);
    expect(closing.requests[0]).toMatchObject({ aborted: true });
    await closing.close(); // a second close is harmless
  });

  it("binds loopback on a free port and refuses other hosts", async () => {
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
    expect(sim.port).toBeGreaterThan(0);
    await expect(startSimulator({ host: "0.0.0.0" as "127.0.0.1" })).rejects.toThrow(
      /loopback only/,
    );
    await expect(startSimulator({ models: { bad: { latencyMs: -1 } } })).rejects.toThrow(
      /models\.bad\.latencyMs/,
    );
  });
});
