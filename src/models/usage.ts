import type { AIMessage, BaseMessage } from "@langchain/core/messages";
import type { Usage } from "../state/proposal.js";

/**
 * Reads token usage from a model reply's `usage_metadata` (filled by every LangChain provider
 * that reports usage, streaming included). `undefined` when the provider reported none.
 */
export function usageFromMessage(message: BaseMessage): Usage | undefined {
  const metadata = (message as AIMessage).usage_metadata;
  if (!metadata) return undefined;
  return { inputTokens: metadata.input_tokens ?? 0, outputTokens: metadata.output_tokens ?? 0 };
}

/** Plain text of a message: string content, or the text parts of multi-part content joined. */
export function messageText(message: BaseMessage): string {
  const { content } = message;
  if (typeof content === "string") return content;
  return content
    .map((part) =>
      typeof part === "string" ? part : part.type === "text" ? String(part.text ?? "") : "",
    )
    .join("");
}
