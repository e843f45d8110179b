// The decoder over in-memory token models: who writes each token, what each model evaluates,
// and the refusals, computed by hand.
import { describe, expect, it } from "vitest";
import { coLlmDecode, deferredSpans } from "../../../src/co-llm/co-llm-decode.js";
import { CO_LLM_BASELINES, deferralPolicyName } from "../../../src/co-llm/deferral-policy.js";
import { createFakeTokenModel } from "../../../src/co-llm/fixtures/create-fake-token-model.js";
import type { CoLlmGate } from "../../../src/co-llm/gate.js";
import { VocabularyMismatchError } from "../../../src/co-llm/vocabulary-mismatch-error.js";
import { InvalidArgumentError } from "../../../src/errors/invalid-argument-error.js";

// 0 <eos>, 1 "Q", 2 " a", 3 " b", 4 " X" (the hard token), 5 " Y", 6 "."
const VOCABULARY = ["<eos>", "Q", " a", " b", " X", " Y", "."];
const EOS = 0;
/** Both write " a b <answer> ." ; the base answers " Y", the assistant " X". */
const SCRIPT = [2, 3, -1, 6, EOS];

function models(assistantVocabulary = VOCABULARY, contextSize?: number) {
  const generated = (sequence: readonly number[]) => sequence.length - 1; // prompt is "Q"
  const base = createFakeTokenModel({
    identity: "fake-base",
    vocabulary: VOCABULARY,
    ...(contextSize !== undefined ? { contextSize } : {}),
    endOfGeneration: [EOS],
    next: (sequence) => {
      const step = generated(sequence);
      const hard = SCRIPT[step] === -1;
      return {
        token: hard ? 5 : (SCRIPT[step] ?? EOS),
        confidence: hard ? 0.6 : 0.99,
        // [constant, hard]
        hidden: Float32Array.from([1, hard ? 1 : 0]),
      };
    },
  });
  const assistant = createFakeTokenModel({
    identity: "fake-assistant",
    vocabulary: assistantVocabulary,
    endOfGeneration: [EOS],
    next: (sequence) => {
      const step = generated(sequence);
      return { token: SCRIPT[step] === -1 ? 4 : (SCRIPT[step] ?? EOS), confidence: 0.9 };
    },
  });
  return { base, assistant };
}

const gate: CoLlmGate = {
  baseModel: "fake-base",
  hiddenSize: 2,
  weights: [-4, 8],
  bias: 0,
  threshold: 0.5,
};

