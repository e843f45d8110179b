// ChatCoLlm on real node-llama-cpp with the generated fixtures: through the base's chat
// template, streamed with per-token authorship, and inside a mixture of agents.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { HumanMessage, type AIMessageChunk } from "@langchain/core/messages";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ChatCoLlm, type ChatCoLlmSummary } from "../../src/co-llm/chat-co-llm.js";
import {
  CO_LLM_FIXTURE_DIMENSIONS,
  createCoLlmFixture,
  type CoLlmFixture,
} from "../../src/co-llm/fixtures/create-co-llm-fixture.js";
import type { CoLlmGate } from "../../src/co-llm/gate.js";
import { loadLlamaTokenModel, type LlamaTokenModel } from "../../src/co-llm/llama-token-model.js";
import { createMixtureOfAgents } from "../../src/graph/create-mixture-of-agents.js";
import { disposeLocalModels } from "../../src/local/local-models.js";
import { FakeChatModel } from "../../src/testing/fake-chat-model.js";

let directory: string;
let fixture: CoLlmFixture;
let base: LlamaTokenModel;
let assistant: LlamaTokenModel;
let gate: CoLlmGate;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "moa-chat-co-llm-"));
  fixture = createCoLlmFixture({ variant: "standard", questions: 6, seed: 8 });
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(directory, `${name}.gguf`);
    writeFileSync(path, bytes);
    return path;
  };
  base = await loadLlamaTokenModel({ modelPath: write("base", fixture.base) });
  assistant = await loadLlamaTokenModel({
    modelPath: write("assistant", fixture.assistant),
    hiddenStates: false,
  });
  const weights = new Float32Array(fixture.hiddenSize);
  weights[CO_LLM_FIXTURE_DIMENSIONS.hard] = 10;
  weights[CO_LLM_FIXTURE_DIMENSIONS.constant] = -5;
  gate = {
    baseModel: fixture.names.base,
    hiddenSize: fixture.hiddenSize,
    weights,
    bias: 0,
    threshold: 0.5,
  };
});

afterAll(async () => {
  await base?.dispose();
  await assistant?.dispose();
  await disposeLocalModels();
  rmSync(directory, { recursive: true, force: true });
});

const summary = (message: { response_metadata: Record<string, unknown> }) =>
  message.response_metadata.co_llm as ChatCoLlmSummary;

describe("ChatCoLlm", () => {
  it("answers through the chat template, deferring the answer token, with usage", async () => {
    const task = fixture.tasks[0]!;
    const chat = new ChatCoLlm({ base, assistant, gate });
    const reply = await chat.invoke([new HumanMessage(task.prompt)]);
    expect(reply.content).toBe(task.reference);
    const answerStart = task.reference.indexOf(task.answer) - 1;
    expect(summary(reply)).toMatchObject({
      policy: "co-llm",
      deferral_rate: 1 / 6,
      deferred_spans: [{ start: answerStart, end: task.reference.length - 1 }],
      assistant_calls: 1,
    });
    const prompt = await base.formatChat!([new HumanMessage(task.prompt)]);
    // The assistant caught up once on the templated prompt and " The answer is".
    expect(summary(reply).usage.assistant.evaluated_tokens).toBe(prompt.length + 3);
    expect(reply.usage_metadata).toEqual({
      input_tokens: prompt.length,
      output_tokens: 6,
      total_tokens: prompt.length + 6,
    });
    // The base alone, as a baseline policy on the same chat model, gets it wrong.
    const alone = await new ChatCoLlm({ base, assistant, policy: { kind: "base" } }).invoke(
      task.prompt,
    );
    expect(alone.content).toBe(` The answer is ${task.baseAnswer}.`);
  });

  it("streams one chunk per token saying who wrote it and its g_t, the summary last", async () => {
    const task = fixture.tasks[1]!;
    const chat = new ChatCoLlm({ base, assistant, gate });
    const chunks: AIMessageChunk[] = [];
    for await (const chunk of await chat.stream(task.prompt)) chunks.push(chunk);
    const steps = chunks.flatMap(
      (chunk) =>
        (chunk.response_metadata.co_llm_steps as Array<{ author: string; gate: number }>) ?? [],
    );
    expect(steps.map((step) => step.author)).toEqual([
      "base",
      "base",
      "base",
      "assistant",
      "base",
      "base",
    ]);
    expect(steps[3]!.gate).toBeGreaterThan(0.999);
    expect(chunks.map((chunk) => chunk.content).join("")).toBe(task.reference);
    expect(chunks[3]!.content).toBe(` ${task.answer}`);
    expect(summary(chunks.at(-1)!).deferral_rate).toBeCloseTo(1 / 6, 10);
    const merged = chunks.reduce((left, right) => left.concat(right));
    expect((merged.response_metadata.co_llm_steps as unknown[]).length).toBe(6);
  });

  it("is a proposer of a mixture of agents", async () => {
    const task = fixture.tasks[2]!;
    const proposer = new ChatCoLlm({ base, assistant, gate, model: "co-llm" });
    const other = new FakeChatModel({ model: "other", reply: "I am not sure." });
    const aggregator = new FakeChatModel({ model: "judge", reply: "Final." });
    const graph = createMixtureOfAgents({
      proposers: [proposer, other],
      aggregator,
      layers: 2,
    }).compile();
    const state = await graph.invoke({ messages: [new HumanMessage(task.prompt)] });
    expect(
      state.proposals.map((proposal: { proposerId: string; status: string; content: string }) => [
        proposal.proposerId,
        proposal.status,
        proposal.content,
      ]),
    ).toEqual([
      ["co-llm", "ok", task.reference],
      ["other", "ok", "I am not sure."],
    ]);
    // The aggregator saw the Co-LLM answer among the references.
    const seen = aggregator.recorder.calls[0]!.messages.map((message) =>
      String(message.content),
    ).join("\n");
    expect(seen).toContain(`1. ${task.reference}`);
  });

  it("is the aggregator of a mixture of agents", async () => {
    const task = fixture.tasks[3]!;
    const proposers = [
      new FakeChatModel({ model: "a", reply: "Multiply them." }),
      new FakeChatModel({ model: "b", reply: "Use a calculator." }),
    ];
    const aggregator = new ChatCoLlm({ base, assistant, gate, model: "co-llm" });
    const graph = createMixtureOfAgents({ proposers, aggregator, layers: 2 }).compile();
    const state = await graph.invoke({ messages: [new HumanMessage(task.prompt)] });
    expect(String(state.messages.at(-1)!.content)).toBe(task.reference);
  });
});
