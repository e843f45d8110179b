/**
 * Toy GGUF models whose replies are prescribed: tiny llama-architecture files (a few hundred
 * KB) that real llama.cpp loads, tokenizes with and generates from, and whose every output is
 * known in closed form. They exist to test and demonstrate the machinery (loading, chat
 * templates, streaming, usage, sequences, a whole MoA), not to answer anything.
 *
 * How the weights make the reply deterministic: attention and feed-forward output weights are
 * zero, so the residual stream after the single block is just the token embedding. Every token
 * of the reply has its own one-hot embedding (a "state"); every other token shares state 0.
 * The final RMS norm scales a one-hot vector by a known factor, so the logits are exactly
 * `output.weight` column `state` times that factor: a prescribed next-token table. State 0
 * (the end of any prompt) points at the first reply token, each reply token at the next, and
 * the last one at the end-of-sequence token.
 *
 * @module
 */
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import {
  SPACE_MARKER as SPACE,
  TOY_BEGINNING_OF_SEQUENCE as BEGINNING_OF_SEQUENCE,
  TOY_END_OF_SEQUENCE as END_OF_SEQUENCE,
  TOY_SPECIAL_TOKENS as SPECIAL_TOKENS,
  createToyVocabulary,
  encodeToyLlama,
  toyEmbeddingLength,
} from "./toy-llama.js";

/** ChatML, as Jinja: the template the toy models carry in `tokenizer.chat_template`. */
export const CHATML_TEMPLATE =
  "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

/** Marks toy files in `general.description` (and so in `moa models list`). */
export const TOY_MODEL_DESCRIPTION =
  "langgraph-moa toy model: a prescribed next-token table in llama form, not a language model";

/** Parameters of {@link createToyModel}. */
export interface CreateToyModelParams {
  /** `general.name` of the file. @example "toy-alpha" */
  name: string;
  /**
   * The reply the model gives to every prompt. Words (split on single spaces) become tokens;
   * a word already used earlier in the reply is split into unused pieces, since a token can
   * have only one successor.
   * @example "Paris is the capital of France."
   */
  reply: string;
  /**
   * Probability (at temperature 1, before any sampling filter) that the table gives each
   * prescribed next token; the rest is spread evenly over the other tokens.
   * @default 0.999999 (greedy and sampled generations alike follow the table)
   */
  confidence?: number;
  /** `llama.context_length`. @default 4096 */
  contextLength?: number;
  /** `tokenizer.chat_template` (Jinja). @default {@link CHATML_TEMPLATE} */
  chatTemplate?: string;
}

/** A generated toy model and what tests need to predict its behaviour. */
export interface ToyModel {
  /** The GGUF file. */
  bytes: Uint8Array;
  /** The vocabulary, by token id. */
  tokens: readonly string[];
  /** Token ids of the reply, in order (end-of-sequence not included). */
  replyTokens: readonly number[];
  /** The end-of-sequence token (`<|im_end|>`), which ends every reply. */
  endOfSequenceToken: number;
  /** The beginning-of-sequence token (`<s>`). */
  beginningOfSequenceToken: number;
  /**
   * The exact next-token distribution after `token` at temperature 1 (softmax of the table's
   * logits): index = token id.
   */
  nextTokenProbabilities(token: number): Float64Array;
}

const RMS_EPSILON = 1e-5;

/**
 * Builds a toy GGUF model that answers every prompt with `reply` and then stops.
 *
 * @example
 * ```ts
 * const toy = createToyModel({ name: "toy-alpha", reply: "Alpha answers." });
 * await writeFile("toy-alpha.gguf", toy.bytes);
 * // local:/path/to/toy-alpha.gguf now replies "Alpha answers." to anything.
 * ```
 */
