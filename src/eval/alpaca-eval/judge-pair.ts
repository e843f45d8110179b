import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { invokeJudge, type JudgeReply } from "../judge-call.js";
import type { JudgmentCache } from "../stages/judgment-cache.js";
import { JudgeReplyError } from "../judge-reply-error.js";
import { buildAlpacaEvalJudgeMessages } from "./judge-prompt.js";
import { firstTokenTopLogprobs, preferenceFromLogprobs } from "./logprob-parser.js";
import { isSwitchedOutputs } from "./position-switch.js";

/** One AlpacaEval comparison: the baseline's output (1) against the evaluated model's (2). */
export interface AlpacaEvalPair {
  instruction: string;
  output_1: string;
  output_2: string;
}

/** The judge's verdict on one pair. */
export interface AlpacaEvalPairJudgment {
  /** In [1, 2]; 2 = the evaluated model (output_2) wins; NaN when the judge named neither. */
  preference: number;
  isSwitched: boolean;
  /** `undefined` for identical outputs (a draw without a judge call). */
  reply?: JudgeReply;
  cached: boolean;
}

/**
 * Judges one pair exactly as AlpacaEval 2.0 does: identical outputs are a draw without a call;
 * otherwise the official position switch for the instruction, the `alpaca_eval_clf.txt` prompt,
 * and preference = 2 − P(m) from the first token's top logprobs, with the switch applied.
 */
export async function judgeAlpacaEvalPair(params: {
  judge: BaseChatModel;
  template: string;
  pair: AlpacaEvalPair;
  seed?: number;
  cache?: JudgmentCache;
  signal?: AbortSignal;
}): Promise<AlpacaEvalPairJudgment> {
  const { pair } = params;
  const isSwitched = isSwitchedOutputs(pair.instruction, params.seed ?? 0);
  if (pair.output_1 === pair.output_2) return { preference: 1.5, isSwitched, cached: false };
  const messages = buildAlpacaEvalJudgeMessages(params.template, {
    instruction: pair.instruction,
    output_1: isSwitched ? pair.output_2 : pair.output_1,
    output_2: isSwitched ? pair.output_1 : pair.output_2,
  });
  const { reply, cached } = await invokeJudge({
    model: params.judge,
    messages,
    ...(params.signal ? { signal: params.signal } : {}),
    ...(params.cache ? { cache: params.cache } : {}),
  });
  if (firstTokenTopLogprobs(reply.logprobs) === undefined) {
    throw new JudgeReplyError({
      benchmark: "alpaca-eval",
      message:
        "The judge reply has no top logprobs (`response_metadata.logprobs.content[0].top_logprobs`). Construct the judge with `logprobs: true, topLogprobs: 5, maxTokens: 1` (ALPACA_EVAL_JUDGE_SETTINGS).",
    });
  }
  return {
    preference: preferenceFromLogprobs(reply.logprobs, { isSwitched }),
    isSwitched,
    reply,
    cached,
  };
}
