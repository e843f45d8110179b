// Training the Co-LLM gate end to end on real node-llama-cpp with the generated fixture: score
// the train split, initialise from weak labels, fit the marginal likelihood, search η on the
// validation split, then decode HELD-OUT questions and compare with the baselines.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isExactMatch } from "../../src/co-llm/answer-metrics.js";
import { coLlmDecode } from "../../src/co-llm/co-llm-decode.js";
import type { DeferralPolicy } from "../../src/co-llm/deferral-policy.js";
import {
  CO_LLM_FIXTURE_DIMENSIONS,
  CO_LLM_FIXTURE_VARIANTS,
  createCoLlmFixture,
  type CoLlmFixture,
  type CoLlmFixtureTask,
  type CoLlmFixtureVariant,
} from "../../src/co-llm/fixtures/create-co-llm-fixture.js";
import { gateProbability } from "../../src/co-llm/gate.js";
import { loadLlamaTokenModel, type LlamaTokenModel } from "../../src/co-llm/llama-token-model.js";
import {
  fitMarginalLikelihood,
  marginalLogLikelihood,
} from "../../src/co-llm/training/fit-marginal-likelihood.js";
import { initializeGate } from "../../src/co-llm/training/initialize-gate.js";
import {
  scoreSequences,
  type TrainingSequence,
} from "../../src/co-llm/training/score-sequences.js";
import { searchThreshold } from "../../src/co-llm/training/search-threshold.js";
import { weakLabels } from "../../src/co-llm/training/weak-labels.js";
import { disposeLocalModels } from "../../src/local/local-models.js";

interface Pair {
  fixture: CoLlmFixture;
  base: LlamaTokenModel;
  assistant: LlamaTokenModel;
}

/** The fixture's probabilities of the right answer (undefined: no constructed logit, tiny). */
const RIGHT_ANSWER: Record<CoLlmFixtureVariant, { base?: number; assistant: number }> = {
  standard: { base: 0.05, assistant: 0.99 },
  uncertain: { base: 0.4, assistant: 0.99 },
  "confidently-wrong": { assistant: 0.9 },
};
const VARIANTS = CO_LLM_FIXTURE_VARIANTS;
let directory: string;
const pairs = new Map<CoLlmFixtureVariant, Pair>();

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), "moa-co-llm-train-"));
  const write = (name: string, bytes: Uint8Array) => {
    const path = join(directory, `${name}.gguf`);
    writeFileSync(path, bytes);
    return path;
  };
  for (const variant of VARIANTS) {
    const fixture = createCoLlmFixture({ variant, questions: 40, seed: 5 });
    pairs.set(variant, {
      fixture,
      base: await loadLlamaTokenModel({
        modelPath: write(fixture.names.base, fixture.base),
        threads: 1,
      }),
      assistant: await loadLlamaTokenModel({
        modelPath: write(fixture.names.assistant, fixture.assistant),
        hiddenStates: false,
        threads: 1,
      }),
    });
  }
});

afterAll(async () => {
  for (const pair of pairs.values()) {
    await pair.base.dispose();
    await pair.assistant.dispose();
  }
  await disposeLocalModels();
  rmSync(directory, { recursive: true, force: true });
});

/** Prompt ids as the decoder tokenizes them; the gold reply after them, ended by EOS. */
function sequenceOf({ fixture, base }: Pair, task: CoLlmFixtureTask): TrainingSequence {
  const prompt = base.tokenize(task.prompt);
  const whole = base.tokenize(task.prompt + task.reference);
  expect(whole.slice(0, prompt.length)).toEqual(prompt);
  return { prompt, answer: [...whole.slice(prompt.length), fixture.endOfSequenceToken] };
}

