import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { modelName } from "../../models/model-name.js";
import { checkJudgeModel, invokeJudge } from "../judge-call.js";
import { openJudgeCache, type JudgeCacheOption } from "../judge-cache-option.js";
import { createJsonlStore } from "../stages/stage-store.js";
import {
  pickStageOptions,
  runStage,
  type StageOptions,
  type StageSummary,
} from "../stages/run-stage.js";
import {
  loadMtBenchReferenceAnswers,
  readMtBenchAnswers,
  type MtBenchAnswer,
} from "./answers-file.js";
import {
  buildMtBenchJudgeRequest,
  loadMtBenchJudgePrompts,
  type MtBenchJudgePrompt,
} from "./judge-prompts.js";
import { loadMtBenchQuestions, type MtBenchQuestion } from "./questions.js";
import type { MtBenchJudgment } from "./judgments-file.js";
import { parseMtBenchScore } from "./score-parser.js";
import { valueOrFile } from "../io/value-or-file.js";

/** Parameters of {@link judgeMtBench}. */
export interface JudgeMtBenchParams extends StageOptions {
  /** The model's answers (FastChat JSONL) or their path. */
  answers: readonly MtBenchAnswer[] | string;
  /** The judge, configured with `MT_BENCH_JUDGE_SETTINGS` (gpt-4, temperature 0, 2048 tokens). */
  judge: BaseChatModel;
  /** The judgments file (FastChat JSONL). */
  out: string;
  /** Name recorded in `judge[0]`. @default the judge model's name */
  judgeName?: string;
  /** Questions or their path. @default vendored */
  questions?: readonly MtBenchQuestion[] | string;
  /** Judge prompts or their path. @default vendored */
  judgePrompts?: ReadonlyMap<string, MtBenchJudgePrompt> | string;
  /** GPT-4 reference answers or their path. @default vendored */
  referenceAnswers?: ReadonlyMap<number, MtBenchAnswer> | string;
  /** Judgment cache. @default `<out>.cache.jsonl` */
  cache?: JudgeCacheOption;
}

interface Match {
  question: MtBenchQuestion;
  answer: MtBenchAnswer;
  turn: 1 | 2;
}

/**
 * MT-Bench single-answer grading, as FastChat's `gen_judgment.py --mode single`: every answered
 * question is judged twice — turn 1 with `single-v1` / `single-math-v1`, turn 2 with their
 * `-multi-turn` variants (the reference answer is included for math, reasoning and coding) —
 * and the rating is parsed with FastChat's regexes. Resumable; one record per (question, turn).
 *
 * @example
 * ```ts
 * const judge = new ChatOpenAI({ ...MT_BENCH_JUDGE_SETTINGS });
 * await judgeMtBench({ answers: "runs/mt-bench/model_answer/moa.jsonl", judge, out: "runs/mt-bench/gpt-4_single.jsonl" });
 * ```
 */
export async function judgeMtBench(
  params: JudgeMtBenchParams,
): Promise<StageSummary<MtBenchJudgment>> {
  checkJudgeModel(params.judge);
  const [answers, questions, judgePrompts, referenceAnswers, cache] = await Promise.all([
    valueOrFile(params.answers, readMtBenchAnswers),
    valueOrFile(params.questions, loadMtBenchQuestions),
    valueOrFile(params.judgePrompts, loadMtBenchJudgePrompts),
    valueOrFile(params.referenceAnswers, loadMtBenchReferenceAnswers),
    openJudgeCache(params.cache, params.out),
  ]);
  const judgeName = params.judgeName ?? modelName(params.judge);
  const answerByQuestion = new Map(answers.map((answer) => [answer.question_id, answer]));
  const matches: Match[] = [];
  for (const turn of [1, 2] as const) {
    for (const question of questions) {
      const answer = answerByQuestion.get(question.question_id);
      if (answer && (answer.choices[0]?.turns.length ?? 0) >= turn)
        matches.push({ question, answer, turn });
    }
  }
  const idOf = (questionId: number, model: string, turn: number) =>
    `${model}#${questionId}#${turn}`;
  const requestFor = (match: Match) => {
    const referenceAnswer = referenceAnswers.get(match.question.question_id);
    return buildMtBenchJudgeRequest({
      question: match.question,
      answerTurns: match.answer.choices[0]?.turns ?? [],
      turn: match.turn,
      judgePrompts,
      ...(referenceAnswer ? { referenceAnswer } : {}),
    });
  };

  return runStage<Match, MtBenchJudgment>({
    ...pickStageOptions(params),
    stage: "mt-bench judge",
    items: matches,
    idOf: (match) => idOf(match.question.question_id, match.answer.model_id, match.turn),
    recordId: (judgment) => idOf(judgment.question_id, judgment.model, judgment.turn),
    store: createJsonlStore(params.out),
    isCurrent: (judgment, match) => judgment.user_prompt === requestFor(match).userPrompt,
    execute: async (match, { signal }) => {
      const request = requestFor(match);
      const { reply, cached } = await invokeJudge({
        model: params.judge,
        messages: request.messages,
        signal,
        ...(cache ? { cache } : {}),
      });
      return {
        record: {
          question_id: match.question.question_id,
          model: match.answer.model_id,
          judge: [judgeName, request.promptName],
          user_prompt: request.userPrompt,
          judgment: reply.text,
          score: parseMtBenchScore(reply.text),
          turn: match.turn,
          tstamp: Date.now() / 1000,
        },
        ...(!cached && reply.usage ? { usage: reply.usage } : {}),
        cached,
      };
    },
  });
}
