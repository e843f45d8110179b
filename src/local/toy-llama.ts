/**
 * Internal building blocks of constructed llama-architecture GGUFs (the toy chat models and the
 * Co-LLM fixtures): a SentencePiece-style vocabulary that rebuilds whole words, and a one-block
 * llama file whose query, key and feed-forward weights are zero, so its behaviour is set by the
 * token embeddings, the value/output projections of attention and the output matrix alone.
 *
 * @module
 */
import { encodeGguf, type GgufTensor, type GgufValue } from "./gguf-writer.js";

/** Layout constants of every toy vocabulary. */
export const TOY_SPECIAL_TOKENS = ["<unk>", "<s>", "</s>", "<|im_start|>", "<|im_end|>"] as const;
export const TOY_UNKNOWN = 0;
export const TOY_BEGINNING_OF_SEQUENCE = 1;
export const TOY_END_OF_SEQUENCE = 4;
/** The SentencePiece space marker. */
export const SPACE_MARKER = "\u2581";
/** GGUF token types (llama.cpp `llama_token_type`). */
const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;
const RMS_EPSILON = 1e-5;
const HEAD_DIMENSION = 64;

/** A vocabulary under construction: specials, the 256 byte-fallback tokens, then pieces. */
export interface ToyVocabulary {
  tokens: string[];
  types: number[];
  /** The id of `text`, adding it as a normal piece when new. */
  add(text: string): number;
  /** Adds every prefix (2 characters or more) of `text`, so SentencePiece merges rebuild it. */
  addPrefixes(text: string): void;
}

