import { ModelSpecError } from "../errors/model-spec-error.js";
import { ChatLocalModel } from "./chat-local-model.js";
import { assertLocalEngineInstalled } from "./local-engine.js";
import { LOCAL_ENVIRONMENT, modelsDirectory, resolveLocalModel } from "./models-directory.js";

/** Options of {@link loadLocalChatModel}. */
export interface LoadLocalChatModelOptions {
  /**
   * Where the cache folder and engine settings come from: `MOA_MODELS_DIR`,
   * `MOA_LOCAL_THREADS`, `MOA_LOCAL_CONTEXT_SIZE`, `MOA_LOCAL_SEQUENCES`, `MOA_LOCAL_GPU`.
   */
  env: Readonly<Record<string, string | undefined>>;
  temperature?: number;
  maxTokens?: number;
}

/**
 * The `local:` provider of `loadChatModel`: resolves `name` (a cached model name or a GGUF
 * path) and returns a {@link ChatLocalModel}. Synchronous and cheap: the file is loaded on the
 * first call and shared by every model with the same settings.
 *
 * Throws {@link ModelSpecError} when node-llama-cpp is not installed, the model is not found,
 * or an engine variable is not a valid number.
 */
export function loadLocalChatModel(
  spec: string,
  name: string,
  options: LoadLocalChatModelOptions,
): ChatLocalModel {
  assertLocalEngineInstalled(spec);
  const { env } = options;
  const modelPath = resolveLocalModel(spec, name, modelsDirectory(env));
  return new ChatLocalModel({
    modelPath,
    model: name,
    temperature: options.temperature,
    maxTokens: options.maxTokens,
    threads: whole(spec, env, LOCAL_ENVIRONMENT.threads, 1),
    contextSize: whole(spec, env, LOCAL_ENVIRONMENT.contextSize, 16),
    sequences: whole(spec, env, LOCAL_ENVIRONMENT.sequences, 1),
    gpu: flag(env[LOCAL_ENVIRONMENT.gpu]),
  });
}

function whole(
  spec: string,
  env: LoadLocalChatModelOptions["env"],
  variable: string,
  minimum: number,
): number | undefined {
  const raw = env[variable]?.trim();
  if (!raw) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < minimum) {
    throw new ModelSpecError({
      spec,
      reason: "malformed",
      variables: [variable],
      message: `${variable} must be a whole number ≥ ${minimum} for "${spec}", got "${raw}".`,
    });
  }
  return value;
}

function flag(raw: string | undefined): boolean | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  return ["1", "true", "yes", "auto", "on"].includes(raw.trim().toLowerCase());
}
