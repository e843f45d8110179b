import { describe, expect, it } from "vitest";
import { fanOut, resolvePlan } from "../../../src/plan/resolve-plan.js";
import {
  DEFAULT_MOA_LIMITS,
  InvalidArgumentError,
  MAX_TIMER_DELAY_MS,
} from "../../../src/index.js";
import { FakeChatModel } from "../../../src/testing/index.js";

const named = (model: string) => new FakeChatModel({ model });

describe("resolvePlan", () => {
  it("resolves one proposer list per proposer layer, with positions and sample counts", () => {
    const a = named("a");
    const b = named("b");
    const plan = resolvePlan({
      proposers: [a, { model: b, samples: 3 }],
      aggregator: named("judge"),
    });
    expect(plan.proposerLayers).toHaveLength(2);
    for (const layer of plan.proposerLayers) {
      expect(layer.map(({ id, index, samples }) => ({ id, index, samples }))).toEqual([
        { id: "a", index: 0, samples: 1 },
        { id: "b", index: 1, samples: 3 },
      ]);
      expect(layer[0]!.model).toBe(a);
      expect(fanOut(layer)).toBe(4);
    }
    expect(plan).toMatchObject({
      aggregation: "synthesize",
      minProposals: 1,
      aggregator: { id: "judge", samples: 1 },
    });
  });

  it("returns no proposer layers for layers 1", () => {
    expect(resolvePlan({ aggregator: named("judge"), layers: 1 }).proposerLayers).toEqual([]);
  });

  it.each<{
    name: string;
    specs: () => Parameters<typeof resolvePlan>[0]["proposers"];
    ids: string[];
  }>([
    { name: "distinct names", specs: () => [named("a"), named("b")], ids: ["a", "b"] },
    {
      name: "a repeated name",
      specs: () => [named("a"), named("a"), named("a")],
      ids: ["a", "a-2", "a-3"],
    },
    {
      name: "an unnamed model",
      specs: () => [new FakeChatModel(), new FakeChatModel()],
      ids: ["fake", "fake-2"],
    },
    { name: "trimmed explicit ids", specs: () => [{ model: named("a"), id: "  x " }], ids: ["x"] },
    {
      name: "repeated explicit ids",
      specs: () => [
        { model: named("a"), id: "x" },
        { model: named("b"), id: "x" },
      ],
      ids: ["x", "x-2"],
    },
    {
      name: "an explicit id equal to a suffixed one",
      specs: () => [named("a"), named("a"), { model: named("b"), id: "a-2" }],
      ids: ["a", "a-3", "a-2"],
    },
    {
      name: "an explicit id equal to a later derived one",
      specs: () => [{ model: named("b"), id: "a" }, named("a")],
      ids: ["a", "a-2"],
    },
    {
      name: "an explicit id equal to an earlier derived one",
      specs: () => [named("a"), { model: named("b"), id: "a" }],
      ids: ["a-2", "a"],
    },
  ])("gives unique ids for $name", ({ specs, ids }) => {
    const plan = resolvePlan({ proposers: specs(), aggregator: named("judge"), layers: 2 });
    const resolved = plan.proposerLayers[0]!.map((proposer) => proposer.id);
    expect(resolved).toEqual(ids);
    expect(new Set(resolved).size).toBe(resolved.length);
  });

  it("gives each layer of layerProposers its own ids", () => {
    const plan = resolvePlan({
      layerProposers: [[named("a"), named("a")], [named("a")]],
      aggregator: named("judge"),
    });
    expect(plan.proposerLayers.map((layer) => layer.map((proposer) => proposer.id))).toEqual([
      ["a", "a-2"],
      ["a"],
    ]);
  });

  it("makes a sampling copy that shares the original's recorder and leaves the original alone", () => {
    const base = new FakeChatModel({ model: "base", temperature: 0.5 });
    const plan = resolvePlan({
      proposers: [{ model: base, temperature: 1.2, maxTokens: 7 }],
      aggregator: base,
      layers: 2,
    });
    const copy = plan.proposerLayers[0]![0]!.model as FakeChatModel;
    expect(copy).not.toBe(base);
    expect(copy).toBeInstanceOf(FakeChatModel);
    expect([copy.temperature, copy.maxTokens]).toEqual([1.2, 7]);
    expect([base.temperature, base.maxTokens]).toEqual([0.5, undefined]);
    expect(copy.recorder).toBe(base.recorder);
    expect(plan.aggregator.model).toBe(base);
  });
});

