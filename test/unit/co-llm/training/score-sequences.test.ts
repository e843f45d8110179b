// Teacher forcing over in-memory models: per gold token, both log probabilities, both argmaxes
// and the base's hidden state; prompt tokens masked; each model evaluates each token once.
import { describe, expect, it } from "vitest";
import { scoreSequences } from "../../../../src/co-llm/training/score-sequences.js";
import { VocabularyMismatchError } from "../../../../src/co-llm/vocabulary-mismatch-error.js";
import { InvalidArgumentError } from "../../../../src/errors/invalid-argument-error.js";
import { EOS, VOCABULARY, fakePair } from "./fake-pair.js";

describe("scoreSequences", () => {
  it("scores each gold answer token under both models, masking the prompt", async () => {
    const { base, assistant } = fakePair();
    // Gold " a b X . <eos>" after the prompt "Q".
    const scored = await scoreSequences({
      base,
      assistant,
      sequences: [{ prompt: [1], answer: [2, 3, 4, 6, EOS] }],
    });
    expect(scored.map((token) => token.token)).toEqual([2, 3, 4, 6, EOS]);
    expect(scored.map((token) => token.position)).toEqual([0, 1, 2, 3, 4]);
    expect(scored.map((token) => token.baseArgmax)).toEqual([2, 3, 5, 6, EOS]);
    expect(scored.map((token) => token.assistantArgmax)).toEqual([2, 3, 4, 6, EOS]);
    expect(scored.map((token) => token.baseIsRight)).toEqual([true, true, false, true, true]);
    expect(scored.every((token) => token.assistantIsRight)).toBe(true);
    // The fake's default: log(confidence) for its argmax, the rest spread over the 6 others.
    expect(scored[0]!.baseLogProbability).toBeCloseTo(Math.log(0.99), 12);
    expect(scored[2]!.baseLogProbability).toBeCloseTo(Math.log(0.4 / 6), 12);
    expect(scored[2]!.assistantLogProbability).toBeCloseTo(Math.log(0.9), 12);
    expect(Array.from(scored[2]!.hidden)).toEqual([1, 1]);
    expect(Array.from(scored[3]!.hidden)).toEqual([1, 0]);
    // The prompt in one batch, then one gold token per batch; the last gold token is not needed.
    expect(base.batches).toEqual([[1], [2], [3], [4], [6]]);
    expect(assistant.batches).toEqual(base.batches);
    expect(base.sessions).toEqual({ started: 1, disposed: 1 });
  });

  it("numbers tokens by sequence", async () => {
    const { base, assistant } = fakePair();
    const scored = await scoreSequences({
      base,
      assistant,
      sequences: [
        { prompt: [1], answer: [2] },
        { prompt: [1], answer: [2, 3] },
      ],
    });
    expect(scored.map(({ sequence, position }) => [sequence, position])).toEqual([
      [0, 0],
      [1, 0],
      [1, 1],
    ]);
  });

  it("refuses an empty answer and models whose vocabularies differ", async () => {
    const { base, assistant } = fakePair();
    await expect(
      scoreSequences({ base, assistant, sequences: [{ prompt: [1], answer: [] }] }),
    ).rejects.toThrow(InvalidArgumentError);
    const other = fakePair([...VOCABULARY.slice(0, -1), "!"]);
    await expect(
      scoreSequences({
        base: other.base,
        assistant: other.assistant,
        sequences: [{ prompt: [1], answer: [2] }],
      }),
    ).rejects.toThrow(VocabularyMismatchError);
  });

  it("stops between sequences when the signal aborts, with its reason", async () => {
    const { base, assistant } = fakePair();
    const controller = new AbortController();
    controller.abort(new Error("stop scoring"));
    await expect(
      scoreSequences({
        base,
        assistant,
        sequences: [{ prompt: [1], answer: [2] }],
        signal: controller.signal,
      }),
    ).rejects.toThrow("stop scoring");
    expect(base.batches).toEqual([]);
  });
});
