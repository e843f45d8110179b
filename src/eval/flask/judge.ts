import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { checkJudgeModel, invokeJudge } from "../judge-call.js";
import { openJudgeCache, type JudgeCacheOption } from "../judge-cache-option.js";
import { createJsonlStore } from "../stages/stage-store.js";
import {
  pickStageOptions,
  runStage,
  type StageOptions,
  type StageSummary,
} from "../stages/run-stage.js";
import { readFlaskAnswers, type FlaskAnswer } from "./answers-file.js";
import { loadFlaskInstances, type FlaskInstance } from "./instances.js";
import {
  buildFlaskJudgeRequest,
  loadFlaskJudgePrompt,
  type FlaskJudgePrompt,
} from "./judge-prompt.js";
import { parseFlaskScores, type FlaskScoreValue } from "./score-parser.js";
import { loadFlaskSkills, type FlaskSkill } from "./skills.js";
import { valueOrFile } from "../io/value-or-file.js";

/** One FLASK review, in `gpt4_eval.py`'s output layout: the instance plus the judge's review. */
export type FlaskReview = FlaskInstance & {
  /** The evaluated answer. */
  target_txt: string;
  /** The judge's full review text. */
  review: string;
  /** Scores parsed from the review's last dictionary (see `parseFlaskScores`). */
  score: Record<string, FlaskScoreValue>;
  /** Tokens of the judge call (upstream's `total_tokens_step4`), when reported. */
  total_tokens_step4?: number;
};

/** Parameters of {@link judgeFlask}. */
export interface JudgeFlaskParams extends StageOptions {
  /** The answers (`{question_id, text}`) or their path. */
  answers: readonly FlaskAnswer[] | string;
  /** FLASK instances or the path of `flask_evaluation.jsonl`. */
  instances: readonly FlaskInstance[] | string;
  /** Skill rubrics or the path of `skillset_description.json`. */
  skills: readonly FlaskSkill[] | string;
  /** The judge prompt or the path of `judge_prompt.jsonl` (prompt 2 is used). */
  prompt: FlaskJudgePrompt | string;
  /** The judge, configured with `FLASK_JUDGE_SETTINGS` (gpt-4-0613, temperature 0, 1024 tokens). */
  judge: BaseChatModel;
  /** The reviews file (JSONL). */
  out: string;
  /** Judgment cache. @default `<out>.cache.jsonl` */
  cache?: JudgeCacheOption;
}

interface Match {
  instance: FlaskInstance;
  answer: FlaskAnswer;
}

/**
 * FLASK model-based evaluation: each answered instance is reviewed with the rubric prompt (its
 * three skills and the reference answer) and the scores are parsed from the review's last
 * dictionary. Resumable; writes `gpt4_eval.py`-compatible review lines in instance order.
 *
 * @example
 * ```ts
 * const judge = new ChatOpenAI({ ...FLASK_JUDGE_SETTINGS });
 * await judgeFlask({ answers, instances, skills, prompt, judge, out: "runs/flask/reviews.jsonl" });
 * ```
 */
export async function judgeFlask(params: JudgeFlaskParams): Promise<StageSummary<FlaskReview>> {
  checkJudgeModel(params.judge);
  const [answers, instances, skills, prompt, cache] = await Promise.all([
    valueOrFile(params.answers, readFlaskAnswers),
    valueOrFile(params.instances, loadFlaskInstances),
    valueOrFile(params.skills, loadFlaskSkills),
    valueOrFile(params.prompt, loadFlaskJudgePrompt),
    openJudgeCache(params.cache, params.out),
  ]);
  const answerById = new Map(answers.map((answer) => [String(answer.question_id), answer]));
  const matches: Match[] = [];
  for (const instance of instances) {
    const answer = answerById.get(String(instance.idx));
    if (answer) matches.push({ instance, answer });
  }
  return runStage<Match, FlaskReview>({
    ...pickStageOptions(params),
    stage: "flask judge",
    items: matches,
    idOf: (match) => String(match.instance.idx),
    recordId: (review) => String(review.idx),
    store: createJsonlStore(params.out),
    isCurrent: (review, match) => review.target_txt === match.answer.text,
    execute: async (match, { signal }) => {
      const request = buildFlaskJudgeRequest({
        instance: match.instance,
        response: match.answer.text,
        skills,
        prompt,
      });
      const { reply, cached } = await invokeJudge({
        model: params.judge,
        messages: request.messages,
        signal,
        ...(cache ? { cache } : {}),
      });
      const tokens = reply.usage ? reply.usage.inputTokens + reply.usage.outputTokens : undefined;
      return {
        record: {
          ...match.instance,
          target_txt: match.answer.text,
          review: reply.text,
          score: parseFlaskScores(reply.text),
          ...(tokens !== undefined ? { total_tokens_step4: tokens } : {}),
        },
        ...(!cached && reply.usage ? { usage: reply.usage } : {}),
        cached,
      };
    },
  });
}
