/**
 * Co-LLM training, step 1 (scoring): teacher-force every training sequence (prompt + gold
 * answer token ids) through both frozen models and keep, per gold answer token, what the later
 * steps need: both models' log P(gold), both argmaxes and the base's hidden state `h_t`.
 * Prompt tokens are masked (not scored).
 *
 * Each model evaluates each token once (one incremental session per sequence), but in one batch
 * per answer position rather than one `controlledEvaluate` over the whole sequence: the hidden
 * state node-llama-cpp 3.22 exposes (see {@link loadLlamaTokenModel}) is that of the last
 * position of a batch only.
 *
 * @module
 */
import { InvalidArgumentError } from "../../errors/invalid-argument-error.js";
import type { TokenModel } from "../token-model.js";
import { assertSameVocabulary } from "../vocabulary.js";

/** One training sequence as token ids (the prompt with its BOS; the gold answer after it). */
export interface TrainingSequence {
  prompt: readonly number[];
  /** Gold answer tokens, each scored; end it with the end-of-generation token to learn it too. */
  answer: readonly number[];
}

/** One gold answer token, teacher-forced through both models. */
export interface ScoredToken {
  /** Index of its sequence in the input. */
  sequence: number;
  /** Its index in the answer. */
  position: number;
  /** The gold token. */
  token: number;
  /** Natural-log probability of the gold token under each model. */
  baseLogProbability: number;
  assistantLogProbability: number;
  /** Each model's argmax at this position, and whether it is the gold token. */
  baseArgmax: number;
  assistantArgmax: number;
  baseIsRight: boolean;
  assistantIsRight: boolean;
  /** The base's final hidden state before the gold token (what the gate reads). */
  hidden: Float32Array;
}

/** Parameters of {@link scoreSequences}. */
export interface ScoreSequencesParams {
  /** The base (its hidden states feed the gate: load it with hidden states). */
  base: TokenModel;
  /** The assistant; must share the base's vocabulary. */
  assistant: TokenModel;
  sequences: readonly TrainingSequence[];
  /** Aborts between sequences. */
  signal?: AbortSignal;
}

/**
 * Teacher-forces `sequences` through both models; one {@link ScoredToken} per answer token, in
 * order.
 *
 * @example
 * ```ts
 * const scored = await scoreSequences({ base, assistant, sequences: [{ prompt, answer }] });
 * scored[3].baseIsRight; // false: the base's argmax before gold token 3 is another token
 * ```
 */
export async function scoreSequences(params: ScoreSequencesParams): Promise<ScoredToken[]> {
  const { base, assistant } = params;
  assertSameVocabulary(base, assistant);
  const scored: ScoredToken[] = [];
  for (const [index, sequence] of params.sequences.entries()) {
    params.signal?.throwIfAborted();
    if (sequence.prompt.length === 0 || sequence.answer.length === 0) {
      throw new InvalidArgumentError({
        parameter: `sequences[${index}]`,
        value: { promptTokens: sequence.prompt.length, answerTokens: sequence.answer.length },
        message: `\`sequences[${index}]\` needs at least one prompt token (the BOS) and one answer token.`,
      });
    }
    const [fromBase, fromAssistant] = await Promise.all([
      teacherForce(base, sequence, true),
      teacherForce(assistant, sequence, false),
    ]);
    sequence.answer.forEach((token, position) => {
      const b = fromBase[position]!;
      const a = fromAssistant[position]!;
      if (b.hidden === undefined) {
        throw new Error(
          `the base "${base.identity}" returned no hidden state; load it with hidden states enabled to train a gate on it.`,
        );
      }
      scored.push({
        sequence: index,
        position,
        token,
        baseLogProbability: b.logProbability!,
        assistantLogProbability: a.logProbability!,
        baseArgmax: b.token,
        assistantArgmax: a.token,
        baseIsRight: b.token === token,
        assistantIsRight: a.token === token,
        hidden: b.hidden,
      });
    });
  }
  return scored;
}

/** The distribution before each answer token: the prompt in one batch, then one gold token per batch. */
async function teacherForce(model: TokenModel, sequence: TrainingSequence, hidden: boolean) {
  const session = await model.startSession();
  try {
    const outputs = [];
    let input: readonly number[] = sequence.prompt;
    for (const gold of sequence.answer) {
      outputs.push(await session.append(input, { hidden, logProbabilityOf: gold }));
      input = [gold];
    }
    return outputs;
  } finally {
    await session.dispose();
  }
}
