export { AGGREGATE_AND_SYNTHESIZE_PROMPT } from "./aggregate-and-synthesize-prompt.js";
export {
  REFERENCE_FORMATS,
  escapeReferenceDelimiters,
  formatReferences,
  injectReferences,
  type ReferenceFormat,
  type ReferenceOptions,
} from "./inject-references.js";
export {
  RANK_STRICT_REMINDER,
  RANK_SYSTEM_PROMPT,
  buildRankMessages,
  type RankPromptInput,
} from "./rank-prompt.js";
export { parseRankReply } from "./parse-rank-reply.js";