/** Starts a vocabulary with the specials, the byte tokens and the bare space marker. */
export function createToyVocabulary(): ToyVocabulary {
  const tokens: string[] = [...TOY_SPECIAL_TOKENS];
  const types: number[] = [
    TOKEN_TYPE.unknown,
    TOKEN_TYPE.control,
    TOKEN_TYPE.control,
    TOKEN_TYPE.control,
    TOKEN_TYPE.control,
  ];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, "0")}>`);
    types.push(TOKEN_TYPE.byte);
  }
  const ids = new Map(tokens.map((text, id) => [text, id]));
  const add = (text: string) => {
    if (ids.has(text)) return ids.get(text)!;
    ids.set(text, tokens.length);
    tokens.push(text);
    types.push(TOKEN_TYPE.normal);
    return tokens.length - 1;
  };
  // "▁" alone, so a space before a word the vocabulary lacks still reads back as a space.
  add(SPACE_MARKER);
  return {
    tokens,
    types,
    add,
    addPrefixes(text) {
      const characters = [...text];
      for (let end = 2; end < characters.length; end++) add(characters.slice(0, end).join(""));
    },
  };
}

/** The model width for `dimensions` used dimensions: a whole number of 64-wide heads. */
export function toyEmbeddingLength(dimensions: number): number {
  return Math.max(HEAD_DIMENSION, Math.ceil(dimensions / HEAD_DIMENSION) * HEAD_DIMENSION);
}

/** RMS norm as llama.cpp computes it (weights 1): `x / sqrt(mean(x²) + ε)`. */
export function toyRmsNorm(vector: Float64Array): Float64Array {
  let sum = 0;
  for (const value of vector) sum += value * value;
  const scale = 1 / Math.sqrt(sum / vector.length + RMS_EPSILON);
  return vector.map((value) => value * scale);
}

/** What {@link encodeToyLlama} writes. */
export interface ToyLlamaContent {
  name: string;
  description: string;
  vocabulary: ToyVocabulary;
  /** Model width (a multiple of 64, see {@link toyEmbeddingLength}). */
  embedding: number;
  /** `token_embd.weight`, row-major: `[token * embedding + dimension]`. */
  tokenEmbedding: Float32Array;
  /** `output.weight`, row-major: `[token * embedding + dimension]`. */
  output: Float32Array;
  /** `blk.0.attn_v.weight` and `blk.0.attn_output.weight`, `[out * embedding + in]`. @default zero */
  attentionValue?: Float32Array;
  attentionOutput?: Float32Array;
  contextLength: number;
  chatTemplate: string;
}

/**
 * Encodes a one-block llama GGUF whose attention scores are all zero (query and key weights are
 * zero, so every position attends uniformly to itself and all earlier ones) and whose
 * feed-forward block adds nothing.
 */
export function encodeToyLlama(content: ToyLlamaContent): Uint8Array {
  const { embedding, vocabulary } = content;
  const vocabularySize = vocabulary.tokens.length;
  const heads = embedding / HEAD_DIMENSION;
  const feedForward = embedding;
  const ones = (length: number) => new Float32Array(length).fill(1);
  const zeros = (length: number) => new Float32Array(length);
  const square = embedding ** 2;
  const tensors: GgufTensor[] = [
    { name: "token_embd.weight", shape: [embedding, vocabularySize], data: content.tokenEmbedding },
    { name: "blk.0.attn_norm.weight", shape: [embedding], data: ones(embedding) },
    { name: "blk.0.attn_q.weight", shape: [embedding, embedding], data: zeros(square) },
    { name: "blk.0.attn_k.weight", shape: [embedding, embedding], data: zeros(square) },
    {
      name: "blk.0.attn_v.weight",
      shape: [embedding, embedding],
      data: content.attentionValue ?? zeros(square),
    },
    {
      name: "blk.0.attn_output.weight",
      shape: [embedding, embedding],
      data: content.attentionOutput ?? zeros(square),
    },
    { name: "blk.0.ffn_norm.weight", shape: [embedding], data: ones(embedding) },
    {
      name: "blk.0.ffn_gate.weight",
      shape: [embedding, feedForward],
      data: zeros(embedding * feedForward),
    },
    {
      name: "blk.0.ffn_up.weight",
      shape: [embedding, feedForward],
      data: zeros(embedding * feedForward),
    },
    {
      name: "blk.0.ffn_down.weight",
      shape: [feedForward, embedding],
      data: zeros(embedding * feedForward),
    },
    { name: "output_norm.weight", shape: [embedding], data: ones(embedding) },
    { name: "output.weight", shape: [embedding, vocabularySize], data: content.output },
  ];
  // Longer pieces score higher, so merges prefer whole words.
  const scores = vocabulary.tokens.map((text, id) =>
    vocabulary.types[id] === TOKEN_TYPE.normal ? text.length : 0,
  );
  const u32 = (value: number): GgufValue => ({ type: "uint32", value });
  return encodeGguf({
    metadata: [
      ["general.architecture", { type: "string", value: "llama" }],
      ["general.name", { type: "string", value: content.name }],
      ["general.description", { type: "string", value: content.description }],
      ["general.file_type", u32(0)], // all f32
      ["llama.context_length", u32(content.contextLength)],
      ["llama.embedding_length", u32(embedding)],
      ["llama.block_count", u32(1)],
      ["llama.feed_forward_length", u32(feedForward)],
      ["llama.attention.head_count", u32(heads)],
      ["llama.attention.head_count_kv", u32(heads)],
      ["llama.rope.dimension_count", u32(HEAD_DIMENSION)],
      ["llama.attention.layer_norm_rms_epsilon", { type: "float32", value: RMS_EPSILON }],
      ["llama.vocab_size", u32(vocabularySize)],
      ["tokenizer.ggml.model", { type: "string", value: "llama" }],
      ["tokenizer.ggml.tokens", { type: "array", itemType: "string", value: vocabulary.tokens }],
      ["tokenizer.ggml.scores", { type: "array", itemType: "float32", value: scores }],
      ["tokenizer.ggml.token_type", { type: "array", itemType: "int32", value: vocabulary.types }],
      ["tokenizer.ggml.bos_token_id", u32(TOY_BEGINNING_OF_SEQUENCE)],
      ["tokenizer.ggml.eos_token_id", u32(TOY_END_OF_SEQUENCE)],
      ["tokenizer.ggml.unknown_token_id", u32(TOY_UNKNOWN)],
      ["tokenizer.ggml.add_bos_token", { type: "bool", value: true }],
      ["tokenizer.ggml.add_eos_token", { type: "bool", value: false }],
      // Words carry their own leading "▁"; no space is invented before the first one.
      ["tokenizer.ggml.add_space_prefix", { type: "bool", value: false }],
      ["tokenizer.chat_template", { type: "string", value: content.chatTemplate }],
    ],
    tensors,
  });
}
