/**
 * What the Co-LLM decoder needs from a model: token-id input, the greedy next token with its
 * probability, optionally the final hidden state, and one incremental session per decode (the
 * model's KV cache holds what it has seen, so catching up costs only the new tokens).
 * {@link loadLlamaTokenModel} implements it on node-llama-cpp; tests implement it in memory.
 *
 * @module
 */
import type { BaseMessage } from "@langchain/core/messages";

/** The next-token distribution after the last appended token, as greedy decoding needs it. */
export interface NextToken {
  /** The argmax token. */
  token: number;
  /** Its probability at temperature 1 (the model's confidence). */
  confidence: number;
  /** The final-norm hidden state at the last appended position, when requested. */
  hidden?: Float32Array;
  /**
   * Natural-log probability (temperature 1) of the token asked for with `logProbabilityOf`
   * (teacher forcing: the gold next token), when requested.
   */
  logProbability?: number;
}

/** What {@link TokenModelSession.append} computes besides the argmax. */
export interface AppendOptions {
  /** Return the final hidden state at the last appended position. */
  hidden?: boolean;
  /** Return the log probability of this token as the next one. */
  logProbabilityOf?: number;
}

/** One incremental decode over a model: its cache holds every token appended so far. */
export interface TokenModelSession {
  /**
   * Evaluates `tokens` after those appended before (one batch) and returns the distribution
   * after the last of them. `tokens` is never empty.
   */
  append(tokens: readonly number[], options?: AppendOptions): Promise<NextToken>;
  /** Frees the session (its cache may be reused by a later session). */
  dispose(): Promise<void>;
}

/** A model the Co-LLM decoder can drive. */
export interface TokenModel {
  /** A stable name of the model (a gate records the identity of the base it was fitted on). */
  readonly identity: string;
  /** Width of the final hidden state. */
  readonly hiddenSize: number;
  /** Token texts by id (the GGUF `tokenizer.ggml.tokens`). */
  readonly vocabulary: readonly string[];
  /**
   * Tokens a session holds (prompt + generation). The decoder never goes past it: llama.cpp
   * would otherwise drop the start of the sequence silently. @default unbounded
   */
  readonly contextSize?: number;
  /** True for end-of-generation tokens (EOS, EOT). */
  isEndOfGeneration(token: number): boolean;
  /** Token ids of `text`, with the beginning-of-sequence token the model expects. */
  tokenize(text: string): number[];
  /** The text of `tokens` following `previous` (so leading spaces come out right). */
  detokenize(tokens: readonly number[], previous?: readonly number[]): string;
  /**
   * Token ids of a conversation in the model's chat template, ending where the reply starts
   * (BOS included). Optional: chat use ({@link ChatCoLlm}) needs it or a `formatPrompt`.
   */
  formatChat?(messages: readonly BaseMessage[]): Promise<number[]>;
  /** Starts an incremental session. */
  startSession(): Promise<TokenModelSession>;
}
