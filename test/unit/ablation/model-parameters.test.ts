import { describe, expect, it } from "vitest";
import {
  DEFAULT_PARAMETERS,
  callTflops,
  findParameters,
} from "../../../src/ablation/model-parameters.js";
import { PAPER_PROPOSERS } from "../../../src/presets/presets.js";

describe("the parameter table", () => {
  it.each([
    ["together:Qwen/Qwen1.5-110B-Chat", 111, 111],
    ["together:Qwen/Qwen1.5-72B-Chat", 72, 72],
    ["together:meta-llama/Llama-3-70b-chat-hf", 70.6, 70.6],
    ["together:mistralai/Mixtral-8x22B-Instruct-v0.1", 39, 141],
    ["together:microsoft/WizardLM-2-8x22B", 39, 141],
    ["together:databricks/dbrx-instruct", 36, 132],
    ["openai:gpt-4", 1760, 1760],
    ["groq:llama3-70b-8192", 70.6, 70.6],
  ])("knows %s: %sB active of %sB", (spec, active, total) => {
    expect(findParameters(spec)).toMatchObject({
      activeParametersB: active,
      totalParametersB: total,
    });
  });

  it("covers every paper proposer, each row with a source", () => {
    for (const spec of PAPER_PROPOSERS) expect(findParameters(spec)).toBeDefined();
    for (const row of DEFAULT_PARAMETERS) {
      expect(row.source.length).toBeGreaterThan(10);
      expect(row.activeParametersB).toBeLessThanOrEqual(row.totalParametersB);
    }
  });

  it.each([
    "openai:gpt-4o",
    "openai:gpt-4o-2024-05-13",
    "openai:gpt-4-turbo-2024-04-09",
    "together:unknown/model",
  ])("leaves %s unknown rather than guessing", (spec) => {
    expect(findParameters(spec)).toBeUndefined();
  });

  it("matches provider-specific rows only under their provider and lets earlier rows win", () => {
    expect(findParameters("together:gpt-4")).toBeUndefined();
    const override = [
      { model: "Qwen/Qwen1.5-72B-Chat", activeParametersB: 1, totalParametersB: 1, source: "mine" },
    ];
    expect(
      findParameters("together:Qwen/Qwen1.5-72B-Chat", [...override, ...DEFAULT_PARAMETERS])
        ?.source,
    ).toBe("mine");
  });

  it("computes 2 × active parameters × tokens in TFLOPs", () => {
    expect(callTflops(111, 1000)).toBeCloseTo(222, 9);
    expect(callTflops(39, 0)).toBe(0);
  });
});
