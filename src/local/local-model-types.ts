/**
 * Types and defaults of the local engine's shared models (no node-llama-cpp types here: these
 * reach the public API).
 *
 * @module
 */

/** The default number of sequences per loaded model. */
export const DEFAULT_SEQUENCES = 4;
/** The default upper bound of tokens per sequence (the model's own limit applies first). */
export const DEFAULT_MAX_CONTEXT_SIZE = 8192;

/** How a model file is loaded; models with equal options are shared. */
export interface LocalModelLoadOptions {
  /** Absolute path of the GGUF file. */
  modelPath: string;
  /** CPU threads of the model's context. @default node-llama-cpp's choice (the machine's math cores) */
  threads?: number;
  /** Tokens each sequence holds (prompt + reply). @default up to 8192, as memory allows */
  contextSize?: number;
  /** Parallel sequences (concurrent calls served at once; more wait). @default 4 */
  sequences?: number;
  /** Tokens evaluated per batch. @default node-llama-cpp's (512) */
  batchSize?: number;
  /** Offload to a GPU when node-llama-cpp has a binary for one. @default false */
  gpu?: boolean;
}

/** Counters of one loaded model (for tests, benchmarks and `moa demo`). */
export interface LocalModelStats {
  modelPath: string;
  /** Sequences of the context. */
  sequences: number;
  /** Tokens per sequence. */
  contextSize: number;
  /** The chat wrapper node-llama-cpp resolved from the file (e.g. `ChatML`, `Jinja`). */
  chatWrapper: string;
  /** Wall time of loading the file and creating its context, milliseconds. */
  loadMs: number;
  /**
   * Wall time of choosing the chat wrapper, milliseconds: node-llama-cpp renders the file's
   * Jinja template against its built-in wrappers (about 0.5 s of JavaScript, once per model).
   */
  templateMs: number;
  /** Calls served so far. */
  calls: number;
  /** Sequences leased right now, and the most ever leased at once. */
  activeLeases: number;
  peakLeases: number;
  /** Prompt tokens of all calls, and the time from a call's start to its first token. */
  promptTokens: number;
  promptMs: number;
  /** Generated tokens of all calls, and the time from each first token to the call's end. */
  outputTokens: number;
  generationMs: number;
}

/** Timings of one finished call, added to its model's {@link LocalModelStats}. */
export interface LocalCallTimings {
  promptTokens: number;
  promptMs: number;
  outputTokens: number;
  generationMs: number;
}
