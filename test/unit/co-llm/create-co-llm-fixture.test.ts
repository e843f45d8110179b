// The fixtures' closed form: what each model writes at every position, computed from the
// weights alone (the integration test checks llama.cpp computes the same).
import { describe, expect, it } from "vitest";
import {
  CO_LLM_FIXTURE_DIMENSIONS,
  CO_LLM_FIXTURE_VARIANTS,
  createCoLlmFixture,
  type CoLlmFixture,
} from "../../../src/co-llm/fixtures/create-co-llm-fixture.js";
import { InvalidArgumentError } from "../../../src/errors/invalid-argument-error.js";

function softmax(logits: Float64Array): Float64Array {
  const max = Math.max(...logits);
  const exps = logits.map((logit) => Math.exp(logit - max));
  const sum = exps.reduce((total, value) => total + value, 0);
  return exps.map((value) => value / sum);
}

const argmax = (values: Float64Array) => values.indexOf(Math.max(...values));

/** Greedy continuation of one model from the closed form, until EOS. */
function continuation(fixture: CoLlmFixture, model: "base" | "assistant", prompt: string) {
  const tokens = fixture.tokenize(prompt);
  const generated: string[] = [];
  for (let step = 0; step < 10; step++) {
    const next = argmax(fixture.forward(model, tokens).logits);
    if (next === fixture.endOfSequenceToken) break;
    generated.push(fixture.tokens[next]!);
    tokens.push(next);
  }
  return generated.join("").replaceAll("▁", " ");
}

describe("createCoLlmFixture", () => {
  it("is deterministic for a seed and small", () => {
    const first = createCoLlmFixture({ seed: 5 });
    const again = createCoLlmFixture({ seed: 5 });
    expect(Buffer.from(again.base).equals(Buffer.from(first.base))).toBe(true);
    expect(again.tasks).toEqual(first.tasks);
    expect(createCoLlmFixture({ seed: 6 }).tasks).not.toEqual(first.tasks);
    expect(first.base.length).toBeLessThan(1_000_000);
    expect(first.tasks).toHaveLength(20);
    expect(first.names).toEqual({
      base: "colm-base-standard",
      assistant: "colm-assistant-standard",
    });
  });

  it("splits the tasks 60/20/20 without overlap, each operand in one question only", () => {
    const fixture = createCoLlmFixture({ questions: 20, seed: 2 });
    const { train, validation, heldOut } = fixture.split;
    expect([train.length, validation.length, heldOut.length]).toEqual([12, 4, 4]);
    const prompts = [...train, ...validation, ...heldOut].map((task) => task.prompt);
    expect(new Set(prompts).size).toBe(20);
    const operands = fixture.tasks.flatMap((task) => task.operands);
    expect(new Set(operands).size).toBe(40);
    for (const task of fixture.tasks) {
      const [a, b] = task.operands;
      expect(task).toMatchObject({
        prompt: `What is ${a} times ${b}?`,
        answer: String(a * b),
        reference: ` The answer is ${a * b}.`,
        baseAnswer: String(a * (b + 1)),
      });
    }
  });

  it.each(CO_LLM_FIXTURE_VARIANTS)(
    "%s: the base writes the scaffolding and a wrong answer, the assistant the right one",
    (variant) => {
      const fixture = createCoLlmFixture({ variant, questions: 8, seed: 1 });
      for (const task of fixture.tasks) {
        expect(continuation(fixture, "base", task.prompt)).toBe(
          ` The answer is ${task.baseAnswer}.`,
        );
        expect(continuation(fixture, "assistant", task.prompt)).toBe(task.reference);
      }
    },
  );

  it.each([
    ["standard", 0.9, 0.05, 0.99],
    ["uncertain", 0.45, 0.4, 0.99],
    ["confidently-wrong", 0.999, 0, 0.9],
  ] as const)(
    "%s: at the answer token the base gives wrong %f, right %f; the assistant right %f",
    (variant, baseWrong, baseRight, assistantRight) => {
      const fixture = createCoLlmFixture({ variant, questions: 6, seed: 4 });
      for (const task of fixture.tasks) {
        const prefix = fixture.tokenize(`${task.prompt} The answer is`);
        const base = softmax(fixture.forward("base", prefix).logits);
        const assistant = softmax(fixture.forward("assistant", prefix).logits);
        const id = (answer: string) => fixture.tokens.indexOf(`▁${answer}`);
        expect(base[id(task.baseAnswer)]).toBeCloseTo(baseWrong, 6);
        expect(base[id(task.answer)]).toBeCloseTo(baseRight, 4);
        expect(assistant[id(task.answer)]).toBeCloseTo(assistantRight, 6);
      }
    },
  );

  it("marks exactly the answer positions with the shared hard feature", () => {
    const fixture = createCoLlmFixture({ questions: 10, seed: 9 });
    for (const task of fixture.tasks) {
      const tokens = fixture.tokenize(task.prompt + task.reference);
      const prompt = fixture.tokenize(task.prompt).length;
      for (let end = prompt; end <= tokens.length; end++) {
        const { hidden } = fixture.forward("base", tokens.slice(0, end));
        const nextIsAnswer = fixture.tokens[tokens[end] ?? -1] === `▁${task.answer}`;
        expect(hidden[CO_LLM_FIXTURE_DIMENSIONS.hard]! > 1).toBe(nextIsAnswer);
        if (!nextIsAnswer) expect(hidden[CO_LLM_FIXTURE_DIMENSIONS.hard]).toBe(0);
        expect(hidden[CO_LLM_FIXTURE_DIMENSIONS.constant]).toBeGreaterThan(1);
      }
    }
  });

  it.each([
    [{ questions: 0 }, "questions"],
    [{ questions: 50 }, "questions"],
    [{ questions: 2.5 }, "questions"],
    [{ variant: "sure" as never }, "variant"],
  ])("refuses %j", (params, parameter) => {
    try {
      createCoLlmFixture(params);
      expect.unreachable();
    } catch (error) {
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as InvalidArgumentError).parameter).toBe(parameter);
    }
  });
});
