import type { BaseMessage } from "@langchain/core/messages";
import { fitReferences } from "../context/fit-references.js";
import { injectReferences, type ReferenceFormat } from "../prompts/inject-references.js";
import type { ResolvedProposer } from "../plan/proposer-spec.js";

/** Tokens kept free for the reply when a model's output cap is unknown. */
const DEFAULT_RESERVE_TOKENS = 1024;

/** Messages for one receiving model, and whether the context guard shortened the references. */
export interface GuardedMessages {
  messages: BaseMessage[];
  referencesTruncated: boolean;
}

/**
 * Injects references for a receiving model, applying the context guard when its context
 * window is known: references that would overflow it are shortened fairly (`fitReferences`);
 * the conversation itself is never shortened.
 */
export function guardedInjection(
  conversation: readonly BaseMessage[],
  references: readonly string[],
  receiver: Pick<ResolvedProposer, "contextWindow" | "maxOutputTokens">,
  referenceFormat: ReferenceFormat = "paper",
): GuardedMessages {
  if (receiver.contextWindow === undefined || references.length === 0) {
    return {
      messages: injectReferences(conversation, references, { referenceFormat }),
      referencesTruncated: false,
    };
  }
  const fitted = fitReferences({
    messages: conversation,
    references,
    contextWindow: receiver.contextWindow,
    reserveOutputTokens: receiver.maxOutputTokens ?? DEFAULT_RESERVE_TOKENS,
    referenceFormat,
  });
  return {
    messages: injectReferences(conversation, fitted.references, { referenceFormat }),
    referencesTruncated: fitted.truncated,
  };
}
