import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { InvalidArgumentError } from "../errors/invalid-argument-error.js";

/** Sampling settings one proposer may override. */
export interface SamplingOverrides {
  temperature?: number;
  maxTokens?: number;
}

/**
 * Returns a chat model that samples with `temperature` / `maxTokens`, leaving `model` untouched.
 *
 * LangChain chat models take these as constructor fields, not call options (ChatOpenAI, for
 * one, bakes them into delegate clients at construction), so the only reliable way is a new
 * instance from the same constructor arguments (`lc_kwargs`) plus the overrides. This works for
 * every model whose constructor accepts `temperature` and `maxTokens`: ChatOpenAI (and so the
 * `openai:`, `together:`, `groq:` and `ollama:` providers), ChatAnthropic, ChatGroq, and the
 * fakes of `langgraph-moa/testing`.
 *
 * @param parameter - Name of the argument for error messages, e.g. `proposers[1]`.
 */
export function withSampling(
  model: BaseChatModel,
  overrides: SamplingOverrides,
  parameter: string,
): BaseChatModel {
  if (overrides.temperature === undefined && overrides.maxTokens === undefined) return model;
  const lcKwargs = (model as unknown as { lc_kwargs?: Record<string, unknown> }).lc_kwargs;
  const supports = (field: string) => field in (model as object);
  const missing = (["temperature", "maxTokens"] as const).filter(
    (field) => overrides[field] !== undefined && !supports(field),
  );
  if (lcKwargs === undefined || missing.length > 0) {
    throw new InvalidArgumentError({
      parameter,
      value: model.getName(),
      message:
        `the model ${model.getName()} has no ${missing.join(" / ") || "constructor fields"} to override. ` +
        "Construct it with the sampling settings you want and drop `temperature` / `maxTokens` from the proposer spec.",
    });
  }
  const Constructor = model.constructor as new (fields: Record<string, unknown>) => BaseChatModel;
  const fields: Record<string, unknown> = { ...lcKwargs };
  if (overrides.temperature !== undefined) fields.temperature = overrides.temperature;
  if (overrides.maxTokens !== undefined) {
    fields.maxTokens = overrides.maxTokens;
    // ChatOpenAI prefers `maxCompletionTokens` when both are set.
    delete fields.maxCompletionTokens;
  }
  return new Constructor(fields);
}
