import { MoaError } from "../errors/moa-error.js";

const SYMBOL = Symbol.for("langgraph-moa.error.VocabularyMismatchError");

/**
 * The base and the assistant of a Co-LLM pair tokenize differently. Co-LLM interleaves their
 * tokens in one sequence, so both must share one vocabulary, id for id.
 */
export class VocabularyMismatchError extends MoaError {
  protected readonly [SYMBOL] = true;
  /** The first id whose texts differ (or the first id only one vocabulary has). */
  readonly tokenId: number;
  /** That token's text in the base's and the assistant's vocabulary (`undefined`: no such id). */
  readonly baseText: string | undefined;
  readonly assistantText: string | undefined;
  readonly base: string;
  readonly assistant: string;

  constructor(params: {
    tokenId: number;
    baseText: string | undefined;
    assistantText: string | undefined;
    base: string;
    assistant: string;
  }) {
    const show = (text: string | undefined) =>
      text === undefined ? "(no such token)" : JSON.stringify(text);
    super(
      "VocabularyMismatchError",
      `\`base\` (${params.base}) and \`assistant\` (${params.assistant}) have different vocabularies: token ${params.tokenId} is ${show(params.baseText)} in the base and ${show(params.assistantText)} in the assistant. Co-LLM writes one token sequence with both models, so pick two models of one family (same tokenizer).`,
    );
    this.tokenId = params.tokenId;
    this.baseText = params.baseText;
    this.assistantText = params.assistantText;
    this.base = params.base;
    this.assistant = params.assistant;
  }

  static override isInstance(error: unknown): error is VocabularyMismatchError {
    return MoaError.hasMarker(error, SYMBOL);
  }
}
