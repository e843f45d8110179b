import { HumanMessage } from "@langchain/core/messages";
import { describe, expect, it } from "vitest";
import type { ModelLoadSettings } from "../../../src/config/config-to-params.js";
import { parseMoaConfig } from "../../../src/config/moa-config.js";
import { createMoaAnswerer } from "../../../src/eval/answerer.js";
import { FakeChatModel, type FakeReplyContext } from "../../../src/testing/index.js";

function setup() {
  const loads: { spec: string; temperature?: number }[] = [];
  const calls: FakeReplyContext[] = [];
  const answerer = createMoaAnswerer({
    config: parseMoaConfig(
      { proposers: ["fake:a", "fake:b"], aggregator: "fake:c", layers: 2 },
      "test configuration",
    ),
    loadModel: (spec: string, settings: ModelLoadSettings) => {
      loads.push({ spec, temperature: settings.temperature });
      const name = spec.slice(5);
      return new FakeChatModel({
        model: name,
        temperature: settings.temperature,
        reply: (context) => {
          calls.push(context);
          return `${name} at ${context.temperature}`;
        },
      });
    },
  });
  return { answerer, loads, calls };
}

describe("createMoaAnswerer", () => {
  it("builds the configuration's graph at once and answers with the aggregator's text", async () => {
    const { answerer, loads } = setup();
    expect(loads.map((load) => load.spec).sort()).toEqual(["fake:a", "fake:b", "fake:c"]);
    const run = await answerer.run([new HumanMessage("hi")]);
    expect(run.output).toBe(`c at ${answerer.config.temperature}`);
    expect(run.config).toEqual(answerer.config);
    expect(run.state.proposals).toHaveLength(2);
  });

  it("compiles one graph per distinct temperature and reuses it", async () => {
    const { answerer, loads } = setup();
    const before = loads.length;
    expect((await answerer.run([new HumanMessage("hi")], { temperature: 0.1 })).output).toBe(
      "c at 0.1",
    );
    const afterFirst = loads.length;
    expect(afterFirst).toBeGreaterThan(before);
    const run = await answerer.run([new HumanMessage("again")], { temperature: 0.1 });
    expect(run.config.temperature).toBe(0.1);
    expect(loads.length).toBe(afterFirst);
  });

  it("hands the run's metadata to every model call", async () => {
    const { answerer, calls } = setup();
    await answerer.run([new HumanMessage("hi")], { metadata: { runTag: "r-1" } });
    expect(calls).toHaveLength(3);
    for (const call of calls) expect(call.metadata).toMatchObject({ runTag: "r-1" });
  });
});
