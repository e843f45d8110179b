import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  generateMtBench,
  type MtBenchTurnRequest,
} from "../../../../src/eval/mt-bench/generate.js";
import { judgeMtBench } from "../../../../src/eval/mt-bench/judge.js";
import { readMtBenchJudgments } from "../../../../src/eval/mt-bench/judgments-file.js";
import { readMtBenchAnswers } from "../../../../src/eval/mt-bench/answers-file.js";
import { reportMtBench, reportMtBenchFile } from "../../../../src/eval/mt-bench/report.js";
import {
  loadMtBenchQuestions,
  type MtBenchQuestion,
} from "../../../../src/eval/mt-bench/questions.js";
import {
  mtBenchTemperature,
  MT_BENCH_TEMPERATURES,
} from "../../../../src/eval/mt-bench/temperatures.js";
import { FakeChatModel } from "../../../../src/testing/fake-chat-model.js";

let questions: MtBenchQuestion[];
beforeAll(async () => {
  const all = await loadMtBenchQuestions();
  expect(all).toHaveLength(80);
  // One question per category: writing, roleplay, reasoning, math, coding, extraction, stem, humanities.
  questions = [...new Map(all.map((question) => [question.category, question])).values()];
});

async function directory(): Promise<string> {
  return mkdtemp(join(tmpdir(), "moa-mt-bench-"));
}

describe("mtBenchTemperature", () => {
  it.each(Object.entries(MT_BENCH_TEMPERATURES))(
    "uses FastChat's %s temperature",
    (category, temperature) => {
      expect(mtBenchTemperature(category)).toBe(temperature);
    },
  );
  it("defaults unknown categories to 0.7", () => {
    expect(mtBenchTemperature("poetry")).toBe(0.7);
  });
});

describe("generateMtBench", () => {
  it("answers turn by turn with the previous final answer in the history", async () => {
    const out = join(await directory(), "model_answer", "moa.jsonl");
    const requests: MtBenchTurnRequest[] = [];
    const summary = await generateMtBench({
      modelId: "moa",
      out,
      questions,
      generate: async (request) => {
        requests.push(request);
        return {
          output: `final answer ${request.question.question_id}.${request.turn}`,
          usage: { inputTokens: 2, outputTokens: 3 },
        };
      },
    });
    expect(summary.succeeded).toBe(8);
    const second = requests.find(
      (request) => request.turn === 2 && request.question.category === "math",
    )!;
    expect(second.temperature).toBe(0);
    expect(second.messages.map((message) => [message._getType(), message.content])).toEqual([
      ["human", second.question.turns[0]],
      ["ai", `final answer ${second.question.question_id}.1`],
      ["human", second.question.turns[1]],
    ]);
    expect(requests.find((request) => request.question.category === "writing")!.temperature).toBe(
      0.7,
    );

    const answers = await readMtBenchAnswers(out);
    expect(answers.map((answer) => answer.question_id)).toEqual(
      questions.map((question) => question.question_id),
    );
    expect(answers[0]).toMatchObject({
      model_id: "moa",
      choices: [{ index: 0, turns: [expect.any(String), expect.any(String)] }],
    });
    expect(typeof answers[0]!.answer_id).toBe("string");
    expect(summary.usage).toEqual({ inputTokens: 32, outputTokens: 48 });
  });

  it("retries a question whose second turn failed, from the first turn", async () => {
    const out = join(await directory(), "moa.jsonl");
    let failOnce = true;
    const turns: string[] = [];
    const generate = async (request: MtBenchTurnRequest) => {
      turns.push(`${request.question.question_id}.${request.turn}`);
      if (
        request.turn === 2 &&
        failOnce &&
        request.question.question_id === questions[0]!.question_id
      ) {
        failOnce = false;
        throw new Error("context length exceeded");
      }
      return { output: "ok" };
    };
    const first = await generateMtBench({
      modelId: "moa",
      out,
      questions: questions.slice(0, 2),
      generate,
    });
    expect(first.failures.map((failure) => failure.id)).toEqual([
      String(questions[0]!.question_id),
    ]);
    turns.length = 0;
    await generateMtBench({ modelId: "moa", out, questions: questions.slice(0, 2), generate });
    expect(turns).toEqual([`${questions[0]!.question_id}.1`, `${questions[0]!.question_id}.2`]);
  });
});

describe("judgeMtBench", () => {
  it("judges both turns with FastChat's prompts and writes FastChat judgments", async () => {
    const dir = await directory();
    const answersPath = join(dir, "moa.jsonl");
    await generateMtBench({
      modelId: "moa",
      out: answersPath,
      questions,
      generate: async ({ turn }) => ({ output: `answer ${turn}` }),
    });
    const judge = new FakeChatModel({
      model: "gpt-4",
      reply: ({ messages }) => {
        const user = String(messages[1]!.content);
        return user.includes("<|The Start of Assistant A's Conversation with User|>")
          ? "Good follow-up. Rating: [[7]]"
          : "Solid. Rating: [[9]]";
      },
    });
    const out = join(dir, "gpt-4_single.jsonl");
    const summary = await judgeMtBench({
      answers: answersPath,
      questions,
      judge,
      out,
      concurrency: 3,
    });
    expect(summary.succeeded).toBe(16);
    expect(judge.recorder.count).toBe(16);
    const judgments = await readMtBenchJudgments(out);
    expect(judgments.filter((judgment) => judgment.turn === 1)).toHaveLength(8);
    const math2 = judgments.find(
      (judgment) =>
        judgment.turn === 2 &&
        judgment.question_id === questions.find((q) => q.category === "math")!.question_id,
    )!;
    expect(math2).toMatchObject({
      model: "moa",
      judge: ["gpt-4", "single-math-v1-multi-turn"],
      score: 7,
    });
    expect(math2.user_prompt).toContain("<|The Start of Reference Answer|>");
    expect(judge.recorder.calls[0]!.messages[0]!._getType()).toBe("system");

    const report = reportMtBench(judgments, questions);
    expect(report).toMatchObject({ model: "moa", score: 8, turn1: 9, turn2: 7, n_judgments: 16 });
    expect(Object.keys(report.by_category)).toHaveLength(8);
    expect(report).toMatchObject({ n_questions: 8, n_questions_total: 8 });
    // Without `questions`, the file is reported against the 80 vendored questions.
    expect(await reportMtBenchFile(out)).toEqual({ ...report, n_questions_total: 80 });

    // A rerun skips everything; only the judgments whose prompt changed are redone.
    const rerun = await judgeMtBench({ answers: answersPath, questions, judge, out });
    expect(rerun.skipped).toBe(16);
    expect(judge.recorder.count).toBe(16);
    const answers = await readMtBenchAnswers(answersPath);
    answers[0]!.choices[0]!.turns[1] = "a revised second answer";
    const revised = await judgeMtBench({ answers, questions, judge, out });
    expect(revised.skipped).toBe(15);
    expect(judge.recorder.count).toBe(17);
  });
});