describe("coLlmDecode", () => {
  it("defers exactly where the gate fires, and the assistant catches up in one batch", async () => {
    const { base, assistant } = models();
    const tokens: number[] = [];
    const result = await coLlmDecode({
      base,
      assistant,
      prompt: "Q",
      policy: { kind: "gate", gate },
      onToken: (step) => tokens.push(step.token),
    });
    expect(result.text).toBe(" a b X.");
    expect(result.tokens).toEqual([2, 3, 4, 6, EOS]);
    expect(tokens).toEqual(result.tokens);
    expect(result.steps.map((step) => step.author)).toEqual([
      "base",
      "base",
      "assistant",
      "base",
      "base",
    ]);
    expect(result.steps.map((step) => step.gate)).toEqual([
      1 / (1 + Math.exp(4)),
      1 / (1 + Math.exp(4)),
      1 / (1 + Math.exp(-4)),
      1 / (1 + Math.exp(4)),
      1 / (1 + Math.exp(4)),
    ]);
    expect(result.deferralRate).toBe(0.2);
    expect(result.deferredSpans).toEqual([{ start: 4, end: 6 }]);
    expect(result.steps[2]).toMatchObject({ text: " X", start: 4, end: 6 });
    expect(result.finishReason).toBe("eos");
    // The assistant saw "Q a b" once, as one batch; the base saw each token once.
    expect(assistant.batches).toEqual([[1, 2, 3]]);
    expect(base.batches).toEqual([[1], [2], [3], [4], [6]]);
    expect(result.usage).toEqual({
      base: { evaluatedTokens: 5, calls: 5 },
      assistant: { evaluatedTokens: 3, calls: 1 },
    });
    expect(base.sessions).toEqual({ started: 1, disposed: 1 });
    expect(assistant.sessions).toEqual({ started: 1, disposed: 1 });
  });

  it.each([
    ["base", " a b Y.", 0, { evaluatedTokens: 0, calls: 0 }],
    ["assistant", " a b X.", 1, { evaluatedTokens: 5, calls: 5 }],
    ["greedy", " a b X.", 0.2, { evaluatedTokens: 5, calls: 5 }],
  ] as const)("the %s baseline writes %j (deferral %f)", async (kind, text, rate, usage) => {
    const { base, assistant } = models();
    const result = await coLlmDecode({ base, assistant, prompt: "Q", policy: { kind } });
    expect(result.text).toBe(text);
    expect(result.deferralRate).toBe(rate);
    expect(result.usage.assistant).toEqual(usage);
    if (kind === "assistant") expect(base.batches).toEqual([]);
  });

  it("random deferral with probability 0 or 1 is base or assistant alone; a seed repeats", async () => {
    const run = async (probability: number, seed = 0) => {
      const { base, assistant } = models();
      return coLlmDecode({
        base,
        assistant,
        prompt: "Q",
        policy: { kind: "random", probability, seed },
      });
    };
    expect((await run(0)).deferralRate).toBe(0);
    expect((await run(1)).deferralRate).toBe(1);
    const authors = async (seed: number) => (await run(0.5, seed)).steps.map((step) => step.author);
    expect(await authors(11)).toEqual(await authors(11));
  });

  it("cuts the text before a stop sequence and stops", async () => {
    const { base, assistant } = models();
    const result = await coLlmDecode({
      base,
      assistant,
      prompt: "Q",
      policy: { kind: "base" },
      stop: [" b"],
    });
    expect(result).toMatchObject({ text: " a", finishReason: "stop", tokens: [2, 3] });
    expect(result.steps.at(-1)).toMatchObject({ text: "", start: 2, end: 2 });
  });

  it("stops at maxTokens", async () => {
    const { base, assistant } = models();
    const result = await coLlmDecode({
      base,
      assistant,
      prompt: [1],
      policy: { kind: "base" },
      maxTokens: 3,
    });
    expect(result).toMatchObject({ text: " a b Y", finishReason: "length" });
  });

  it("ends with finishReason length when the sequence fills the smaller context", async () => {
    const { base, assistant } = models(VOCABULARY, 4);
    const result = await coLlmDecode({
      base,
      assistant,
      prompt: "Q",
      policy: { kind: "gate", gate },
    });
    // "Q" + 3 generated tokens fill 4 positions; only 3 were ever evaluated.
    expect(result).toMatchObject({ text: " a b X", finishReason: "length" });
  });

  it("refuses a prompt as long as the context before evaluating it", async () => {
    const { base, assistant } = models(VOCABULARY, 1);
    const error = await coLlmDecode({
      base,
      assistant,
      prompt: "Q",
      policy: { kind: "base" },
    }).catch((caught: unknown) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain("the prompt is 1 tokens but the models hold 1");
    expect(base.batches).toEqual([]);
  });

  it("rejects with the signal's reason and disposes both sessions", async () => {
    const { base, assistant } = models();
    const controller = new AbortController();
    const run = coLlmDecode({
      base,
      assistant,
      prompt: "Q",
      policy: { kind: "greedy" },
      signal: controller.signal,
      onToken: () => controller.abort(new Error("stop now")),
    });
    await expect(run).rejects.toThrow("stop now");
    expect(base.sessions).toEqual({ started: 1, disposed: 1 });
    expect(assistant.sessions).toEqual({ started: 1, disposed: 1 });
  });

  it("refuses models whose vocabularies differ, naming the token and both texts", async () => {
    const { base, assistant } = models([...VOCABULARY.slice(0, 4), " Z", ...VOCABULARY.slice(5)]);
    const error = await coLlmDecode({
      base,
      assistant,
      prompt: "Q",
      policy: { kind: "base" },
    }).catch((caught: unknown) => caught);
    expect(VocabularyMismatchError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ tokenId: 4, baseText: " X", assistantText: " Z" });
    expect((error as Error).message).toContain(
      'token 4 is " X" in the base and " Z" in the assistant',
    );
  });

  it("names a token only one vocabulary has", async () => {
    const { base, assistant } = models([...VOCABULARY, "extra"]);
    const error = await coLlmDecode({
      base,
      assistant,
      prompt: "Q",
      policy: { kind: "base" },
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ tokenId: 7, baseText: undefined, assistantText: "extra" });
    expect((error as Error).message).toContain("(no such token)");
  });

  it.each([
    [{ maxTokens: 0 }, "maxTokens"],
    [{ policy: { kind: "random", probability: 1.5 } as const }, "policy.probability"],
    [{ prompt: [] as number[] }, "prompt"],
  ])("refuses %j before evaluating anything", async (override, parameter) => {
    const { base, assistant } = models();
    const error = await coLlmDecode({
      base,
      assistant,
      prompt: "Q",
      policy: { kind: "base" },
      ...override,
    }).catch((caught: unknown) => caught);
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as InvalidArgumentError).parameter).toBe(parameter);
    expect(base.sessions.started).toBe(0);
  });
});

describe("deferredSpans and policy names", () => {
  it("merges adjacent assistant tokens and skips empty ones", () => {
    expect(
      deferredSpans([
        { author: "assistant", start: 0, end: 2 },
        { author: "assistant", start: 2, end: 5 },
        { author: "base", start: 5, end: 6 },
        { author: "assistant", start: 6, end: 6 },
        { author: "assistant", start: 6, end: 8 },
      ]),
    ).toEqual([
      { start: 0, end: 5 },
      { start: 6, end: 8 },
    ]);
  });

  it("names the baselines for tables", () => {
    expect(CO_LLM_BASELINES.map(deferralPolicyName)).toEqual([
      "base",
      "assistant",
      "random-0.5",
      "greedy",
    ]);
    expect(deferralPolicyName({ kind: "gate", gate })).toBe("co-llm");
  });
});
