/**
 * Greedy collaborative decoding (Co-LLM, Shen et al. 2024): at each step the base evaluates
 * the sequence so far and gives its argmax and hidden state `h_t`; the policy (the learned gate
 * `sigmoid(w · h_t + b) > η`, or a baseline) decides who writes the token. When the assistant
 * writes, it first catches up on every token it has not seen, in one batch, so each model
 * evaluates each token at most once (their KV caches stay in step with the sequence).
 *
 * @module
 */
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { seededRandom } from "../utils/seeded-random.js";
import type { DeferralPolicy } from "./deferral-policy.js";
import { assertGateFitsBase, gateProbability } from "./gate.js";
import type { NextToken, TokenModel, TokenModelSession } from "./token-model.js";
import { assertSameVocabulary } from "./vocabulary.js";

/** Parameters of {@link coLlmDecode}. */
export interface CoLlmDecodeParams {
  /** The base model: it writes by default, and its hidden state feeds the gate. */
  base: TokenModel;
  /** The assistant (expert) model; must share the base's vocabulary. */
  assistant: TokenModel;
  /** Who writes each token. */
  policy: DeferralPolicy;
  /** The prompt: text (tokenized by the base, BOS added) or token ids (used as given). */
  prompt: string | readonly number[];
  /**
   * Tokens to generate at most (an end-of-generation token counts); the decode also ends
   * (`finishReason: "length"`) when the sequence fills the smaller model context.
   * @default 256
   */
  maxTokens?: number;
  /** Stop when the text contains one of these; the text is cut before it. */
  stop?: readonly string[];
  /** Aborts between steps (the promise rejects with the signal's reason). */
  signal?: AbortSignal;
  /** Called after every generated token, in order (for streaming). */
  onToken?: (step: CoLlmStep) => void;
}

/** One generated token. */
export interface CoLlmStep {
  token: number;
  /** Its text (may be empty: part of a multi-byte character, or an end token). */
  text: string;
  /** The model that wrote it. */
  author: "base" | "assistant";
  /** `g_t` of the gate policy. */
  gate?: number;
  /** Confidence (argmax probability) of each model evaluated at this step. */
  baseConfidence?: number;
  assistantConfidence?: number;
  /** Character offsets of `text` in the result's `text`. */
  start: number;
  end: number;
}

/** Tokens one model evaluated during a decode. */
export interface CoLlmModelUsage {
  /** Tokens evaluated (prompt included), each exactly once. */
  evaluatedTokens: number;
  /** Batches (calls into the model). */
  calls: number;
}

/** What {@link coLlmDecode} returns. */
export interface CoLlmDecodeResult {
  /** Generated token ids (an end-of-generation token included when it ended the decode). */
  tokens: number[];
  /** The generated text (end tokens and anything from a stop sequence on excluded). */
  text: string;
  steps: CoLlmStep[];
  finishReason: "eos" | "stop" | "length";
  /** Share of generated tokens the assistant wrote. */
  deferralRate: number;
  /** Character spans of `text` written by the assistant (adjacent tokens merged). */
  deferredSpans: Array<{ start: number; end: number }>;
  promptTokens: number;
  usage: { base: CoLlmModelUsage; assistant: CoLlmModelUsage };
}

/** A model in the decode: a lazily opened session and how much of the sequence it has seen. */
class Participant {
  private session: TokenModelSession | undefined;
  private seen = 0;
  readonly usage: CoLlmModelUsage = { evaluatedTokens: 0, calls: 0 };

  constructor(readonly model: TokenModel) {}

  /** Evaluates the unseen tail of `sequence` in one batch; the next-token distribution after it. */
  async catchUp(sequence: readonly number[], hidden: boolean): Promise<NextToken> {
    this.session ??= await this.model.startSession();
    const unseen = sequence.slice(this.seen);
    const next = await this.session.append(unseen, { hidden });
    this.seen = sequence.length;
    this.usage.evaluatedTokens += unseen.length;
    this.usage.calls += 1;
    return next;
  }

  async dispose(): Promise<void> {
    await this.session?.dispose();
  }
}

/**
 * Decodes greedily with two models and a deferral policy.
 *
 * @example
 * ```ts
 * const result = await coLlmDecode({
 *   base, assistant, prompt: "What is 3 times 4?",
 *   policy: { kind: "gate", gate }, maxTokens: 64, stop: ["\n\n"],
 * });
 * result.text;          // " The answer is 12."
 * result.deferralRate;  // 0.17: one token of six came from the assistant
 * ```
 */
