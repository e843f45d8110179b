import type { BaseMessage } from "@langchain/core/messages";

/**
 * Characters per token assumed by the estimates. Real tokenizers give ~4 characters per token
 * for English; 3.5 errs on the side of more tokens, which is the safe side for context windows
 * and budgets. (Exact counts would need each model's tokenizer, and LangChain's default one
 * downloads its encoding at run time, which a library must not do behind the caller's back.)
 */
export const CHARACTERS_PER_TOKEN = 3.5;

/** Per-message overhead of chat formats (role markers, separators), in tokens. */
const MESSAGE_OVERHEAD_TOKENS = 4;

/** Estimated tokens of a text. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / CHARACTERS_PER_TOKEN);
}

/** Estimated prompt tokens of a message list (content plus a small per-message overhead). */
export function estimateMessageTokens(messages: readonly BaseMessage[]): number {
  let total = 0;
  for (const message of messages) {
    const content =
      typeof message.content === "string" ? message.content : JSON.stringify(message.content);
    total += estimateTokens(content) + MESSAGE_OVERHEAD_TOKENS;
  }
  return total;
}
