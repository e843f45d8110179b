import type { BaseChatModel } from "@langchain/core/language_models/chat_models";

/**
 * A readable name for a chat model instance: its `model` / `modelName` field when it has one
 * (ChatOpenAI, ChatAnthropic, …), else the class's LangChain type. Used to derive proposer ids.
 */
export function modelName(model: BaseChatModel): string {
  const fields = model as unknown as { model?: unknown; modelName?: unknown };
  for (const candidate of [fields.model, fields.modelName]) {
    if (typeof candidate === "string" && candidate.trim() !== "") return candidate.trim();
  }
  return model._llmType();
}

/** True when `value` looks like a LangChain chat model (duck-typed: two copies may be loaded). */
export function isChatModel(value: unknown): value is BaseChatModel {
  return (
    value != null &&
    typeof value === "object" &&
    typeof (value as BaseChatModel).invoke === "function" &&
    typeof (value as BaseChatModel)._llmType === "function"
  );
}
