import type { BaseMessage } from "@langchain/core/messages";
import type { ChatHistoryItem } from "node-llama-cpp";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";
import { messageText } from "../models/usage.js";

/** LangChain messages → node-llama-cpp chat history, ending with the reply to generate. */
export function toChatHistory(messages: readonly BaseMessage[]): ChatHistoryItem[] {
  if (messages.length === 0) {
    throw new InvalidArgumentError({
      parameter: "messages",
      value: messages,
      message: "a local model needs at least one message.",
    });
  }
  const history: ChatHistoryItem[] = messages.map((message) => {
    const text = messageText(message);
    switch (roleOf(message)) {
      case "system":
        return { type: "system", text };
      case "assistant":
        return { type: "model", response: [text] };
      default:
        return { type: "user", text };
    }
  });
  // A trailing AI message is a prefix the reply continues; otherwise the reply starts empty.
  if (history.at(-1)!.type !== "model") history.push({ type: "model", response: [] });
  return history;
}

function roleOf(message: BaseMessage): "system" | "user" | "assistant" {
  const type = message.getType();
  if (type === "system") return "system";
  if (type === "ai") return "assistant";
  if (type === "generic") {
    const role = (message as unknown as { role?: string }).role;
    if (role === "system") return "system";
    if (role === "assistant" || role === "ai" || role === "model") return "assistant";
  }
  return "user";
}
