import { describe, expect, it } from "vitest";
import {
  describeLatencyProblem,
  sampleLatencyMs,
} from "../../../../src/testing/simulator/latency.js";

const key = { seed: 0, model: "m", callIndex: 0 };

describe("sampleLatencyMs", () => {
  it("returns fixed latencies as given and 0 when unset", () => {
    expect(sampleLatencyMs(250, key)).toBe(250);
    expect(sampleLatencyMs(undefined, key)).toBe(0);
  });

  it("gives the same draw for the same seed, model and call", () => {
    const spec = { distribution: "normal", mean: 300, sd: 50 } as const;
    expect(sampleLatencyMs(spec, key)).toBe(sampleLatencyMs(spec, { ...key }));
    const draws = new Set(
      [0, 1, 2, 3].map((callIndex) => sampleLatencyMs(spec, { ...key, callIndex })),
    );
    expect(draws.size).toBe(4);
    expect(sampleLatencyMs(spec, { ...key, model: "other" })).not.toBe(sampleLatencyMs(spec, key));
    expect(sampleLatencyMs(spec, { ...key, seed: 1 })).not.toBe(sampleLatencyMs(spec, key));
  });

  it("keeps uniform draws inside [min, max] and spreads them over the range", () => {
    const spec = { distribution: "uniform", min: 100, max: 200 } as const;
    const draws = Array.from({ length: 500 }, (_, callIndex) =>
      sampleLatencyMs(spec, { ...key, callIndex }),
    );
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(100);
    expect(Math.max(...draws)).toBeLessThanOrEqual(200);
    expect(Math.min(...draws)).toBeLessThan(110);
    expect(Math.max(...draws)).toBeGreaterThan(190);
  });

  it("centres normal draws on the mean and never goes below 0", () => {
    const draws = Array.from({ length: 2000 }, (_, callIndex) =>
      sampleLatencyMs({ distribution: "normal", mean: 300, sd: 50 }, { ...key, callIndex }),
    );
    const mean = draws.reduce((total, draw) => total + draw, 0) / draws.length;
    expect(mean).toBeGreaterThan(290);
    expect(mean).toBeLessThan(310);
    const clamped = Array.from({ length: 200 }, (_, callIndex) =>
      sampleLatencyMs({ distribution: "normal", mean: 0, sd: 100 }, { ...key, callIndex }),
    );
    expect(Math.min(...clamped)).toBe(0);
  });
});

describe("describeLatencyProblem", () => {
  it.each([
    [undefined],
    [0],
    [120],
    [{ distribution: "uniform", min: 0, max: 10 }],
    [{ distribution: "normal", mean: 100, sd: 0 }],
  ])("accepts %j", (spec) => {
    expect(describeLatencyProblem(spec)).toBeUndefined();
  });

  it.each([
    [-1, /≥ 0/],
    ["fast", /number of milliseconds/],
    [{ distribution: "uniform", min: 10, max: 5 }, /min/],
    [{ distribution: "normal", mean: 100, sd: -1 }, /sd/],
    [{ distribution: "poisson" }, /"uniform" or "normal"/],
  ])("rejects %j", (spec, message) => {
    expect(describeLatencyProblem(spec)).toMatch(message);
  });
});
