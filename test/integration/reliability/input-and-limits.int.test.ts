// Fault matrix, part 7: requests that must be refused before any call. Invalid conversations
// (non-text content, no messages, no user turn), oversized runs (10,000 proposers, `layers: 1e9`,
// `samples: 1e7`, or a deployed context asking for more than the owner's limits) and timeouts a
// Node timer cannot hold fail with a typed error naming the field, and the simulator sees no
// request at all.
import {
  HumanMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
} from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import {
  InvalidArgumentError,
  InvalidConfigError,
  InvalidInputError,
  MAX_TIMER_DELAY_MS,
  createConfigurableMixtureOfAgents,
  createMixtureOfAgents,
  type CreateMixtureOfAgentsParams,
} from "../../../src/index.js";
import { QUESTION, invoke, rejection, run, useSimulator } from "./harness.js";

const { sim, model } = useSimulator();

function moa(): CreateMixtureOfAgentsParams {
  return { proposers: [model("alpha"), model("beta")], aggregator: model("judge"), layers: 2 };
}

describe("invalid conversations", () => {
  it.each<{ name: string; messages: () => BaseMessage[]; path: string }>([
    {
      name: "non-string content",
      messages: () => [new HumanMessage({ content: 123 as never })],
      path: "messages[0].content",
    },
    { name: "no messages", messages: () => [], path: "messages" },
    {
      name: "only a system message",
      messages: () => [new SystemMessage("be brief")],
      path: "messages",
    },
    {
      name: "only a tool message",
      messages: () => [new ToolMessage({ content: "42", tool_call_id: "call-1" })],
      path: "messages",
    },
  ])(
    "refuses $name with InvalidInputError at `$path`, sending no request",
    async ({ messages, path }) => {
      const error = await rejection(invoke(moa(), messages()));
      expect(InvalidInputError.isInstance(error), String(error)).toBe(true);
      expect((error as InvalidInputError).path).toBe(path);
      expect(sim.requests).toHaveLength(0);
    },
  );

  it("refuses an empty input object the same way", async () => {
    const error = await rejection(createMixtureOfAgents(moa()).compile().invoke({}));
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect(sim.requests).toHaveLength(0);
  });

  it("answers a question given as text content parts", async () => {
    const state = await run(moa(), [
      new HumanMessage({ content: [{ type: "text", text: QUESTION }] }),
    ]);
    expect(state.proposals.map((proposal) => proposal.status)).toEqual(["ok", "ok"]);
    expect(sim.requests).toHaveLength(3);
  });
});

describe("size limits", () => {
  it.each<{ name: string; params: () => CreateMixtureOfAgentsParams; parameter: string }>([
    {
      name: "10,000 proposers",
      params: () => {
        const alpha = model("alpha");
        return { proposers: Array.from({ length: 10_000 }, () => alpha), aggregator: alpha };
      },
      parameter: "proposers",
    },
    { name: "layers: 1e9", params: () => ({ ...moa(), layers: 1e9 }), parameter: "layers" },
    {
      name: "samples: 1e7",
      params: () => ({ ...moa(), proposers: [{ model: model("alpha"), samples: 1e7 }] }),
      parameter: "proposers[0].samples",
    },
  ])("refuses $name at construction, naming `$parameter`", ({ params, parameter }) => {
    let error: unknown;
    try {
      createMixtureOfAgents(params());
    } catch (caught) {
      error = caught;
    }
    expect(InvalidArgumentError.isInstance(error), String(error)).toBe(true);
    expect((error as InvalidArgumentError).parameter).toBe(parameter);
    expect(sim.requests).toHaveLength(0);
  });

  it("refuses a deployed context above the owner's limits before building a model", async () => {
    let built = 0;
    const graph = createConfigurableMixtureOfAgents({
      loadModel: (spec, settings) => {
        built += 1;
        return model(spec.slice(spec.indexOf(":") + 1), { maxRetries: settings.maxRetries ?? 0 });
      },
      defaults: { proposers: ["openai:alpha"], aggregator: "openai:judge", layers: 2 },
      limits: { maxProposersPerLayer: 8 },
    }).compile();
    const proposers = Array.from({ length: 10_000 }, (_, index) => `openai:m${index}`);
    const error = await rejection(
      graph.invoke({ messages: [new HumanMessage(QUESTION)] }, { context: { proposers } }),
    );
    expect(InvalidConfigError.isInstance(error), String(error)).toBe(true);
    expect((error as InvalidConfigError).issues).toEqual([
      { path: "proposers", message: "at most 8 proposers (limit `maxProposersPerLayer`)" },
    ]);
    expect(built).toBe(0);
    expect(sim.requests).toHaveLength(0);

    const state = await graph.invoke({ messages: [new HumanMessage(QUESTION)] });
    expect(state.proposals).toHaveLength(1);
    expect(sim.requests).toHaveLength(2);
  });
});

describe("timeouts a Node timer cannot hold", () => {
  it.each<[string, Partial<CreateMixtureOfAgentsParams>]>([
    ["callTimeoutMs", { callTimeoutMs: 2 ** 31 }],
    ["stragglerGraceMs", { stragglerGraceMs: 2 ** 31 }],
  ])("refuses %s = 2³¹ ms instead of timing every call out after 1 ms", (parameter, params) => {
    expect(() => createMixtureOfAgents({ ...moa(), ...params })).toThrow(
      new RegExp(`\`${parameter}\`: must be ≤ ${MAX_TIMER_DELAY_MS} ms`),
    );
    expect(sim.requests).toHaveLength(0);
  });

  it("runs with the longest timeout a timer honours", async () => {
    const state = await run({ ...moa(), callTimeoutMs: MAX_TIMER_DELAY_MS });
    expect(state.proposals.map((proposal) => proposal.status)).toEqual(["ok", "ok"]);
  });

  it("refuses an HTTP timeoutMs of 2³¹ ms in loadChatModel", () => {
    expect(() => model("alpha", { timeoutMs: 2 ** 31 })).toThrow(/`timeoutMs`: must be ≤/);
  });
});
