import { describe, expect, it } from "vitest";
import { reportMtBench } from "../../../../src/eval/mt-bench/report.js";
import type { MtBenchJudgment } from "../../../../src/eval/mt-bench/judgments-file.js";
import type { MtBenchQuestion } from "../../../../src/eval/mt-bench/questions.js";

const questions: MtBenchQuestion[] = [
  { question_id: 81, category: "writing", turns: ["a", "b"] },
  { question_id: 101, category: "math", turns: ["c", "d"] },
];
const judgment = (
  question_id: number,
  turn: number,
  score: number,
  model = "moa",
): MtBenchJudgment => ({
  question_id,
  model,
  judge: ["gpt-4", turn === 1 ? "single-v1" : "single-v1-multi-turn"],
  user_prompt: "",
  judgment: "",
  score,
  turn,
  tstamp: 0,
});

describe("reportMtBench", () => {
  it("averages both turns, each turn and each category, dropping −1", () => {
    const report = reportMtBench(
      [
        judgment(81, 1, 9),
        judgment(81, 2, 7),
        judgment(101, 1, 4),
        judgment(101, 2, -1),
        judgment(81, 1, 1, "other"),
      ],
      questions,
      { model: "moa" },
    );
    expect(report).toEqual({
      model: "moa",
      score: 20 / 3,
      turn1: 6.5,
      turn2: 7,
      by_category: { writing: 8, math: 4 },
      n_judgments: 3,
      n_dropped: 1,
      n_questions: 2,
      n_questions_total: 2,
    });
  });

  it("counts the questions with a valid judgment out of the benchmark's questions", () => {
    const report = reportMtBench([judgment(81, 1, 9), judgment(101, 1, -1)], questions);
    expect(report).toMatchObject({ n_questions: 1, n_questions_total: 2, n_judgments: 1 });
  });

  it("asks which model to report when the judgments cover several", () => {
    expect(() =>
      reportMtBench([judgment(81, 1, 9), judgment(81, 1, 1, "other")], questions),
    ).toThrow(/pass `model`/);
  });
});
