import { HumanMessage, SystemMessage } from "@langchain/core/messages";
import { StateGraph } from "@langchain/langgraph";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../../src/errors/index.js";
import {
  createMixtureOfAgents,
  type CreateMixtureOfAgentsParams,
} from "../../../src/graph/create-mixture-of-agents.js";
import { FakeChatModel } from "../../../src/testing/index.js";
import {
  callsOfLayer,
  expectedSystemText,
  systemTextOf,
  taggedReply,
  transcript,
  userTurn,
} from "./support.js";

interface Models {
  a: FakeChatModel;
  b: FakeChatModel;
  judge: FakeChatModel;
}

function models(): Models {
  return {
    a: new FakeChatModel({ model: "a" }),
    b: new FakeChatModel({ model: "b" }),
    judge: new FakeChatModel({ model: "judge" }),
  };
}

describe("createMixtureOfAgents argument checks", () => {
  it.each<{ name: string; params: (m: Models) => unknown; parameter: string }>([
    { name: "no params", params: () => undefined, parameter: "params" },
    {
      name: "a missing aggregator",
      params: ({ a, b }) => ({ proposers: [a, b] }),
      parameter: "aggregator",
    },
    {
      name: "a provider string as aggregator",
      params: ({ a }) => ({ proposers: [a], aggregator: "openai:gpt-4o" }),
      parameter: "aggregator",
    },
    {
      name: "an aggregator with samples",
      params: ({ a, judge }) => ({ proposers: [a], aggregator: { model: judge, samples: 2 } }),
      parameter: "aggregator.samples",
    },
    {
      name: "a provider string as proposer",
      params: ({ a, judge }) => ({ proposers: [a, "openai:gpt-4o"], aggregator: judge }),
      parameter: "proposers[1]",
    },
    {
      name: "a spec whose model is not a chat model",
      params: ({ judge }) => ({ proposers: [{ model: { invoke: () => "x" } }], aggregator: judge }),
      parameter: "proposers[0]",
    },
    {
      name: "a null proposer",
      params: ({ judge }) => ({ proposers: [null], aggregator: judge }),
      parameter: "proposers[0]",
    },
    {
      name: "empty proposers",
      params: ({ judge }) => ({ proposers: [], aggregator: judge }),
      parameter: "proposers",
    },
    {
      name: "proposers that are not an array",
      params: ({ a, judge }) => ({ proposers: a, aggregator: judge }),
      parameter: "proposers",
    },
    {
      name: "no proposers with layers 3",
      params: ({ judge }) => ({ aggregator: judge, layers: 3 }),
      parameter: "proposers",
    },
    {
      name: "both proposers and layerProposers",
      params: ({ a, b, judge }) => ({
        proposers: [a],
        layerProposers: [[b]],
        aggregator: judge,
        layers: 2,
      }),
      parameter: "layerProposers",
    },
    {
      name: "layerProposers shorter than layers - 1",
      params: ({ a, judge }) => ({ layerProposers: [[a]], aggregator: judge, layers: 3 }),
      parameter: "layerProposers",
    },
    {
      name: "layerProposers longer than layers - 1",
      params: ({ a, b, judge }) => ({ layerProposers: [[a], [b]], aggregator: judge, layers: 2 }),
      parameter: "layerProposers",
    },
    {
      name: "an empty layer in layerProposers",
      params: ({ a, judge }) => ({ layerProposers: [[a], []], aggregator: judge }),
      parameter: "layerProposers[1]",
    },
    {
      name: "a bad spec inside layerProposers",
      params: ({ a, judge }) => ({
        layerProposers: [[a], [a, { model: a, samples: 0 }]],
        aggregator: judge,
      }),
      parameter: "layerProposers[1][1].samples",
    },
    {
      name: "layers 0",
      params: ({ a, judge }) => ({ proposers: [a], aggregator: judge, layers: 0 }),
      parameter: "layers",
    },
    {
      name: "layers 1.5",
      params: ({ a, judge }) => ({ proposers: [a], aggregator: judge, layers: 1.5 }),
      parameter: "layers",
    },
    {
      name: "layers NaN",
      params: ({ a, judge }) => ({ proposers: [a], aggregator: judge, layers: Number.NaN }),
      parameter: "layers",
    },
    {
      name: 'layers "3"',
      params: ({ a, judge }) => ({ proposers: [a], aggregator: judge, layers: "3" }),
      parameter: "layers",
    },
    {
      name: "samples 0",
      params: ({ a, judge }) => ({ proposers: [{ model: a, samples: 0 }], aggregator: judge }),
      parameter: "proposers[0].samples",
    },
    {
      name: "samples 2.5",
      params: ({ a, b, judge }) => ({
        proposers: [b, { model: a, samples: 2.5 }],
        aggregator: judge,
      }),
      parameter: "proposers[1].samples",
    },
    {
      name: "temperature -1",
      params: ({ a, judge }) => ({ proposers: [{ model: a, temperature: -1 }], aggregator: judge }),
      parameter: "proposers[0].temperature",
    },
    {
      name: "temperature Infinity",
      params: ({ a, judge }) => ({
        proposers: [{ model: a, temperature: Infinity }],
        aggregator: judge,
      }),
      parameter: "proposers[0].temperature",
    },
    {
      name: "aggregator temperature NaN",
      params: ({ a, judge }) => ({
        proposers: [a],
        aggregator: { model: judge, temperature: Number.NaN },
      }),
      parameter: "aggregator.temperature",
    },
    {
      name: "maxTokens 0",
      params: ({ a, judge }) => ({ proposers: [{ model: a, maxTokens: 0 }], aggregator: judge }),
      parameter: "proposers[0].maxTokens",
    },
    {
      name: "maxTokens 10.5",
      params: ({ a, judge }) => ({ proposers: [{ model: a, maxTokens: 10.5 }], aggregator: judge }),
      parameter: "proposers[0].maxTokens",
    },
    {
      name: "an empty id",
      params: ({ a, judge }) => ({ proposers: [{ model: a, id: "  " }], aggregator: judge }),
      parameter: "proposers[0].id",
    },
    {
      name: "minProposals above the fan-out",
      params: ({ a, b, judge }) => ({ proposers: [a, b], aggregator: judge, minProposals: 3 }),
      parameter: "minProposals",
    },
    {
      name: "minProposals above the smallest layer's fan-out",
      params: ({ a, b, judge }) => ({
        layerProposers: [[a, b], [a]],
        aggregator: judge,
        minProposals: 2,
      }),
      parameter: "minProposals",
    },
    {
      name: "minProposals 0",
      params: ({ a, judge }) => ({ proposers: [a], aggregator: judge, minProposals: 0 }),
      parameter: "minProposals",
    },
    {
      name: "rank with layers 1",
      params: ({ judge }) => ({ aggregator: judge, layers: 1, aggregation: "rank" }),
      parameter: "aggregation",
    },
    {
      name: "an unknown aggregation",
      params: ({ a, judge }) => ({ proposers: [a], aggregator: judge, aggregation: "vote" }),
      parameter: "aggregation",
    },
  ])(
    "rejects $name with InvalidArgumentError(`$parameter`) before any model call",
    ({ params, parameter }) => {
      const m = models();
      let caught: unknown;
      try {
        createMixtureOfAgents(params(m) as CreateMixtureOfAgentsParams);
      } catch (error) {
        caught = error;
      }
      expect(InvalidArgumentError.isInstance(caught)).toBe(true);
      const error = caught as InvalidArgumentError;
      expect(error.parameter).toBe(parameter);
      expect(error.message).toContain(`\`${parameter}\``);
      for (const model of Object.values(m)) expect(model.recorder.count).toBe(0);
    },
  );

  it.each<{ name: string; params: (m: Models) => CreateMixtureOfAgentsParams }>([
    { name: "the aggregator alone", params: ({ judge }) => ({ aggregator: judge, layers: 1 }) },
    {
      name: "the default layers",
      params: ({ a, b, judge }) => ({ proposers: [a, b], aggregator: judge }),
    },
    {
      name: "minProposals equal to a fan-out with samples",
      params: ({ a, b, judge }) => ({
        proposers: [{ model: a, samples: 2 }, b],
        aggregator: judge,
        minProposals: 3,
      }),
    },
    {
      name: "layerProposers with layers implied",
      params: ({ a, b, judge }) => ({
        layerProposers: [[a, b], [a]],
        aggregator: judge,
        aggregation: "rank",
      }),
    },
    {
      name: "temperature 0",
      params: ({ a, judge }) => ({ proposers: [{ model: a, temperature: 0 }], aggregator: judge }),
    },
  ])("accepts $name without calling a model", ({ params }) => {
    const m = models();
    expect(createMixtureOfAgents(params(m))).toBeInstanceOf(StateGraph);
    for (const model of Object.values(m)) expect(model.recorder.count).toBe(0);
  });
});