export async function coLlmDecode(params: CoLlmDecodeParams): Promise<CoLlmDecodeResult> {
  const { base, assistant, policy } = params;
  const maxTokens = params.maxTokens ?? 256;
  if (!Number.isInteger(maxTokens) || maxTokens < 1) {
    throw new InvalidArgumentError({
      parameter: "maxTokens",
      value: maxTokens,
      message: "`maxTokens` is a whole number of tokens, at least 1.",
    });
  }
  if (policy.kind === "random") {
    const probability = policy.probability ?? 0.5;
    if (!(probability >= 0 && probability <= 1)) {
      throw new InvalidArgumentError({
        parameter: "policy.probability",
        value: probability,
        message: "`policy.probability` is a deferral probability from 0 to 1.",
      });
    }
  }
  assertSameVocabulary(base, assistant);
  if (policy.kind === "gate") assertGateFitsBase(policy.gate, base);
  const stop = (params.stop ?? []).filter((text) => text !== "");
  const prompt =
    typeof params.prompt === "string" ? base.tokenize(params.prompt) : [...params.prompt];
  if (prompt.length === 0) {
    throw new InvalidArgumentError({
      parameter: "prompt",
      value: params.prompt,
      message: "`prompt` needs at least one token.",
    });
  }
  // Both models hold the whole sequence; stop at the smaller context instead of letting the
  // engine drop the start of it.
  const contextSize = Math.min(
    base.contextSize ?? Number.POSITIVE_INFINITY,
    assistant.contextSize ?? Number.POSITIVE_INFINITY,
  );
  if (prompt.length >= contextSize) {
    throw new InvalidArgumentError({
      parameter: "prompt",
      value: `${prompt.length} tokens`,
      message: `the prompt is ${prompt.length} tokens but the models hold ${contextSize} (prompt and reply): shorten it, or load the models with a larger \`contextSize\`.`,
    });
  }
  params.signal?.throwIfAborted();

  const random = policy.kind === "random" ? seededRandom(policy.seed ?? 0) : undefined;
  const baseParticipant = new Participant(base);
  const assistantParticipant = new Participant(assistant);
  const sequence = [...prompt];
  const tokens: number[] = [];
  const steps: CoLlmStep[] = [];
  let text = "";
  let finishReason: CoLlmDecodeResult["finishReason"] = "length";
  try {
    while (tokens.length < maxTokens && sequence.length < contextSize) {
      params.signal?.throwIfAborted();
      const step = await decideStep(
        policy,
        sequence,
        baseParticipant,
        assistantParticipant,
        random,
      );
      params.signal?.throwIfAborted();
      tokens.push(step.token);
      sequence.push(step.token);
      if (base.isEndOfGeneration(step.token)) {
        steps.push({ ...step, text: "", start: text.length, end: text.length });
        params.onToken?.(steps.at(-1)!);
        finishReason = "eos";
        break;
      }
      const generated = tokens.filter((token) => !base.isEndOfGeneration(token));
      const full = base.detokenize(generated, prompt);
      // Detokenizing the whole generation keeps multi-byte characters and spaces right; a
      // token's own text is what it added.
      const stopAt = findStop(full, stop, text.length);
      const visible = stopAt === undefined ? full : full.slice(0, stopAt);
      const start = Math.min(text.length, visible.length);
      steps.push({ ...step, text: visible.slice(start), start, end: visible.length });
      text = visible;
      params.onToken?.(steps.at(-1)!);
      if (stopAt !== undefined) {
        finishReason = "stop";
        break;
      }
    }
  } finally {
    await Promise.all([baseParticipant.dispose(), assistantParticipant.dispose()]);
  }

  const deferred = steps.filter((step) => step.author === "assistant").length;
  return {
    tokens,
    text,
    steps,
    finishReason,
    deferralRate: steps.length === 0 ? 0 : deferred / steps.length,
    deferredSpans: deferredSpans(steps),
    promptTokens: prompt.length,
    usage: { base: baseParticipant.usage, assistant: assistantParticipant.usage },
  };
}

type Decision = Omit<CoLlmStep, "text" | "start" | "end">;

async function decideStep(
  policy: DeferralPolicy,
  sequence: readonly number[],
  base: Participant,
  assistant: Participant,
  random: (() => number) | undefined,
): Promise<Decision> {
  if (policy.kind === "assistant") {
    const next = await assistant.catchUp(sequence, false);
    return { token: next.token, author: "assistant", assistantConfidence: next.confidence };
  }
  const fromBase = await base.catchUp(sequence, policy.kind === "gate");
  const baseStep: Decision = {
    token: fromBase.token,
    author: "base",
    baseConfidence: fromBase.confidence,
  };
  const defer = async (extra: Partial<Decision>): Promise<Decision> => {
    const next = await assistant.catchUp(sequence, false);
    return {
      ...baseStep,
      ...extra,
      token: next.token,
      author: "assistant",
      assistantConfidence: next.confidence,
    };
  };
  switch (policy.kind) {
    case "base":
      return baseStep;
    case "random":
      return random!() < (policy.probability ?? 0.5) ? defer({}) : baseStep;
    case "gate": {
      if (fromBase.hidden === undefined) {
        throw new Error(
          `the base "${base.model.identity}" returned no hidden state; a gate needs one (load the base with hidden states enabled).`,
        );
      }
      const gate = gateProbability(policy.gate, fromBase.hidden);
      return gate > policy.gate.threshold ? defer({ gate }) : { ...baseStep, gate };
    }
    case "greedy": {
      const next = await assistant.catchUp(sequence, false);
      const step = { ...baseStep, assistantConfidence: next.confidence };
      return next.confidence > fromBase.confidence
        ? { ...step, token: next.token, author: "assistant" }
        : step;
    }
  }
}

/** Index in `text` where the first stop sequence begins, searching only what could be new. */
function findStop(
  text: string,
  stop: readonly string[],
  previousLength: number,
): number | undefined {
  let found: number | undefined;
  for (const sequence of stop) {
    const index = text.indexOf(sequence, Math.max(0, previousLength - sequence.length + 1));
    if (index >= 0 && (found === undefined || index < found)) found = index;
  }
  return found;
}

/** Merged character spans of the assistant's tokens. */
export function deferredSpans(
  steps: readonly Pick<CoLlmStep, "author" | "start" | "end">[],
): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  for (const step of steps) {
    if (step.author !== "assistant" || step.end === step.start) continue;
    const last = spans.at(-1);
    if (last !== undefined && last.end === step.start) last.end = step.end;
    else spans.push({ start: step.start, end: step.end });
  }
  return spans;
}
