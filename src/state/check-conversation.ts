import type { BaseMessage } from "@langchain/core/messages";
import { InvalidInputError } from "../errors/invalid-input-error.js";

/**
 * Checks the conversation a turn answers, before any model call: every message's content is a
 * string or an array of content parts (`{ type: "text", text }`, image parts, … as LangChain
 * takes them), and at least one message is from the user (a conversation of only system or
 * tool messages has nothing to answer). Throws {@link InvalidInputError} naming the message,
 * e.g. `messages[0].content`.
 *
 * @example
 * ```ts
 * checkConversation([new HumanMessage("Why is the sky blue?")]); // passes
 * ```
 */
export function checkConversation(messages: readonly BaseMessage[] | undefined): void {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new InvalidInputError({
      path: "messages",
      message:
        'is empty; pass at least one user message, e.g. `{ messages: [{ role: "user", content: "…" }] }`.',
    });
  }
  messages.forEach((message, index) => {
    const content: unknown = message?.content;
    if (typeof content === "string") return;
    if (!Array.isArray(content)) {
      throw new InvalidInputError({
        path: `messages[${index}].content`,
        message: `must be a string or an array of content parts (got ${kindOf(content)}).`,
      });
    }
    content.forEach((part: unknown, partIndex) => {
      const isPart =
        typeof part === "string" ||
        (part !== null &&
          typeof part === "object" &&
          typeof (part as { type?: unknown }).type === "string");
      if (!isPart) {
        throw new InvalidInputError({
          path: `messages[${index}].content[${partIndex}]`,
          message: `must be a content part such as \`{ type: "text", text: "…" }\` (got ${kindOf(part)}).`,
        });
      }
    });
  });
  if (!messages.some((message) => message.getType() === "human")) {
    throw new InvalidInputError({
      path: "messages",
      message: `has no user message (only ${[...new Set(messages.map((message) => message.getType()))].join(", ")}); add the user's question as a \`{ role: "user" }\` / HumanMessage.`,
    });
  }
}

function kindOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
