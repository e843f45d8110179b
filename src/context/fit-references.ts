import type { BaseMessage } from "@langchain/core/messages";
import { AGGREGATE_AND_SYNTHESIZE_PROMPT } from "../prompts/aggregate-and-synthesize-prompt.js";
import type { ReferenceFormat } from "../prompts/inject-references.js";
import { CHARACTERS_PER_TOKEN, estimateMessageTokens, estimateTokens } from "./estimate-tokens.js";

/** Appended to a reference the context guard shortened. */
export const TRUNCATION_MARKER = " […truncated to fit the context window]";

/** Tokens each rendered reference adds around its text: `"\n{i}. "`, or its tags. */
const REFERENCE_OVERHEAD_TOKENS: Record<ReferenceFormat, number> = {
  paper: 2,
  delimited: estimateTokens('\n<reference index="00">\n\n</reference>'),
};

/** Inputs of {@link fitReferences}. */
export interface FitReferencesInput {
  /** The conversation the references will be injected into (never shortened). */
  messages: readonly BaseMessage[];
  references: readonly string[];
  /** The receiving model's context window, in tokens. */
  contextWindow: number;
  /** Tokens kept free for the reply (the call's `maxTokens`). */
  reserveOutputTokens: number;
  /** How the references will be rendered (delimited ones cost a few tokens more each). @default "paper" */
  referenceFormat?: ReferenceFormat;
}

/** What {@link fitReferences} did. */
export interface FitReferencesResult {
  references: string[];
  /** True when at least one reference was shortened. */
  truncated: boolean;
  /** Estimated reference tokens before and after. */
  originalTokens: number;
  keptTokens: number;
}

/**
 * The context guard: shortens the references so the injected prompt fits the receiving model's
 * context window, fairly. References shorter than the fair share stay whole; the others are cut
 * to one equal share each (max-min fairness, "water-filling") and marked with
 * {@link TRUNCATION_MARKER}. The conversation itself is never touched. Token counts are the
 * estimates of `estimateTokens`.
 */
export function fitReferences({
  messages,
  references,
  contextWindow,
  reserveOutputTokens,
  referenceFormat = "paper",
}: FitReferencesInput): FitReferencesResult {
  const overhead = REFERENCE_OVERHEAD_TOKENS[referenceFormat];
  const sizes = references.map((reference) => estimateTokens(reference) + overhead);
  const originalTokens = sizes.reduce((total, size) => total + size, 0);
  const fixed =
    estimateMessageTokens(messages) +
    estimateTokens(AGGREGATE_AND_SYNTHESIZE_PROMPT) +
    reserveOutputTokens;
  const available = contextWindow - fixed;
  if (originalTokens <= available || references.length === 0) {
    return {
      references: [...references],
      truncated: false,
      originalTokens,
      keptTokens: originalTokens,
    };
  }
  const markerTokens = estimateTokens(TRUNCATION_MARKER) + overhead;
  const share = fairShare(sizes, Math.max(0, available - markerTokens * references.length));
  let keptTokens = 0;
  const fitted = references.map((reference, index) => {
    if (sizes[index]! <= share) {
      keptTokens += sizes[index]!;
      return reference;
    }
    const characters = Math.max(0, Math.floor(share * CHARACTERS_PER_TOKEN));
    keptTokens += share + markerTokens;
    return reference.slice(0, characters).trimEnd() + TRUNCATION_MARKER;
  });
  return { references: fitted, truncated: true, originalTokens, keptTokens };
}

/** The largest per-item cap such that Σ min(size, cap) ≤ budget. */
function fairShare(sizes: readonly number[], budget: number): number {
  const sorted = [...sizes].sort((a, b) => a - b);
  let remaining = budget;
  for (let index = 0; index < sorted.length; index++) {
    const equal = Math.floor(remaining / (sorted.length - index));
    if (sorted[index]! > equal) return equal;
    remaining -= sorted[index]!;
  }
  return sorted.at(-1) ?? 0;
}