export function createToyModel(params: CreateToyModelParams): ToyModel {
  const confidence = params.confidence ?? 0.999999;
  if (!(confidence > 0 && confidence < 1)) {
    throw new InvalidArgumentError({
      parameter: "confidence",
      value: confidence,
      message: "`confidence` is a probability strictly between 0 and 1.",
    });
  }
  const contextLength = params.contextLength ?? 4096;
  const chain = segmentReply(params.reply);

  // Vocabulary: specials, the 256 byte-fallback tokens (any text tokenizes), the space marker,
  // the reply's tokens, then every prefix of them so SentencePiece merges rebuild whole words.
  const vocabulary = createToyVocabulary();
  const tokens = vocabulary.tokens;
  const replyTokens = chain.map(vocabulary.add);
  for (const text of chain) vocabulary.addPrefixes(text);
  const vocabularySize = tokens.length;

  const states = replyTokens.length + 1;
  const embedding = toyEmbeddingLength(states);

  // state of each token: reply token k (0-based) is state k + 1, everything else state 0.
  const stateOf = new Int32Array(vocabularySize);
  replyTokens.forEach((token, index) => (stateOf[token] = index + 1));
  const nextOfState = [...replyTokens, END_OF_SEQUENCE];
  // Logit of the prescribed token so that softmax gives it `confidence`:
  // e^L / (e^L + (V - 1)) = c  ⇔  L = ln(c (V - 1) / (1 - c)).
  const targetLogit = Math.log((confidence * (vocabularySize - 1)) / (1 - confidence));
  // RMS norm of a one-hot vector of length n: x / sqrt(1/n + eps).
  const normScale = 1 / Math.sqrt(1 / embedding + RMS_EPSILON);

  const tokenEmbedding = new Float32Array(vocabularySize * embedding);
  for (let token = 0; token < vocabularySize; token++) {
    tokenEmbedding[token * embedding + stateOf[token]!] = 1;
  }
  const output = new Float32Array(vocabularySize * embedding);
  nextOfState.forEach((next, state) => {
    output[next * embedding + state] = targetLogit / normScale;
  });

  const bytes = encodeToyLlama({
    name: params.name,
    description: TOY_MODEL_DESCRIPTION,
    vocabulary,
    embedding,
    tokenEmbedding,
    output,
    contextLength,
    chatTemplate: params.chatTemplate ?? CHATML_TEMPLATE,
  });

  return {
    bytes,
    tokens,
    replyTokens,
    endOfSequenceToken: END_OF_SEQUENCE,
    beginningOfSequenceToken: BEGINNING_OF_SEQUENCE,
    nextTokenProbabilities(token: number): Float64Array {
      const next = nextOfState[stateOf[token] ?? 0]!;
      // Logits are 0 except the prescribed token's: softmax in closed form.
      const denominator = Math.exp(targetLogit) + (vocabularySize - 1);
      const probabilities = new Float64Array(vocabularySize).fill(1 / denominator);
      probabilities[next] = Math.exp(targetLogit) / denominator;
      return probabilities;
    },
  };
}

/**
 * Splits a reply into distinct token texts: the first word as is, later words with the
 * SentencePiece space marker. A repeated piece is split further, because in a toy model a
 * token's successor is fixed.
 */
function segmentReply(reply: string): string[] {
  const words = reply.split(" ").filter((word) => word !== "");
  if (words.length === 0) {
    throw new InvalidArgumentError({
      parameter: "reply",
      value: reply,
      message: "`reply` needs at least one word.",
    });
  }
  const used = new Set<string>(SPECIAL_TOKENS);
  const chain: string[] = [];
  words.forEach((word, index) => {
    const text = index === 0 ? word : `${SPACE}${word}`;
    const pieces = splitUnused([...text], used);
    if (pieces === undefined) {
      throw new InvalidArgumentError({
        parameter: "reply",
        value: reply,
        message: `a toy model cannot say "${word}" again: every token has one successor, and all the ways to split it are used. Rephrase the reply with fewer repeats.`,
      });
    }
    for (const piece of pieces) used.add(piece);
    chain.push(...pieces);
  });
  return chain;
}

/** The fewest pieces (in order) that cover `characters` and are all unused and distinct. */
function splitUnused(characters: string[], used: ReadonlySet<string>): string[] | undefined {
  const whole = characters.join("");
  if (!used.has(whole) && !/^<0x[0-9A-F]{2}>$/.test(whole)) return [whole];
  for (let cut = characters.length - 1; cut >= 1; cut--) {
    const head = characters.slice(0, cut).join("");
    if (used.has(head)) continue;
    const rest = splitUnused(characters.slice(cut), new Set([...used, head]));
    if (rest) return [head, ...rest];
  }
  return undefined;
}
