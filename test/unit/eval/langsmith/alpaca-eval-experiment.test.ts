import { describe, expect, it } from "vitest";
import { loadAlpacaEvalSet, runAlpacaEvalExperiment } from "../../../../src/eval/index.js";
import { isSwitchedOutputs } from "../../../../src/eval/alpaca-eval/position-switch.js";
import { FakeLogprobJudge } from "../alpaca-eval/fake-logprob-judge.js";

describe("runAlpacaEvalExperiment (LangSmith evaluate(), offline)", () => {
  it("answers, judges each example like the official judge and summarises the win rate", async () => {
    const evalSet = (await loadAlpacaEvalSet()).slice(0, 6);
    // The judge always prefers the output shown second ("M") with P = 0.8.
    const judge = new FakeLogprobJudge(() => [
      ["M", Math.log(0.8)],
      ["m", Math.log(0.2)],
    ]);
    const asked: string[] = [];
    const experiment = await runAlpacaEvalExperiment({
      target: async (instruction) => {
        asked.push(instruction);
        return `answer to ${instruction}`;
      },
      judge,
      evalSet,
      maxInstances: 4,
      uploadRuns: false,
      maxConcurrency: 2,
    });
    expect(asked.sort()).toEqual(
      evalSet
        .slice(0, 4)
        .map((row) => row.instruction)
        .sort(),
    );
    expect(judge.calls).toHaveLength(4);
    // Shown unswitched the model is "M" (preference 1.8); switched it is "m" (3 − 1.8 = 1.2).
    const expected = evalSet
      .slice(0, 4)
      .map((row) => (isSwitchedOutputs(row.instruction) ? 1.2 : 1.8));
    expect(experiment.rows.map((row) => row.preference)).toEqual(
      expected.map((value) => expect.closeTo(value, 12)),
    );
    const mean = expected.reduce((total, value) => total + (value - 1), 0) / expected.length;
    expect(experiment.metrics.win_rate).toBeCloseTo(100 * mean, 10);
    expect(experiment.metrics.n_total).toBe(4);
    expect(experiment.rows.map((row) => row.output)).toEqual(
      evalSet.slice(0, 4).map((row) => `answer to ${row.instruction}`),
    );
    expect(experiment.experimentName).toMatch(/^moa-alpaca-eval/);
  });
});
