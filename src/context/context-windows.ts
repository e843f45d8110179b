/**
 * Context windows (tokens) of well-known models, keyed by the model id as providers spell it.
 * Used by the context guard when a proposer spec gives no `contextWindow`. Sources: the model
 * cards on Hugging Face (Qwen1.5, Llama-3, Mixtral-8x22B, WizardLM-2, dbrx) and OpenAI's model
 * documentation.
 */
export const KNOWN_CONTEXT_WINDOWS: Readonly<Record<string, number>> = {
  "Qwen/Qwen1.5-110B-Chat": 32_768,
  "Qwen/Qwen1.5-72B-Chat": 32_768,
  "microsoft/WizardLM-2-8x22B": 65_536,
  "meta-llama/Llama-3-70b-chat-hf": 8_192,
  "mistralai/Mixtral-8x22B-Instruct-v0.1": 65_536,
  "databricks/dbrx-instruct": 32_768,
  "gpt-4o": 128_000,
  "gpt-4o-2024-05-13": 128_000,
  "gpt-4o-mini": 128_000,
  "gpt-4-turbo": 128_000,
  "gpt-4-turbo-2024-04-09": 128_000,
  "gpt-4-1106-preview": 128_000,
  "gpt-4": 8_192,
  "gpt-4-0613": 8_192,
};

/** The known context window of a model id, if any. */
export function knownContextWindow(model: string): number | undefined {
  return KNOWN_CONTEXT_WINDOWS[model];
}
