import { ModelSpecError } from "../errors/model-spec-error.js";

/** A "provider:model" string split into its parts. */
export interface ModelSpec {
  provider: string;
  model: string;
}

/**
 * Splits `"provider:model"` at the first colon (model names may contain colons, e.g.
 * `ollama:llama3:8b`). Throws {@link ModelSpecError} for anything else.
 */
export function parseModelSpec(spec: string): ModelSpec {
  if (typeof spec !== "string") {
    throw new ModelSpecError({
      spec: String(spec),
      reason: "malformed",
      message: `A model must be a "provider:model" string such as "openai:gpt-4o"; got ${typeof spec}.`,
    });
  }
  const trimmed = spec.trim();
  const colon = trimmed.indexOf(":");
  const provider = colon > 0 ? trimmed.slice(0, colon).toLowerCase() : "";
  const model = colon > 0 ? trimmed.slice(colon + 1).trim() : "";
  if (provider === "" || model === "") {
    throw new ModelSpecError({
      spec,
      reason: "malformed",
      message: `Malformed model "${spec}": write "provider:model", e.g. "openai:gpt-4o" or "together:Qwen/Qwen1.5-72B-Chat".`,
    });
  }
  return { provider, model };
}
