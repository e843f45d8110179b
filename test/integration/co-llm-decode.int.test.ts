// Co-LLM decoding on real node-llama-cpp with the generated fixtures: their weights are known,
// so hidden states, who writes which token and what each model evaluates are all predictable.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { coLlmDecode } from "../../src/co-llm/co-llm-decode.js";
import {
  CO_LLM_FIXTURE_DIMENSIONS,
  CO_LLM_FIXTURE_VARIANTS,
  createCoLlmFixture,
  type CoLlmFixture,
  type CoLlmFixtureVariant,
} from "../../src/co-llm/fixtures/create-co-llm-fixture.js";
import type { CoLlmGate } from "../../src/co-llm/gate.js";
import { GateMismatchError } from "../../src/co-llm/gate-mismatch-error.js";
import { loadLlamaTokenModel, type LlamaTokenModel } from "../../src/co-llm/llama-token-model.js";
import { VocabularyMismatchError } from "../../src/co-llm/vocabulary-mismatch-error.js";
import { disposeLocalModels } from "../../src/local/local-models.js";
import { createToyModel } from "../../src/local/toy-model.js";

interface Pair {
  fixture: CoLlmFixture;
  base: LlamaTokenModel;
  assistant: LlamaTokenModel;
}

let directory: string;
const pairs = new Map<CoLlmFixtureVariant, Pair>();
let toy: LlamaTokenModel;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "moa-co-llm-"));
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(directory, `${name}.gguf`);
    writeFileSync(path, bytes);
    return path;
  };
  for (const variant of CO_LLM_FIXTURE_VARIANTS) {
    const fixture = createCoLlmFixture({ variant, questions: 10, seed: 3 });
    pairs.set(variant, {
      fixture,
      base: await loadLlamaTokenModel({ modelPath: write(fixture.names.base, fixture.base) }),
      assistant: await loadLlamaTokenModel({
        modelPath: write(fixture.names.assistant, fixture.assistant),
        hiddenStates: false,
      }),
    });
  }
  toy = await loadLlamaTokenModel({
    modelPath: write("toy", createToyModel({ name: "toy", reply: "Something else." }).bytes),
    hiddenStates: false,
  });
});

afterAll(async () => {
  for (const pair of pairs.values()) {
    await pair.base.dispose();
    await pair.assistant.dispose();
  }
  await toy?.dispose();
  await disposeLocalModels();
  rmSync(directory, { recursive: true, force: true });
});

const pair = (variant: CoLlmFixtureVariant) => pairs.get(variant)!;

/** A hand-set gate that fires on the fixture's hard feature: g ≈ 1 there, ≈ 0 elsewhere. */
function handGate({ fixture }: Pair): CoLlmGate {
  const weights = new Float32Array(fixture.hiddenSize);
  weights[CO_LLM_FIXTURE_DIMENSIONS.hard] = 10;
  weights[CO_LLM_FIXTURE_DIMENSIONS.constant] = -5;
  return {
    baseModel: fixture.names.base,
    hiddenSize: fixture.hiddenSize,
    weights,
    bias: 0,
    threshold: 0.5,
  };
}

describe("the fixture on node-llama-cpp", () => {
  it("tokenizes like the fixture and gives the closed-form hidden state and confidence", async () => {
    const { fixture, base } = pair("standard");
    const task = fixture.tasks[0]!;
    const prefix = `${task.prompt} The answer is`;
    const tokens = base.tokenize(prefix);
    expect(tokens).toEqual(fixture.tokenize(prefix));
    expect(base.vocabulary).toEqual(fixture.tokens);
    expect(base.hiddenSize).toBe(fixture.hiddenSize);
    const session = await base.startSession();
    try {
      const next = await session.append(tokens, { hidden: true });
      const expected = fixture.forward("base", tokens);
      expect(next.hidden).toHaveLength(fixture.hiddenSize);
      next.hidden!.forEach((value, index) => expect(value).toBeCloseTo(expected.hidden[index]!, 2));
      expect(fixture.tokens[next.token]).toBe(`▁${task.baseAnswer}`);
      expect(next.confidence).toBeCloseTo(0.9, 3);
      // Incremental: one more token costs one evaluation and moves h_t on.
      const after = await session.append([next.token], { hidden: true });
      expect(fixture.tokens[after.token]).toBe(".");
      expect(after.hidden![CO_LLM_FIXTURE_DIMENSIONS.hard]).toBeCloseTo(0, 6);
    } finally {
      await session.dispose();
    }
  });
});

