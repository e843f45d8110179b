import { beforeAll, describe, expect, it } from "vitest";
import {
  preferenceFromLogprobs,
  probabilityOfNumerator,
} from "../../../../src/eval/alpaca-eval/logprob-parser.js";
import {
  isSwitchedOutputs,
  loadSwitchedOutputs,
} from "../../../../src/eval/alpaca-eval/position-switch.js";
import {
  readAlpacaEvalAnnotations,
  type AlpacaEvalAnnotation,
} from "../../../../src/eval/alpaca-eval/annotations.js";
import { loadAlpacaEvalSet } from "../../../../src/eval/alpaca-eval/outputs-file.js";
import { sharedDataPath } from "../shared-data.js";

const top = (entries: [string, number][]) => ({
  content: [
    {
      token: entries[0]?.[0] ?? "",
      logprob: entries[0]?.[1] ?? 0,
      top_logprobs: entries.map(([token, logprob]) => ({ token, logprob })),
    },
  ],
});

describe("probabilityOfNumerator", () => {
  it.each([
    [
      "both tokens",
      [
        ["M", Math.log(0.75)],
        ["m", Math.log(0.25)],
      ],
      0.25,
    ],
    [
      "both tokens, unnormalized",
      [
        ["m", Math.log(0.3)],
        ["M", Math.log(0.1)],
        ["The", -1],
      ],
      0.75,
    ],
    [
      "only m (M missing = −∞)",
      [
        ["m", -0.2],
        ["Both", -3],
      ],
      1,
    ],
    ["only M", [["M", -0.01]], 0],
    [
      "a repeated token keeps its last logprob",
      [
        ["m", -10],
        ["M", Math.log(0.5)],
        ["m", Math.log(0.5)],
      ],
      0.5,
    ],
  ] as [string, [string, number][], number][])("handles %s", (_name, entries, expected) => {
    expect(
      probabilityOfNumerator(entries.map(([token, logprob]) => ({ token, logprob }))),
    ).toBeCloseTo(expected, 12);
  });

  it("is NaN when neither token is among the top logprobs (upstream returns NaN)", () => {
    expect(probabilityOfNumerator([{ token: "Based", logprob: -0.1 }])).toBeNaN();
  });
});

describe("preferenceFromLogprobs", () => {
  it.each([
    [
      "M wins, not switched",
      [
        ["M", -0.01],
        ["m", -4.6],
      ],
      false,
      2 - Math.exp(-4.6) / (Math.exp(-4.6) + Math.exp(-0.01)),
    ],
    [
      "M wins, switched (M was the baseline)",
      [
        ["M", -0.01],
        ["m", -4.6],
      ],
      true,
      1 + Math.exp(-4.6) / (Math.exp(-4.6) + Math.exp(-0.01)),
    ],
    ["only m, not switched", [["m", -0.01]], false, 1],
    ["only m, switched", [["m", -0.01]], true, 2],
  ] as [string, [string, number][], boolean, number][])(
    "gives %s",
    (_name, entries, isSwitched, expected) => {
      expect(preferenceFromLogprobs(top(entries), { isSwitched })).toBeCloseTo(expected, 12);
    },
  );

  it.each([
    ["no logprobs", undefined],
    ["no content", { content: [] }],
    ["no m or M", top([["Output", -0.5]])],
  ])("is NaN with %s", (_name, logprobs) => {
    expect(preferenceFromLogprobs(logprobs, { isSwitched: false })).toBeNaN();
  });
});

describe("claude-2.1's official annotations", () => {
  let annotations: AlpacaEvalAnnotation[];
  beforeAll(async () => {
    annotations = await readAlpacaEvalAnnotations(
      sharedDataPath("alpaca_eval", "annotations", "claude-2.1.annotations.json"),
    );
  });

  it("re-derives every stored preference from the raw logprobs and the position switch", () => {
    let judged = 0;
    for (const [index, annotation] of annotations.entries()) {
      const raw = annotation.raw_completion as { logprobs?: unknown } | null;
      if (annotation.output_1 === annotation.output_2) {
        // Identical outputs are a draw without a judge call.
        expect(raw, `row ${index}`).toBeNull();
        expect(annotation.preference).toBe(1.5);
        continue;
      }
      const preference = preferenceFromLogprobs(raw?.logprobs, {
        isSwitched: isSwitchedOutputs(annotation.instruction),
      });
      // Stored preferences are rounded to 10 decimals.
      expect(Math.abs(preference - (annotation.preference as number)), `row ${index}`).toBeLessThan(
        1e-9,
      );
      judged += 1;
    }
    expect(judged).toBe(803);
  });
});

describe("isSwitchedOutputs", () => {
  it("reproduces the official switch flag of all 805 eval-set instructions", async () => {
    const [evalSet, flags] = await Promise.all([loadAlpacaEvalSet(), loadSwitchedOutputs()]);
    expect(evalSet).toHaveLength(805);
    expect(evalSet.map((entry) => isSwitchedOutputs(entry.instruction))).toEqual(flags);
  });

  it("depends on the annotator seed", () => {
    const instruction =
      "What are the names of some famous actors that started their careers on Broadway?";
    const seeds = Array.from({ length: 16 }, (_, seed) => isSwitchedOutputs(instruction, seed));
    expect(new Set(seeds).size).toBe(2);
  });
});