/** The `InvalidArgumentError` `run` throws (fails the test when it returns). */
function argumentError(run: () => unknown): InvalidArgumentError {
  try {
    run();
  } catch (error) {
    if (InvalidArgumentError.isInstance(error)) return error;
    throw error;
  }
  throw new Error("expected an InvalidArgumentError");
}

describe("resolvePlan limits (checked before anything is built)", () => {
  const judge = named("judge");

  it("exports default limits that cover the papers' configurations", () => {
    expect(DEFAULT_MOA_LIMITS).toEqual({
      maxProposersPerLayer: 64,
      maxSamples: 16,
      maxLayers: 16,
      maxCallsPerRun: 512,
    });
    expect(Object.isFrozen(DEFAULT_MOA_LIMITS)).toBe(true);
  });

  it.each<{
    name: string;
    params: () => Parameters<typeof resolvePlan>[0];
    parameter: string;
    message: RegExp;
  }>([
    {
      name: "10,000 proposers",
      params: () => ({ proposers: Array.from({ length: 10_000 }, () => judge), aggregator: judge }),
      parameter: "proposers",
      message:
        /10000 proposers in one layer is above the limit of 64.*limits\.maxProposersPerLayer/,
    },
    {
      name: "layers: 1e9",
      params: () => ({ proposers: [judge], aggregator: judge, layers: 1e9 }),
      parameter: "layers",
      message: /1000000000 layers is above the limit of 16.*limits\.maxLayers/,
    },
    {
      name: "a million layerProposers lists",
      params: () => ({
        layerProposers: Array.from({ length: 1e6 }, () => [judge]),
        aggregator: judge,
      }),
      parameter: "layerProposers",
      message: /above the limit of 16/,
    },
    {
      name: "samples: 1e7",
      params: () => ({ proposers: [judge, { model: judge, samples: 1e7 }], aggregator: judge }),
      parameter: "proposers[1].samples",
      message: /10000000 samples is above the limit of 16.*limits\.maxSamples/,
    },
    {
      name: "64 proposers × 16 samples × 2 layers",
      params: () => ({
        proposers: Array.from({ length: 64 }, () => ({ model: judge, samples: 16 })),
        aggregator: judge,
      }),
      parameter: "proposers",
      message: /2049 model calls .* above the limit of 512.*limits\.maxCallsPerRun/,
    },
  ])(
    "refuses $name with InvalidArgumentError naming `$parameter`",
    ({ params, parameter, message }) => {
      const started = performance.now();
      const error = argumentError(() => resolvePlan(params()));
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(error.parameter).toBe(parameter);
      expect(error.message).toMatch(message);
    },
  );

  it("lets the caller raise or lower a limit", () => {
    const proposers = Array.from({ length: 100 }, () => judge);
    expect(
      resolvePlan({
        proposers,
        aggregator: judge,
        layers: 2,
        limits: { maxProposersPerLayer: 100 },
      }).proposerLayers[0],
    ).toHaveLength(100);
    expect(
      argumentError(() =>
        resolvePlan({
          proposers: [judge, judge],
          aggregator: judge,
          limits: { maxCallsPerRun: 4 },
        }),
      ).message,
    ).toMatch(/5 model calls/);
  });

  it.each([0, -1, 1.5, Number.NaN, "64"])("refuses a limit of %j naming the field", (value) => {
    const error = argumentError(() =>
      resolvePlan({
        proposers: [judge],
        aggregator: judge,
        limits: { maxSamples: value as number },
      }),
    );
    expect(error.parameter).toBe("limits.maxSamples");
  });
});

describe("resolvePlan timer options", () => {
  const judge = named("judge");

  it.each<[string, Partial<Parameters<typeof resolvePlan>[0]>]>([
    ["callTimeoutMs", { callTimeoutMs: 2 ** 31 }],
    ["stragglerGraceMs", { stragglerGraceMs: 2 ** 31 }],
    ["callTimeoutMs", { callTimeoutMs: 1e12 }],
  ])("refuses a %s Node would clamp to 1 ms", (parameter, params) => {
    const error = argumentError(() =>
      resolvePlan({ proposers: [judge], aggregator: judge, ...params }),
    );
    expect(error.parameter).toBe(parameter);
    expect(error.message).toMatch(/must be ≤ 2147483647 ms/);
  });

  it("accepts the longest delay a timer honours", () => {
    const plan = resolvePlan({
      proposers: [judge],
      aggregator: judge,
      callTimeoutMs: MAX_TIMER_DELAY_MS,
      stragglerGraceMs: MAX_TIMER_DELAY_MS,
    });
    expect(plan.callTimeoutMs).toBe(MAX_TIMER_DELAY_MS);
  });
});
