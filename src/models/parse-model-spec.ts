import { ModelSpecError } from "../errors/model-spec-error.js";

/** A "provider:model" string split into its parts. */
export interface ModelSpec {
  provider: string;
  model: string;
}

/** A "provider:model" string split without checks: no `provider` when there is no colon. */
export interface SplitModelSpec {
  provider?: string;
  model: string;
}

/**
 * Splits `"provider:model"` at the first colon, as written (no trimming, no case change, no
 * errors): `{ model: spec }` when there is no colon. For looking specs up in tables (prices,
 * parameter counts, context windows); {@link parseModelSpec} is the checked version.
 */
export function splitModelSpec(spec: string): SplitModelSpec {
  const colon = spec.indexOf(":");
  return colon < 0
    ? { model: spec }
    : { provider: spec.slice(0, colon), model: spec.slice(colon + 1) };
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
  const split = splitModelSpec(trimmed);
  const provider = split.provider?.toLowerCase() ?? "";
  const model = split.model.trim();
  if (provider === "" || model === "") {
    throw new ModelSpecError({
      spec,
      reason: "malformed",
      message: `Malformed model "${spec}": write "provider:model", e.g. "openai:gpt-4o" or "together:Qwen/Qwen1.5-72B-Chat".`,
    });
  }
  return { provider, model };
}
