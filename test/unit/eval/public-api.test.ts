import { describe, expect, it } from "vitest";
import * as evaluation from "../../../src/eval/index.js";

describe("langgraph-moa/eval", () => {
  it.each([
    "generateAlpacaEval",
    "judgeAlpacaEval",
    "reportAlpacaEval",
    "reportAlpacaEvalFile",
    "computeWinRate",
    "computeLengthControlledWinRate",
    "predictLengthControlledWinRate",
    "generateMtBench",
    "judgeMtBench",
    "reportMtBench",
    "generateFlask",
    "judgeFlask",
    "reportFlask",
    "runBatchOnServer",
    "JudgmentCache",
  ])("exports %s", (name) => {
    expect(typeof (evaluation as Record<string, unknown>)[name]).toBe("function");
  });

  it("exports the official judge settings", () => {
    expect(evaluation.ALPACA_EVAL_JUDGE_SETTINGS).toEqual({
      model: "gpt-4-1106-preview",
      temperature: 1,
      maxTokens: 1,
      logprobs: true,
      topLogprobs: 5,
    });
    expect(evaluation.MT_BENCH_JUDGE_SETTINGS.model).toBe("gpt-4");
    expect(evaluation.FLASK_JUDGE_SETTINGS.model).toBe("gpt-4-0613");
  });
});
