import { SystemMessage, type BaseMessage, type MessageContent } from "@langchain/core/messages";
import { AGGREGATE_AND_SYNTHESIZE_PROMPT } from "./aggregate-and-synthesize-prompt.js";

/**
 * How references are rendered after the Aggregate-and-Synthesize prompt.
 * - `"paper"`: `"\n{i}. {reference}"`, byte-exact with the paper's code. A proposal containing
 *   `"\n7. …"` or its own `"Responses from models:"` header reads like extra references.
 * - `"delimited"`: `"\n<reference index=\"{i}\">\n{reference}\n</reference>"`, with every
 *   `<reference` / `</reference` inside a proposal escaped as `&lt;reference`, so no proposal
 *   can open, close or forge a reference.
 */
export type ReferenceFormat = "paper" | "delimited";

/** The formats of {@link ReferenceFormat}, for validation. */
export const REFERENCE_FORMATS: readonly ReferenceFormat[] = ["paper", "delimited"];

/** Options of {@link formatReferences} and {@link injectReferences}. */
export interface ReferenceOptions {
  /** How each reference is rendered. @default "paper" */
  referenceFormat?: ReferenceFormat;
}

/**
 * Builds the Aggregate-and-Synthesize system text for a list of references: the paper's prompt
 * followed by `"\n{i}. {reference}"` for i = 1…n (or, with `referenceFormat: "delimited"`, each
 * reference in its own `<reference index="i">` element).
 *
 * @example
 * ```ts
 * formatReferences(["4", "Four."], { referenceFormat: "delimited" });
 * // "…Responses from models:\n<reference index=\"1\">\n4\n</reference>\n<reference index=\"2\">…"
 * ```
 */
export function formatReferences(
  references: readonly string[],
  options: ReferenceOptions = {},
): string {
  let text = AGGREGATE_AND_SYNTHESIZE_PROMPT;
  const delimited = options.referenceFormat === "delimited";
  references.forEach((reference, index) => {
    text += delimited
      ? `\n<reference index="${index + 1}">\n${escapeReferenceDelimiters(reference)}\n</reference>`
      : `\n${index + 1}. ${reference}`;
  });
  return text;
}

/**
 * Escapes what could pass for a reference delimiter in a proposal (`<reference`, `</reference`,
 * any case, with spaces after `<` or `/`): `<` becomes `&lt;`. Nothing else changes, so code and
 * markup in answers stay readable.
 */
export function escapeReferenceDelimiters(text: string): string {
  return text.replace(/<(\s*\/?\s*reference)/gi, "&lt;$1");
}

/**
 * Injects the previous layer's answers into a conversation exactly as the reference
 * implementation (togethercomputer/MoA `inject_references_to_messages`) does:
 *
 * - the references become the Aggregate-and-Synthesize system text ({@link formatReferences};
 *   `options.referenceFormat: "delimited"` opts into forgery-proof delimiters);
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
  options: ReferenceOptions = {},
): BaseMessage[] {
  if (references.length === 0) return [...messages];
  const system = formatReferences(references, options);
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
