/**
 * The shared-vocabulary check of a Co-LLM pair.
 *
 * @module
 */
import type { TokenModel } from "./token-model.js";
import { VocabularyMismatchError } from "./vocabulary-mismatch-error.js";

/**
 * Throws {@link VocabularyMismatchError} naming the first token id whose text differs between
 * the two models (or that only one of them has).
 */
export function assertSameVocabulary(
  base: Pick<TokenModel, "identity" | "vocabulary">,
  assistant: Pick<TokenModel, "identity" | "vocabulary">,
): void {
  const length = Math.max(base.vocabulary.length, assistant.vocabulary.length);
  for (let tokenId = 0; tokenId < length; tokenId++) {
    const baseText = base.vocabulary[tokenId];
    const assistantText = assistant.vocabulary[tokenId];
    if (baseText !== assistantText) {
      throw new VocabularyMismatchError({
        tokenId,
        baseText,
        assistantText,
        base: base.identity,
        assistant: assistant.identity,
      });
    }
  }
}