describe("createMixtureOfAgents on fakes", () => {
  it("returns an uncompiled StateGraph", () => {
    const { a, judge } = models();
    const graph = createMixtureOfAgents({ proposers: [a], aggregator: judge });
    expect(graph).toBeInstanceOf(StateGraph);
    expect("invoke" in graph).toBe(false);
    expect(typeof graph.compile().invoke).toBe("function");
  });

  it.each([
    { layers: 1, proposerCalls: 0 },
    { layers: 2, proposerCalls: 1 },
    { layers: 3, proposerCalls: 2 },
    { layers: 4, proposerCalls: 3 },
  ])(
    "with layers $layers calls each of 3 proposers $proposerCalls time(s), one per layer, then the aggregator once",
    async ({ layers, proposerCalls }) => {
      const proposers = ["p0", "p1", "p2"].map(
        (name) => new FakeChatModel({ model: name, reply: taggedReply(name) }),
      );
      const judge = new FakeChatModel({ model: "judge", reply: "final answer" });
      const result = await createMixtureOfAgents({ proposers, aggregator: judge, layers })
        .compile()
        .invoke(userTurn("q"));

      for (const proposer of proposers) {
        expect(proposer.recorder.count).toBe(proposerCalls);
        expect(proposer.recorder.calls.map((call) => call.metadata.moa_layer).sort()).toEqual(
          Array.from({ length: proposerCalls }, (_, index) => index + 1),
        );
      }
      expect(judge.recorder.count).toBe(1);
      expect(judge.recorder.calls[0]!.metadata).toMatchObject({
        moa_role: "aggregator",
        moa_layer: layers,
      });
      expect(result.proposals).toHaveLength(3 * proposerCalls);
      expect(result.proposals.every((proposal) => proposal.status === "ok")).toBe(true);
      expect(transcript(result.messages)).toEqual([
        ["human", "q"],
        ["ai", "final answer"],
      ]);
    },
  );

  it("defaults to the paper's three layers", async () => {
    const { a, judge } = models();
    await createMixtureOfAgents({ proposers: [a], aggregator: judge })
      .compile()
      .invoke(userTurn("q"));
    expect(a.recorder.count).toBe(2);
    expect(judge.recorder.calls[0]!.metadata.moa_layer).toBe(3);
  });

  it("with layers 1 lets the aggregator answer the plain conversation alone", async () => {
    const { a, judge } = models();
    const input = [new SystemMessage("Be brief."), new HumanMessage("What is MoA?")];
    const result = await createMixtureOfAgents({ proposers: [a], aggregator: judge, layers: 1 })
      .compile()
      .invoke({ messages: input });

    expect(a.recorder.count).toBe(0);
    expect(transcript(judge.recorder.calls[0]!.messages)).toEqual([
      ["system", "Be brief."],
      ["human", "What is MoA?"],
    ]);
    expect(result.proposals).toEqual([]);
    expect(result.aggregation).toMatchObject({
      mode: "synthesize",
      aggregatorId: "judge",
      references: 0,
    });
    expect(result.messages.at(-1)!.content).toBe("judge answer 0");
  });

  it("runs one proposer list per layer with layerProposers", async () => {
    const [a, b, c] = ["a", "b", "c"].map(
      (name) => new FakeChatModel({ model: name, reply: taggedReply(name) }),
    );
    const judge = new FakeChatModel({ model: "judge" });
    const result = await createMixtureOfAgents({
      layerProposers: [[a!, b!], [c!]],
      aggregator: judge,
    })
      .compile()
      .invoke(userTurn("q"));

    expect([a!.recorder.count, b!.recorder.count, c!.recorder.count]).toEqual([1, 1, 1]);
    expect(result.proposals.map(({ layer, proposerId }) => [layer, proposerId])).toEqual([
      [1, "a"],
      [1, "b"],
      [2, "c"],
    ]);
    expect(c!.recorder.calls[0]!.metadata.moa_layer).toBe(2);
    expect(systemTextOf(c!.recorder.calls[0]!)).toBe(
      expectedSystemText(["a says L1#0", "b says L1#0"]),
    );
    expect(systemTextOf(judge.recorder.calls[0]!)).toBe(expectedSystemText(["c says L2#0"]));
  });

  it("derives proposer ids from model names and de-duplicates them", async () => {
    const qwen = new FakeChatModel({ model: "qwen" });
    const other = new FakeChatModel({ model: "qwen" });
    const unnamed = new FakeChatModel();
    const result = await createMixtureOfAgents({
      proposers: [qwen, other, { model: qwen, id: " mine " }, unnamed, qwen],
      aggregator: new FakeChatModel({ model: "judge" }),
      layers: 2,
    })
      .compile()
      .invoke(userTurn("q"));
    expect(result.proposals.map((proposal) => proposal.proposerId)).toEqual([
      "qwen",
      "qwen-2",
      "mine",
      "fake",
      "qwen-3",
    ]);
    expect(qwen.recorder.calls.map((call) => call.metadata.moa_proposer_id).sort()).toEqual([
      "mine",
      "qwen",
      "qwen-3",
    ]);
  });

  it("fans samples: k out to k branches with sample indices, referenced in sample order", async () => {
    const a = new FakeChatModel({
      model: "a",
      reply: taggedReply("a"),
      latencyMs: ({ metadata }) => 60 - 10 * Number(metadata.moa_sample),
    });
    const b = new FakeChatModel({ model: "b", reply: taggedReply("b") });
    const judge = new FakeChatModel({ model: "judge" });
    const result = await createMixtureOfAgents({
      proposers: [{ model: a, samples: 3 }, b],
      aggregator: judge,
    })
      .compile()
      .invoke(userTurn("q"));

    expect(
      result.proposals.map(({ layer, proposerId, sample }) => `${layer}:${proposerId}#${sample}`),
    ).toEqual(["1:a#0", "1:a#1", "1:a#2", "1:b#0", "2:a#0", "2:a#1", "2:a#2", "2:b#0"]);
    expect(a.recorder.count).toBe(6);
    expect(a.recorder.peakInFlight).toBe(3);
    expect(
      callsOfLayer(a.recorder.calls, 1)
        .map((call) => call.metadata.moa_sample)
        .sort(),
    ).toEqual([0, 1, 2]);
    const layerTwo = [...callsOfLayer(a.recorder.calls, 2), ...callsOfLayer(b.recorder.calls, 2)];
    for (const call of layerTwo) {
      expect(systemTextOf(call)).toBe(
        expectedSystemText(["a says L1#0", "a says L1#1", "a says L1#2", "b says L1#0"]),
      );
    }
  });

  it("passes per-proposer temperature and maxTokens to the model without touching the original", async () => {
    const base = new FakeChatModel({ model: "base", temperature: 0.2, maxTokens: 100 });
    const result = await createMixtureOfAgents({
      proposers: [
        { model: base, id: "hot", temperature: 0.9, maxTokens: 32 },
        { model: base, id: "cold", temperature: 0 },
      ],
      aggregator: base,
      layers: 2,
    })
      .compile()
      .invoke(userTurn("q"));

    expect(result.proposals.map((proposal) => proposal.status)).toEqual(["ok", "ok"]);
    const settings = base.recorder.calls
      .map((call) => [call.metadata.moa_proposer_id, call.temperature, call.maxTokens])
      .sort((x, y) => String(x[0]).localeCompare(String(y[0])));
    expect(settings).toEqual([
      ["base", 0.2, 100],
      ["cold", 0, 100],
      ["hot", 0.9, 32],
    ]);
    expect(base.temperature).toBe(0.2);
    expect(base.maxTokens).toBe(100);
  });

  it("applies aggregator sampling settings and id", async () => {
    const judge = new FakeChatModel({ model: "judge", temperature: 0.7 });
    const result = await createMixtureOfAgents({
      proposers: [new FakeChatModel({ model: "a" })],
      aggregator: { model: judge, id: "final-judge", temperature: 0 },
      layers: 2,
    })
      .compile()
      .invoke(userTurn("q"));
    expect(judge.recorder.calls[0]).toMatchObject({
      temperature: 0,
      metadata: { moa_proposer_id: "final-judge" },
    });
    expect(judge.temperature).toBe(0.7);
    expect(result.aggregation?.aggregatorId).toBe("final-judge");
  });
});