describe("coLlmDecode on the fixtures", () => {
  it("base alone is wrong, assistant alone is right, Co-LLM is right deferring only the answer", async () => {
    const current = pair("standard");
    const { fixture, base, assistant } = current;
    const task = fixture.split.heldOut[0]!;
    const baseOnly = await coLlmDecode({
      base,
      assistant,
      prompt: task.prompt,
      policy: { kind: "base" },
    });
    expect(baseOnly.text).toBe(` The answer is ${task.baseAnswer}.`);
    expect(baseOnly.finishReason).toBe("eos");
    expect(baseOnly.usage.assistant).toEqual({ evaluatedTokens: 0, calls: 0 });

    const assistantOnly = await coLlmDecode({
      base,
      assistant,
      prompt: task.prompt,
      policy: { kind: "assistant" },
    });
    expect(assistantOnly.text).toBe(task.reference);
    expect(assistantOnly.usage.base).toEqual({ evaluatedTokens: 0, calls: 0 });

    const result = await coLlmDecode({
      base,
      assistant,
      prompt: task.prompt,
      policy: { kind: "gate", gate: handGate(current) },
    });
    expect(result.text).toBe(task.reference);
    // " The answer is N." + EOS: 6 steps, one deferred.
    expect(result.steps.map((step) => step.author)).toEqual([
      "base",
      "base",
      "base",
      "assistant",
      "base",
      "base",
    ]);
    expect(result.deferralRate).toBeCloseTo(1 / 6, 10);
    expect(result.steps[3]!.gate).toBeGreaterThan(0.999);
    for (const step of result.steps.filter((step) => step.author === "base")) {
      expect(step.gate).toBeLessThan(0.001);
    }
    const answerStart = result.text.indexOf(task.answer) - 1;
    expect(result.deferredSpans).toEqual([
      { start: answerStart, end: answerStart + task.answer.length + 1 },
    ]);
    // The assistant caught up once: the 7 prompt tokens and "▁The ▁answer ▁is", in one batch.
    expect(result.promptTokens).toBe(7);
    expect(result.usage.assistant).toEqual({ evaluatedTokens: 10, calls: 1 });
    // The base evaluated every token once: the prompt, then one per step but the last.
    expect(result.usage.base).toEqual({ evaluatedTokens: 7 + 5, calls: 6 });
  });

  it.each(CO_LLM_FIXTURE_VARIANTS)(
    "a gate set on the hard feature answers every held-out question right (%s)",
    async (variant) => {
      const current = pair(variant);
      const { fixture, base, assistant } = current;
      for (const task of fixture.split.heldOut) {
        const result = await coLlmDecode({
          base,
          assistant,
          prompt: task.prompt,
          policy: { kind: "gate", gate: handGate(current) },
        });
        expect(result.text).toBe(task.reference);
        expect(result.deferralRate).toBeCloseTo(1 / 6, 10);
      }
    },
  );

  it.each([
    ["standard", true],
    ["uncertain", true],
    ["confidently-wrong", false],
  ] as const)(
    "greedy (the more confident model's token) is right on %s: %s",
    async (variant, right) => {
      const { fixture, base, assistant } = pair(variant);
      const task = fixture.tasks[1]!;
      const result = await coLlmDecode({
        base,
        assistant,
        prompt: task.prompt,
        policy: { kind: "greedy" },
      });
      expect(result.text).toBe(right ? task.reference : ` The answer is ${task.baseAnswer}.`);
      // Both models evaluate every step.
      expect(result.usage.assistant.calls).toBe(result.steps.length);
    },
  );

  it("random deferral is seeded: the same seed gives the same authors", async () => {
    const { fixture, base, assistant } = pair("standard");
    const task = fixture.tasks[2]!;
    const run = (seed: number) =>
      coLlmDecode({ base, assistant, prompt: task.prompt, policy: { kind: "random", seed } });
    const first = await run(7);
    const again = await run(7);
    expect(again.steps.map((step) => step.author)).toEqual(first.steps.map((step) => step.author));
    // Scaffolding is the same from both models, so only the answer token can differ.
    expect(first.text.startsWith(" The answer is ")).toBe(true);
    const deferred = first.steps.filter((step) => step.author === "assistant").length;
    expect(first.usage.assistant.calls).toBe(deferred);
  });

  it("runs concurrent decodes on one pair, each with its own caches and hidden states", async () => {
    const current = pair("uncertain");
    const { fixture, base, assistant } = current;
    const policy = { kind: "gate", gate: handGate(current) } as const;
    const results = await Promise.all(
      fixture.tasks.map((task) => coLlmDecode({ base, assistant, prompt: task.prompt, policy })),
    );
    expect(results.map((result) => result.text)).toEqual(
      fixture.tasks.map((task) => task.reference),
    );
    expect(results.every((result) => result.usage.assistant.evaluatedTokens === 10)).toBe(true);
    expect(base.contextSize).toBeGreaterThanOrEqual(512);
  });

  it("honours maxTokens, stop sequences and an abort signal", async () => {
    const current = pair("standard");
    const { fixture, base, assistant } = current;
    const task = fixture.tasks[0]!;
    const policy = { kind: "gate", gate: handGate(current) } as const;
    const short = await coLlmDecode({ base, assistant, prompt: task.prompt, policy, maxTokens: 2 });
    expect(short).toMatchObject({ text: " The answer", finishReason: "length" });
    const stopped = await coLlmDecode({
      base,
      assistant,
      prompt: task.prompt,
      policy,
      stop: [" is"],
    });
    expect(stopped).toMatchObject({ text: " The answer", finishReason: "stop" });
    expect(stopped.usage.assistant.calls).toBe(0);
    const controller = new AbortController();
    const aborted = coLlmDecode({
      base,
      assistant,
      prompt: task.prompt,
      policy,
      signal: controller.signal,
      onToken: () => controller.abort(new Error("enough")),
    });
    await expect(aborted).rejects.toThrow("enough");
  });

  it("refuses two models with different vocabularies, naming the first differing token", async () => {
    const { fixture, base } = pair("standard");
    const error = await coLlmDecode({
      base,
      assistant: toy,
      prompt: fixture.tasks[0]!.prompt,
      policy: { kind: "base" },
    }).catch((caught: unknown) => caught);
    expect(VocabularyMismatchError.isInstance(error)).toBe(true);
    const mismatch = error as VocabularyMismatchError;
    const id = fixture.tokens.findIndex((text, index) => text !== toy.vocabulary[index]);
    expect(mismatch).toMatchObject({
      tokenId: id,
      baseText: fixture.tokens[id],
      assistantText: toy.vocabulary[id],
    });
    expect(mismatch.message).toContain(`token ${id}`);
  });

  it("says how to fix a gated base loaded without hidden states", async () => {
    const current = pair("standard");
    const gate = { ...handGate(current), baseModel: current.fixture.names.assistant };
    await expect(
      coLlmDecode({
        base: current.assistant,
        assistant: current.base,
        prompt: current.fixture.tasks[0]!.prompt,
        policy: { kind: "gate", gate },
      }),
    ).rejects.toThrow("`hiddenStates: true`");
  });

  it("refuses a gate fitted on another base, naming both", async () => {
    const current = pair("standard");
    const other = pair("uncertain");
    const error = await coLlmDecode({
      base: current.base,
      assistant: current.assistant,
      prompt: current.fixture.tasks[0]!.prompt,
      policy: { kind: "gate", gate: handGate(other) },
    }).catch((caught: unknown) => caught);
    expect(GateMismatchError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('"colm-base-uncertain"');
    expect((error as Error).message).toContain('"colm-base-standard"');
  });
});
