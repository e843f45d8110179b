import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { InvalidArgumentError } from "../../errors/index.js";
import { checkJudgeModel } from "../judge-call.js";
import { openJudgeCache, type JudgeCacheOption } from "../judge-cache-option.js";
import { createJsonListStore } from "../stages/stage-store.js";
import {
  pickStageOptions,
  runStage,
  type StageOptions,
  type StageSummary,
} from "../stages/run-stage.js";
import type { AlpacaEvalAnnotation } from "./annotations.js";
import { judgeAlpacaEvalPair } from "./judge-pair.js";
import { loadAlpacaEvalJudgeTemplate } from "./judge-prompt.js";
import { loadAlpacaEvalSet, readAlpacaEvalOutputs, type AlpacaEvalOutput } from "./outputs-file.js";
import { valueOrFile } from "../io/value-or-file.js";

/**
 * The official AlpacaEval 2.0 judge (`weighted_alpaca_eval_gpt4_turbo`): construct the judge as
 * `new ChatOpenAI({ ...ALPACA_EVAL_JUDGE_SETTINGS })` (logprobs are a model field in LangChain,
 * not a call option, so the judge must be built with them).
 */
export const ALPACA_EVAL_JUDGE_SETTINGS = {
  model: "gpt-4-1106-preview",
  temperature: 1,
  maxTokens: 1,
  logprobs: true,
  topLogprobs: 5,
} as const;

/** The annotator name written to every annotation, as upstream. */
export const ALPACA_EVAL_ANNOTATOR = "weighted_alpaca_eval_gpt4_turbo";

/** Parameters of {@link judgeAlpacaEval}. */
export interface JudgeAlpacaEvalParams extends StageOptions {
  /** The evaluated model's outputs, or the path of its `model_outputs.json`. */
  outputs: readonly AlpacaEvalOutput[] | string;
  /** The judge, configured with {@link ALPACA_EVAL_JUDGE_SETTINGS} (logprobs on, top 5, 1 token). */
  judge: BaseChatModel;
  /** The annotations file to write (a JSON list, upstream's `annotations.json` format). */
  out: string;
  /** Reference outputs (`output_1`), or their path. @default the vendored eval set (gpt4_1106_preview) */
  reference?: readonly AlpacaEvalOutput[] | string;
  /** The ChatML judge template text. @default the vendored `alpaca_eval_clf.txt` */
  template?: string;
  /** Annotator seed for position switching. @default 0 (the leaderboard's) */
  seed?: number;
  /** Judgment cache. @default `<out>.cache.jsonl` */
  cache?: JudgeCacheOption;
}

interface Pair {
  instruction: string;
  dataset: string;
  output_1: string;
  generator_1: string;
  output_2: string;
  generator_2: string;
}

/**
 * Judges a model's outputs against the reference with the AlpacaEval 2.0 judge and writes an
 * upstream-compatible `annotations.json`, resumably (see `runStage`). Per pair:
 * - identical outputs are a draw (1.5) without a judge call, as upstream;
 * - the outputs are switched per instruction with upstream's seeded rule (`isSwitchedOutputs`);
 * - the request is the exact `alpaca_eval_clf.txt` prompt as system + user messages;
 * - preference = `2 − P(m)` from the top-5 logprobs, `3 − p` when switched; NaN (stored as null)
 *   when neither `m` nor `M` is among them.
 * Outputs are matched to reference instructions by text (an inner join, in reference order).
 *
 * @example
 * ```ts
 * const judge = new ChatOpenAI({ ...ALPACA_EVAL_JUDGE_SETTINGS });
 * await judgeAlpacaEval({ outputs: "runs/moa/model_outputs.json", judge, out: "runs/moa/annotations.json" });
 * ```
 */
export async function judgeAlpacaEval(
  params: JudgeAlpacaEvalParams,
): Promise<StageSummary<AlpacaEvalAnnotation>> {
  checkJudgeModel(params.judge);
  const fields = params.judge as unknown as { logprobs?: unknown };
  if ("logprobs" in fields && fields.logprobs !== true) {
    throw new InvalidArgumentError({
      parameter: "judge",
      value: "logprobs disabled",
      message:
        "the AlpacaEval judge reads token logprobs; construct it with `logprobs: true, topLogprobs: 5, maxTokens: 1` (see ALPACA_EVAL_JUDGE_SETTINGS).",
    });
  }
  const [outputs, reference, template, cache] = await Promise.all([
    valueOrFile(params.outputs, readAlpacaEvalOutputs),
    valueOrFile(params.reference, loadAlpacaEvalSet),
    params.template === undefined
      ? loadAlpacaEvalJudgeTemplate()
      : Promise.resolve(params.template),
    openJudgeCache(params.cache, params.out),
  ]);
  const generators = new Set(outputs.map((output) => output.generator));
  if (generators.size > 1) {
    throw new InvalidArgumentError({
      parameter: "outputs",
      value: [...generators],
      message: "outputs of several generators were given; judge one model at a time.",
    });
  }
  const byInstruction = new Map(outputs.map((output) => [output.instruction, output]));
  const pairs: Pair[] = [];
  for (const entry of reference) {
    const output = byInstruction.get(entry.instruction);
    if (!output) continue;
    pairs.push({
      instruction: entry.instruction,
      dataset: entry.dataset,
      output_1: entry.output,
      generator_1: entry.generator,
      output_2: output.output,
      generator_2: output.generator,
    });
  }
  if (pairs.length === 0 && outputs.length > 0) {
    throw new InvalidArgumentError({
      parameter: "outputs",
      value: outputs.length,
      message:
        "no output matches a reference instruction; outputs are paired by their exact `instruction` text (generate them from the same eval set).",
    });
  }
  const seed = params.seed ?? 0;

  return runStage<Pair, AlpacaEvalAnnotation>({
    ...pickStageOptions(params),
    stage: "alpaca-eval judge",
    items: pairs,
    idOf: (pair) => pair.instruction,
    recordId: (annotation) => annotation.instruction,
    store: createJsonListStore(params.out),
    isCurrent: (annotation, pair) =>
      annotation.output_1 === pair.output_1 &&
      annotation.output_2 === pair.output_2 &&
      annotation.generator_2 === pair.generator_2,
    execute: async (pair, { signal }) => {
      const base = {
        instruction: pair.instruction,
        output_1: pair.output_1,
        generator_1: pair.generator_1,
        dataset: pair.dataset,
        output_2: pair.output_2,
        generator_2: pair.generator_2,
        annotator: ALPACA_EVAL_ANNOTATOR,
      };
      if (pair.output_1 === pair.output_2) {
        return { record: { ...base, preference: 1.5, raw_completion: null } };
      }
      const started = Date.now();
      const judged = await judgeAlpacaEvalPair({
        judge: params.judge,
        template,
        pair,
        seed,
        signal,
        ...(cache ? { cache } : {}),
      });
      const { preference, isSwitched, cached } = judged;
      const reply = judged.reply!;
      const usage = cached ? undefined : reply.usage;
      const price = usage && params.costOf ? params.costOf(usage) : undefined;
      return {
        record: {
          ...base,
          preference: Number.isNaN(preference) ? null : preference,
          ...(price !== undefined ? { price_per_example: price } : {}),
          time_per_example: cached ? 0 : (Date.now() - started) / 1000,
          raw_completion: {
            logprobs: reply.logprobs,
            text: reply.text,
            is_switched_outputs: isSwitched,
          },
        },
        ...(usage ? { usage } : {}),
        cached,
      };
    },
  });
}
