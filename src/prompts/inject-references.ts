import { SystemMessage, type BaseMessage, type MessageContent } from "@langchain/core/messages";
import { AGGREGATE_AND_SYNTHESIZE_PROMPT } from "./aggregate-and-synthesize-prompt.js";

/**
 * Builds the Aggregate-and-Synthesize system text for a list of references:
 * the paper's prompt followed by `"\n{i}. {reference}"` for i = 1…n.
 */
export function formatReferences(references: readonly string[]): string {
  let text = AGGREGATE_AND_SYNTHESIZE_PROMPT;
  references.forEach((reference, index) => {
    text += `\n${index + 1}. ${reference}`;
  });
  return text;
}

/**
 * Injects the previous layer's answers into a conversation exactly as the reference
 * implementation (togethercomputer/MoA `inject_references_to_messages`) does:
 *
 * - the references become the Aggregate-and-Synthesize system text ({@link formatReferences});
 * - it is a new leading system message, or, when the conversation already starts with a system
 *   message, it is appended to that message after `"\n\n"`;
 * - every other message (the user turn, the history) is passed through untouched;
 * - with no references the conversation is returned as is (the reference code skips injection).
 *
 * Callers drop failed proposals before calling, so numbering has no gaps. The input array and
 * its messages are never mutated.
 *
 * @example
 * ```ts
 * const messages = injectReferences([new HumanMessage("What is 2+2?")], ["4", "Four."]);
 * // [SystemMessage("You have been provided…\n\nResponses from models:\n1. 4\n2. Four."), HumanMessage]
 * ```
 */
export function injectReferences(
  messages: readonly BaseMessage[],
  references: readonly string[],
): BaseMessage[] {
  if (references.length === 0) return [...messages];
  const system = formatReferences(references);
  const [first, ...rest] = messages;
  if (first !== undefined && first.getType() === "system") {
    const merged = new SystemMessage({
      content: appendText(first.content, `\n\n${system}`),
      id: first.id,
      name: first.name,
      additional_kwargs: first.additional_kwargs,
      response_metadata: first.response_metadata,
    });
    return [merged, ...rest];
  }
  return [new SystemMessage(system), ...messages];
}

function appendText(content: MessageContent, suffix: string): MessageContent {
  if (typeof content === "string") return content + suffix;
  // Multi-part system content: add the references as one more text part; earlier parts
  // (possibly with cache-control markers) stay byte-identical.
  return [...content, { type: "text", text: suffix }] as MessageContent;
}
