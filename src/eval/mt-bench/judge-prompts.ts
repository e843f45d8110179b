import { readJsonl } from "../io/jsonl-file.js";
import { vendoredDataPath } from "../data-directory.js";
import { EvalDataError } from "../eval-data-error.js";
import { InvalidArgumentError } from "../../errors/index.js";
import type { JudgeMessage } from "../judge-call.js";
import { formatPythonTemplate } from "../python/format-template.js";
import type { MtBenchAnswer } from "./answers-file.js";
import type { MtBenchQuestion } from "./questions.js";

/** One judge prompt of FastChat's `judge_prompts.jsonl`. */
export interface MtBenchJudgePrompt {
  name: string;
  /** `single` or `pairwise`. */
  type: string;
  system_prompt: string;
  /** A Python `str.format` template. */
  prompt_template: string;
  description: string;
  category: string;
  /** `[[rating]]` for single-answer grading. */
  output_format: string;
}

/** Categories whose judge sees the GPT-4 reference answer (FastChat's `NEED_REF_CATS`). */
export const MT_BENCH_REFERENCE_CATEGORIES: readonly string[] = Object.freeze([
  "math",
  "reasoning",
  "coding",
]);

/**
 * The official MT-Bench judge (single-answer grading): construct it as
 * `new ChatOpenAI({ ...MT_BENCH_JUDGE_SETTINGS })`.
 */
export const MT_BENCH_JUDGE_SETTINGS = { model: "gpt-4", temperature: 0, maxTokens: 2048 } as const;

/**
 * Reads FastChat's judge prompts by name.
 * @default path the vendored `data/mt_bench/judge_prompts.jsonl`
 */
export async function loadMtBenchJudgePrompts(
  path?: string,
): Promise<Map<string, MtBenchJudgePrompt>> {
  const file = path ?? vendoredDataPath("mt_bench", "judge_prompts.jsonl");
  const prompts = await readJsonl<MtBenchJudgePrompt>(file);
  for (const [index, prompt] of prompts.entries()) {
    if (
      typeof prompt?.name !== "string" ||
      typeof prompt.prompt_template !== "string" ||
      typeof prompt.system_prompt !== "string"
    ) {
      throw new EvalDataError({
        file,
        location: `line ${index + 1}`,
        message: "needs `name`, `system_prompt` and `prompt_template`",
      });
    }
  }
  return new Map(prompts.map((prompt) => [prompt.name, prompt]));
}

/**
 * The judge prompt FastChat's `gen_judgment.py --mode single` uses for a question and turn:
 * `single-v1`, or `single-math-v1` for math/reasoning/coding, with `-multi-turn` for turn 2.
 */
export function mtBenchJudgePromptName(category: string, turn: 1 | 2): string {
  const base = MT_BENCH_REFERENCE_CATEGORIES.includes(category) ? "single-math-v1" : "single-v1";
  return turn === 2 ? `${base}-multi-turn` : base;
}

/** Parameters of {@link buildMtBenchJudgeRequest}. */
export interface BuildMtBenchJudgeRequestParams {
  question: MtBenchQuestion;
  /** The evaluated model's answers, one per turn (`choices[0].turns`). */
  answerTurns: readonly string[];
  /** 1 judges the first answer; 2 judges the second answer in the context of the first. */
  turn: 1 | 2;
  /** FastChat's judge prompts by name (see {@link loadMtBenchJudgePrompts}). */
  judgePrompts: ReadonlyMap<string, MtBenchJudgePrompt>;
  /** The GPT-4 reference answer; required for math, reasoning and coding. */
  referenceAnswer?: MtBenchAnswer;
}

/** A judge request and the prompt it was built from. */
export interface MtBenchJudgeRequest {
  /** The judge prompt's name (`single-v1`, …). */
  promptName: string;
  /** The formatted user prompt (stored as `user_prompt` in judgments). */
  userPrompt: string;
  /** System + user messages, as FastChat's `conv.to_openai_api_messages()` sends them. */
  messages: JudgeMessage[];
}

/**
 * Builds the single-answer grading request exactly as FastChat's `run_judge_single`: the
 * template is filled with `str.format` semantics — `question`/`answer` for turn 1,
 * `question_1`, `question_2`, `answer_1`, `answer_2` for turn 2, plus `ref_answer_1` and
 * `ref_answer_2` for reference-based categories — and sent after the prompt's system message.
 *
 * @example
 * ```ts
 * const { messages } = buildMtBenchJudgeRequest({ question, answerTurns, turn: 2, judgePrompts, referenceAnswer });
 * ```
 */
export function buildMtBenchJudgeRequest(
  params: BuildMtBenchJudgeRequestParams,
): MtBenchJudgeRequest {
  const { question, answerTurns, turn } = params;
  const promptName = mtBenchJudgePromptName(question.category, turn);
  const prompt = params.judgePrompts.get(promptName);
  if (!prompt) {
    throw new InvalidArgumentError({
      parameter: "judgePrompts",
      value: promptName,
      message: `has no prompt named \`${promptName}\`.`,
    });
  }
  if (answerTurns.length < turn) {
    throw new InvalidArgumentError({
      parameter: "answerTurns",
      value: answerTurns.length,
      message: `question ${question.question_id} has ${answerTurns.length} answer turn(s); turn ${turn} cannot be judged.`,
    });
  }
  const values: Record<string, string> = {};
  if (MT_BENCH_REFERENCE_CATEGORIES.includes(question.category)) {
    const reference = params.referenceAnswer?.choices?.[0]?.turns;
    if (!reference) {
      throw new InvalidArgumentError({
        parameter: "referenceAnswer",
        value: question.question_id,
        message: `question ${question.question_id} (${question.category}) is judged against a reference answer; pass the GPT-4 reference answers.`,
      });
    }
    values.ref_answer_1 = reference[0] ?? "";
    values.ref_answer_2 = reference[1] ?? "";
  }
  if (turn === 2) {
    values.question_1 = question.turns[0] ?? "";
    values.question_2 = question.turns[1] ?? "";
    values.answer_1 = answerTurns[0] as string;
    values.answer_2 = answerTurns[1] as string;
  } else {
    values.question = question.turns[0] ?? "";
    values.answer = answerTurns[0] as string;
  }
  const userPrompt = formatPythonTemplate(prompt.prompt_template, values);
  return {
    promptName,
    userPrompt,
    messages: [
      { role: "system", content: prompt.system_prompt },
      { role: "user", content: userPrompt },
    ],
  };
}