async function accuracy(
  { base, assistant }: Pair,
  tasks: readonly CoLlmFixtureTask[],
  policy: (index: number) => DeferralPolicy,
) {
  let right = 0;
  let deferred = 0;
  let generated = 0;
  for (const [index, task] of tasks.entries()) {
    const result = await coLlmDecode({
      base,
      assistant,
      prompt: task.prompt,
      policy: policy(index),
      maxTokens: 16,
    });
    if (isExactMatch(result.text, task.answer)) right += 1;
    deferred += result.steps.filter((step) => step.author === "assistant").length;
    generated += result.steps.length;
  }
  return { accuracy: right / tasks.length, deferralRate: deferred / generated };
}

describe("training the Co-LLM gate on the fixture", () => {
  it.each(VARIANTS)(
    "%s: learns a gate on train, picks η on validation, and matches the assistant on held-out questions",
    async (variant) => {
      const pair = pairs.get(variant)!;
      const { fixture, base, assistant } = pair;
      const { train, validation, heldOut } = fixture.split;
      const toSequence = (task: CoLlmFixtureTask) => sequenceOf(pair, task);
      const scored = await scoreSequences({ base, assistant, sequences: train.map(toSequence) });
      // " The answer is N . <eos>": 6 gold tokens per question; only N needs the assistant.
      expect(scored).toHaveLength(train.length * 6);
      const labels = weakLabels(scored);
      scored.forEach((token, index) => {
        const isAnswer = token.position === 3;
        expect(labels[index]).toBe(isAnswer ? 1 : 0);
        if (isAnswer) {
          const expected = RIGHT_ANSWER[variant];
          expect(token.assistantLogProbability).toBeCloseTo(Math.log(expected.assistant), 2);
          if (expected.base === undefined) expect(token.baseLogProbability).toBeLessThan(-3);
          else expect(token.baseLogProbability).toBeCloseTo(Math.log(expected.base), 2);
          expect(token.hidden[CO_LLM_FIXTURE_DIMENSIONS.hard]).toBeGreaterThan(1);
        }
      });

      const initial = initializeGate({ baseModel: base.identity, scored });
      const fitted = fitMarginalLikelihood({ gate: initial, scored });
      expect(marginalLogLikelihood(fitted, scored)).toBeGreaterThan(
        marginalLogLikelihood(initial, scored),
      );
      // The gate fires at the answer and nowhere else on the training tokens.
      for (const token of scored) {
        const g = gateProbability(fitted, token.hidden);
        if (token.position === 3) expect(g).toBeGreaterThan(0.5);
        else expect(g).toBeLessThan(0.5);
      }

      const search = await searchThreshold({
        base,
        assistant,
        gate: fitted,
        validation,
        scored: await scoreSequences({ base, assistant, sequences: validation.map(toSequence) }),
        maxTokens: 16,
      });
      expect(search.table).toHaveLength(11);
      expect(search.table.at(-1)!.source).toBe("youden");
      expect(search.table[0]).toMatchObject({
        targetDeferralRate: 0,
        accuracy: 0,
        deferralRate: 0,
      });
      expect(search.best.accuracy).toBe(1);

      const coLlm = await accuracy(pair, heldOut, () => ({ kind: "gate", gate: search.gate }));
      const assistantAlone = await accuracy(pair, heldOut, () => ({ kind: "assistant" }));
      const baseAlone = await accuracy(pair, heldOut, () => ({ kind: "base" }));
      const greedy = await accuracy(pair, heldOut, () => ({ kind: "greedy" }));
      const random = await accuracy(pair, heldOut, (index) => ({
        kind: "random",
        probability: 0.5,
        seed: index,
      }));
      expect(coLlm.accuracy).toBeGreaterThanOrEqual(assistantAlone.accuracy - 0.05);
      // Only the answer number of " The answer is N . <eos>" is deferred: 1 token of 6.
      expect(coLlm.deferralRate).toBeCloseTo(1 / 6, 6);
      expect(baseAlone.accuracy).toBeLessThanOrEqual(0.2);
      expect(random.accuracy).toBeLessThan(coLlm.accuracy - 0.2);
      // Confidence alone picks the confidently wrong base; the hidden-state gate does not.
      if (variant === "confidently-wrong") expect(greedy.accuracy).toBe(0);
    },
  );
});
