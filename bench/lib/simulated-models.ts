import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { loadChatModel } from "../../src/load-chat-model.js";

/**
 * `openai:<name>` through the real `ChatOpenAI` HTTP client, pointed at a loopback simulator
 * (`loadChatModel`, as the CLI's `--simulate` does). No retries: a benchmark must see failures.
 */
export function simulatedModel(
  simulatorUrl: string,
  name: string,
  options: { streaming?: boolean } = {},
): BaseChatModel {
  return loadChatModel(`openai:${name}`, {
    env: { OPENAI_BASE_URL: `${simulatorUrl}/v1`, OPENAI_API_KEY: "sk-bench-loopback" },
    maxRetries: 0,
    ...(options.streaming ? { openAIFields: { streaming: true } } : {}),
  });
}

/** Proposer names of a benchmark: `proposer-0` … `proposer-(n−1)`. */
export function proposerNames(count: number): string[] {
  return Array.from({ length: count }, (_, index) => `proposer-${index}`);
}
