// The threshold search over in-memory models: quantile and Youden candidates by hand, each
// scored by a real collaborative decode of the validation tasks.
import { describe, expect, it } from "vitest";
import type { CoLlmGate } from "../../../../src/co-llm/gate.js";
import {
  quantileThreshold,
  searchThreshold,
  youdenThreshold,
} from "../../../../src/co-llm/training/search-threshold.js";
import { InvalidArgumentError } from "../../../../src/errors/invalid-argument-error.js";
import { fakePair } from "./fake-pair.js";

const LOW = 1 / (1 + Math.exp(4));
const HIGH = 1 / (1 + Math.exp(-4));
const gate: CoLlmGate = {
  baseModel: "fake-base",
  hiddenSize: 2,
  weights: [-4, 8],
  bias: 0,
  threshold: 0.5,
};

describe("quantileThreshold", () => {
  it("puts the target share of values strictly above η", () => {
    const gates = [0.1, 0.5, 0.3, 0.9, 0.7, 0.2, 0.4, 0.6, 0.8, 0.0];
    expect(quantileThreshold(gates, 0)).toBe(0.9);
    expect(quantileThreshold(gates, 0.1)).toBe(0.8);
    expect(quantileThreshold(gates, 0.3)).toBe(0.6);
    expect(quantileThreshold(gates, 0.9)).toBe(0.0);
    expect(quantileThreshold(gates, 1)).toBe(0);
    expect(() => quantileThreshold(gates, 1.5)).toThrow(InvalidArgumentError);
  });
});

describe("youdenThreshold", () => {
  it("maximises TPR − FPR, ties to the higher η", () => {
    // η = 0.6: TPR 2/3, FPR 0 (J 0.667); η = 0.2: TPR 1, FPR 1/3 (J 0.667): tie → 0.6.
    expect(
      youdenThreshold([0.9, 0.7, 0.6, 0.3, 0.2, 0.1], [true, true, false, true, false, false]),
    ).toBe(0.6);
    expect(youdenThreshold([0.9, 0.1], [true, false])).toBe(0.1);
    expect(youdenThreshold([0.9, 0.1], [true, true])).toBeUndefined();
  });
});

describe("searchThreshold", () => {
  it("tables every candidate with accuracy and deferral, and keeps the best with the least deferral", async () => {
    const { base, assistant } = fakePair();
    // Base-only decoding " a b Y . <eos>" gives g = [LOW, LOW, HIGH, LOW, LOW].
    const result = await searchThreshold({
      base,
      assistant,
      gate,
      validation: [{ prompt: "Q", answer: "a b X." }],
      scored: [
        { baseArgmax: 2, assistantArgmax: 2, hidden: Float32Array.from([1, 0]) },
        { baseArgmax: 5, assistantArgmax: 4, hidden: Float32Array.from([1, 1]) },
      ],
    });
    expect(result.table.map((row) => [row.source, row.targetDeferralRate])).toEqual([
      ...[0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].map((rate) => ["quantile", rate]),
      ["youden", undefined],
    ]);
    // 0 %: η = HIGH, nothing defers, the base's wrong answer.
    expect(result.table[0]).toMatchObject({ threshold: HIGH, accuracy: 0, deferralRate: 0 });
    // 10 %–80 % round to 1–4 of 5 tokens: η = LOW, only the answer defers.
    for (const row of result.table.slice(1, 9)) {
      expect(row).toMatchObject({ threshold: LOW, accuracy: 1, deferralRate: 0.2 });
    }
    // 90 % rounds to all 5: η = 0, every token from the assistant.
    expect(result.table[9]).toMatchObject({ threshold: 0, accuracy: 1, deferralRate: 1 });
    expect(result.table[10]).toMatchObject({ threshold: LOW, accuracy: 1, deferralRate: 0.2 });
    expect(result.best).toBe(result.table[1]);
    // 3 distinct η (HIGH, LOW, 0) decoded once each, after the base-only decode: 4 sessions.
    expect(base.sessions.started).toBe(4);
    expect(result.gate).toEqual({ ...gate, threshold: LOW });
  });

  it("refuses an empty validation split", async () => {
    const { base, assistant } = fakePair();
    await expect(searchThreshold({ base, assistant, gate, validation: [] })).rejects.toThrow(
      /`validation` needs at least one task/,
    );
  });
});
