import { HumanMessage, SystemMessage, type BaseMessage } from "@langchain/core/messages";

/**
 * System text of the LLM-ranker. Like the paper's ranker, it extends AlpacaEval's ranking prompt
 * (`alpaca_eval_clf.txt`) from two outputs to any number of numbered outputs.
 */
export const RANK_SYSTEM_PROMPT =
  "You are a highly efficient assistant, who evaluates and selects the best large language model (LLMs) based on the quality of their responses to a given instruction. This process will be used to create a leaderboard reflecting the most accurate and human-preferred answers.";

/** Extra instruction used for the single retry after an unusable ranker reply. */
export const RANK_STRICT_REMINDER =
  "Your previous reply could not be used. Reply with one number from the list of model identifiers and nothing else.";

/** Inputs of {@link buildRankMessages}. */
export interface RankPromptInput {
  /** The latest user query (text of the last human message). */
  query: string;
  /** The candidate answers, in reference order; identifiers are 1…n. */
  candidates: readonly string[];
  /** Set for the retry after an unparsable or out-of-range reply. */
  strict?: boolean;
}

/**
 * Builds the ranker's messages: the user query and the numbered candidate answers.
 *
 * The instruction and each output are embedded as JSON string literals, so a candidate cannot
 * close its own block and forge another candidate or fake instructions (prompt injection in a
 * proposal stays inside its quoted string).
 */
export function buildRankMessages({ query, candidates, strict }: RankPromptInput): BaseMessage[] {
  const identifiers = candidates.map((_, index) => String(index + 1));
  const outputs = candidates.map((output, index) => ({
    model_identifier: identifiers[index],
    output,
  }));
  const user =
    "I require a leaderboard for various large language models. I'll provide you with prompts given to these models and their corresponding outputs. Your task is to assess these responses, and select the model that produces the best output from a human perspective.\n\n" +
    "## Instruction\n\n" +
    JSON.stringify({ instruction: query }, null, 4) +
    "\n\n## Model Outputs\n\n" +
    "Here are the unordered outputs from the models. Each output is associated with a specific model, identified by a unique model identifier.\n\n" +
    JSON.stringify(outputs, null, 4) +
    "\n\n## Task\n\n" +
    "Evaluate the models based on the quality and relevance of their outputs, and select the model that generated the best output. Answer by providing the model identifier of the best model. We will use your output as the name of the best model, so make sure your output only contains one of the following model identifiers and nothing else (no quotes, no spaces, no new lines, ...): " +
    formatChoices(identifiers) +
    ".\n\n## Best Model Identifier";
  const messages: BaseMessage[] = [new SystemMessage(RANK_SYSTEM_PROMPT), new HumanMessage(user)];
  if (strict) messages.push(new HumanMessage(RANK_STRICT_REMINDER));
  return messages;
}

function formatChoices(identifiers: readonly string[]): string {
  if (identifiers.length <= 1) return identifiers.join("");
  return `${identifiers.slice(0, -1).join(", ")} or ${identifiers[identifiers.length - 1]}`;
}
