import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { beforeAll, describe, expect, it } from "vitest";
import {
  buildMtBenchJudgeRequest,
  loadMtBenchJudgePrompts,
  mtBenchJudgePromptName,
  type MtBenchJudgePrompt,
} from "../../../../src/eval/mt-bench/judge-prompts.js";
import {
  loadMtBenchQuestions,
  type MtBenchQuestion,
} from "../../../../src/eval/mt-bench/questions.js";
import {
  loadMtBenchReferenceAnswers,
  type MtBenchAnswer,
} from "../../../../src/eval/mt-bench/answers-file.js";
import { parseJsonl } from "../../../../src/eval/io/jsonl-file.js";
import { sharedDataPath } from "../shared-data.js";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

// Answers with braces and `$` patterns: str.format must insert them verbatim.
const answerTurns = (id: number) => [
  `Answer one to ${id}: use {question} and {{braces}} $& literally.\n\n- item`,
  `Second answer for ${id} with \\n escapes and 'quotes'.`,
];

let prompts: Map<string, MtBenchJudgePrompt>;
let upstreamPrompts: Map<string, MtBenchJudgePrompt>;
let questions: Map<number, MtBenchQuestion>;
let references: Map<number, MtBenchAnswer>;

beforeAll(async () => {
  prompts = await loadMtBenchJudgePrompts();
  upstreamPrompts = new Map(
    parseJsonl<MtBenchJudgePrompt>(
      await readFile(sharedDataPath("mt_bench", "judge_prompts.jsonl"), "utf8"),
    ).map((prompt) => [prompt.name, prompt]),
  );
  questions = new Map(
    (await loadMtBenchQuestions()).map((question) => [question.question_id, question]),
  );
  references = await loadMtBenchReferenceAnswers();
});

describe("MT-Bench judge requests", () => {
  it("loads the upstream judge prompts unchanged", () => {
    expect([...prompts.keys()]).toEqual([...upstreamPrompts.keys()]);
    expect(prompts.get("single-math-v1-multi-turn")).toEqual(
      upstreamPrompts.get("single-math-v1-multi-turn"),
    );
  });

  it.each([
    ["writing", 1, "single-v1"],
    ["writing", 2, "single-v1-multi-turn"],
    ["math", 1, "single-math-v1"],
    ["reasoning", 2, "single-math-v1-multi-turn"],
    ["coding", 1, "single-math-v1"],
    ["humanities", 2, "single-v1-multi-turn"],
  ] as const)("uses FastChat's prompt for %s turn %i: %s", (category, turn, name) => {
    expect(mtBenchJudgePromptName(category, turn)).toBe(name);
  });

  // Digests of FastChat's `run_judge_single` formatting (Python str.format) of the same inputs.
  it.each([
    [81, 1, "single-v1", "2be2da9f956b3016ea2b8c3a312be020d7f580a1b3ace4cef7cfd7f98fbcd3bf"],
    [
      81,
      2,
      "single-v1-multi-turn",
      "7e2d3184a443baef9688f302417f0982c9fb44a2e97d6052ad8aad0c5c280685",
    ],
    [101, 1, "single-math-v1", "85c5df72872fc91fc4a81c712eddc9a24041d8673a760426b284ceeda52877d8"],
    [
      101,
      2,
      "single-math-v1-multi-turn",
      "0f07f27765a1a60c4c42b3741cee971693d88bc75dd330db8578c3043fe145f8",
    ],
    [111, 1, "single-math-v1", "af14a07a664aa77659ef2ebdb1948da4721cb293c6ebb2363758570da067f841"],
    [
      111,
      2,
      "single-math-v1-multi-turn",
      "e5b79e1a89e26796f5707af547495dffb89ef0b316ec913f5785290f415a1991",
    ],
    [125, 1, "single-math-v1", "2f692b50a5c6d32a9bd3862f5ff2fcb09dba0d311794029e15722b220b551cb4"],
    [
      125,
      2,
      "single-math-v1-multi-turn",
      "df00d7e06aea9c495ec82d15f93bfb62f104b2ffd24c6f64a9e80f7be9f3aff9",
    ],
    [160, 1, "single-v1", "12395ef65719edd35c8a200771a5384682dd4c49f864a9f69823f1a2d166c5b2"],
    [
      160,
      2,
      "single-v1-multi-turn",
      "c56ccd75bb1c4d4c258c3d253c058077d538b008865c61e3ba37fe3357db7726",
    ],
  ] as const)(
    "formats question %i turn %i (%s) byte for byte as FastChat",
    (id, turn, name, digest) => {
      const question = questions.get(id)!;
      const request = buildMtBenchJudgeRequest({
        question,
        answerTurns: answerTurns(id),
        turn,
        judgePrompts: prompts,
        ...(references.has(id) ? { referenceAnswer: references.get(id)! } : {}),
      });
      expect(request.promptName).toBe(name);
      expect(sha256(request.userPrompt)).toBe(digest);

      // Built directly from the upstream file: each `{field}` replaced by its value.
      const upstream = upstreamPrompts.get(name)!;
      const reference = references.get(id)?.choices[0]!.turns ?? [];
      const [first, second] = answerTurns(id);
      const values: Record<string, string> = {
        question: question.turns[0]!,
        answer: first!,
        question_1: question.turns[0]!,
        question_2: question.turns[1]!,
        answer_1: first!,
        answer_2: second!,
        ref_answer_1: reference[0] ?? "",
        ref_answer_2: reference[1] ?? "",
      };
      const expected = upstream.prompt_template.replace(
        /\{(\w+)\}/g,
        (_match, field: string) => values[field]!,
      );
      expect(request.userPrompt).toBe(expected);
      expect(request.messages).toEqual([
        { role: "system", content: upstream.system_prompt },
        { role: "user", content: expected },
      ]);
    },
  );

  it("includes both reference turns for reference-based categories", () => {
    const question = questions.get(101)!;
    const reference = references.get(101)!;
    const request = buildMtBenchJudgeRequest({
      question,
      answerTurns: answerTurns(101),
      turn: 2,
      judgePrompts: prompts,
      referenceAnswer: reference,
    });
    expect(request.userPrompt).toContain(reference.choices[0]!.turns[0]!);
    expect(request.userPrompt).toContain(reference.choices[0]!.turns[1]!);
  });

  it("asks for the reference answers when a math question has none", () => {
    expect(() =>
      buildMtBenchJudgeRequest({
        question: questions.get(111)!,
        answerTurns: answerTurns(111),
        turn: 1,
        judgePrompts: prompts,
      }),
    ).toThrow(/reference answer/);
  });
});
