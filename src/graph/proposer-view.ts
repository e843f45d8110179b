import {
  AIMessage,
  HumanMessage,
  type BaseMessage,
  type ToolMessage,
} from "@langchain/core/messages";
import { messageText } from "../models/usage.js";

/**
 * The conversation as proposers see it. Proposers never receive tool schemas, so a conversation
 * that already holds tool calls and tool results (an agent loop with MoA as its model) is
 * rendered as text they can read:
 *
 * - an assistant message with tool calls keeps its text and gains one line per call,
 *   `[assistant called tool get_weather({"city":"Paris"})]`, without the `tool_calls` field;
 * - a tool message becomes a user message `[tool get_weather returned: 18°C, sunny]` (the tool's
 *   name from the message, else from the matching call, else "unknown").
 *
 * A conversation with neither is returned as is (same array). Only the aggregator, which may
 * call tools (`aggregatorTools`), sees the real messages.
 *
 * @example
 * ```ts
 * proposerView([new HumanMessage("Weather in Paris?"), callMessage, toolResult]);
 * // → [Human, AI "[assistant called tool get_weather({"city":"Paris"})]", Human "[tool get_weather returned: 18°C]"]
 * ```
 */
export function proposerView(messages: BaseMessage[]): BaseMessage[] {
  if (!messages.some((message) => isToolResult(message) || hasToolCalls(message))) {
    return messages;
  }
  const toolNames = new Map<string, string>();
  return messages.map((message) => {
    if (hasToolCalls(message)) {
      const calls = message.tool_calls ?? [];
      for (const call of calls) if (call.id) toolNames.set(call.id, call.name);
      const lines = calls.map(
        (call) => `[assistant called tool ${call.name}(${JSON.stringify(call.args ?? {})})]`,
      );
      const text = messageText(message).trim();
      return new AIMessage({
        content: [text, ...lines].filter(Boolean).join("\n"),
        id: message.id,
        name: message.name,
      });
    }
    if (isToolResult(message)) {
      const name = message.name ?? toolNames.get(message.tool_call_id) ?? "unknown";
      return new HumanMessage({
        content: `[tool ${name} returned: ${messageText(message)}]`,
        id: message.id,
      });
    }
    return message;
  });
}

function hasToolCalls(message: BaseMessage): message is AIMessage {
  return message.getType() === "ai" && ((message as AIMessage).tool_calls?.length ?? 0) > 0;
}

function isToolResult(message: BaseMessage): message is ToolMessage {
  return message.getType() === "tool";
}
