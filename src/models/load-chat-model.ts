import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { ChatOpenAIFields } from "@langchain/openai";
import { registerSecret } from "../errors/redact-secrets.js";
import { ModelSpecError } from "../errors/model-spec-error.js";
import { loadLocalChatModel } from "../local/load-local-chat-model.js";
import { checkTimerDelay } from "../utils/timer-delay.js";
import { AbortableChatOpenAI } from "./abortable-chat-openai.js";
import { parseModelSpec } from "./parse-model-spec.js";
import { PROVIDERS } from "./providers.js";

/** Environment the providers read their base URLs and keys from. */
export type ProviderEnvironment = Readonly<Record<string, string | undefined>>;

/** Options of {@link loadChatModel}. */
export interface LoadChatModelOptions {
  /**
   * Where base URLs and keys come from (`OPENAI_BASE_URL`/`OPENAI_API_KEY`,
   * `TOGETHER_BASE_URL`/`TOGETHER_API_KEY`, `GROQ_BASE_URL`/`GROQ_API_KEY`, `OLLAMA_BASE_URL`).
   * Tests and embedders pass a plain object.
   * @default process.env, read when the function is called (never at import)
   */
  env?: ProviderEnvironment;
  /** Sampling temperature. @default the provider's default */
  temperature?: number;
  /** Output token cap. @default the provider's default */
  maxTokens?: number;
  /** Per-request timeout in milliseconds, at most 2147483647 (`MAX_TIMER_DELAY_MS`). @default 120000 */
  timeoutMs?: number;
  /** Retries of failed requests (rate limits, 5xx, timeouts). @default 2 */
  maxRetries?: number;
  /**
   * Extra `ChatOpenAI` constructor fields, for settings LangChain takes only at construction
   * (they override the fields above; the endpoint and key still come from `env`).
   * @example { logprobs: true, topLogprobs: 5 } // the AlpacaEval 2.0 judge
   */
  openAIFields?: Omit<ChatOpenAIFields, "model" | "apiKey" | "configuration">;
}

/** Default per-request timeout: long answers from large models take a minute or more. */
export const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * Turns a `"provider:model"` string into a chat model. Providers: `openai:`, `together:`,
 * `groq:`, `ollama:` (all through the OpenAI-compatible `ChatOpenAI` client), and `local:` (a
 * GGUF file on the embedded node-llama-cpp engine: `local:<name>` from the model cache, or
 * `local:/path/to/model.gguf`). Any other OpenAI-compatible server works through `openai:`
 * and `OPENAI_BASE_URL`.
 *
 * Throws {@link ModelSpecError} for a malformed spec, an unknown provider, or a missing key
 * (the message names the variable to set), and for a `local:` model that is not found or
 * without node-llama-cpp installed, and `InvalidArgumentError` for a `timeoutMs` that is not
 * a number of milliseconds from 1 to `MAX_TIMER_DELAY_MS`. Never contacts the provider or loads a local model.
 *
 * Retries (`maxRetries`) and their backoff and `Retry-After` waits end when the call's signal
 * aborts, so a whole-call timeout bounds a call's wall time including its retries. The key is
 * registered with `registerSecret`, so errors never show it, whatever the provider echoes.
 *
 * @example
 * ```ts
 * const qwen = loadChatModel("together:Qwen/Qwen1.5-110B-Chat", { temperature: 0.7 });
 * const local = loadChatModel("openai:my-model", { env: { OPENAI_BASE_URL: "http://127.0.0.1:8080/v1", OPENAI_API_KEY: "x" } });
 * ```
 */
export function loadChatModel(spec: string, options: LoadChatModelOptions = {}): BaseChatModel {
  const { provider, model } = parseModelSpec(spec);
  if (options.timeoutMs !== undefined) {
    checkTimerDelay(options.timeoutMs, "timeoutMs", "milliseconds one request may take");
  }
  if (provider === "local") {
    // The embedded engine (node-llama-cpp, an optional peer): a cached model name or a GGUF
    // path; the file loads on the first call. Reads MOA_MODELS_DIR and MOA_LOCAL_* from `env`.
    return loadLocalChatModel(spec, model, {
      // eslint-disable-next-line no-restricted-properties
      env: options.env ?? process.env,
      temperature: options.temperature,
      maxTokens: options.maxTokens,
    });
  }
  const definition = PROVIDERS[provider];
  if (definition === undefined) {
    throw new ModelSpecError({
      spec,
      reason: "unknown-provider",
      message: `Unknown provider "${provider}" in "${spec}". Use one of ${Object.keys(PROVIDERS)
        .map((name) => `"${name}:"`)
        .join(
          ", ",
        )}; for another OpenAI-compatible server use "openai:<model>" with OPENAI_BASE_URL.`,
    });
  }
  // The one place the library touches the environment: this function exists to map edge
  // strings to models (DESIGN.md), so it defaults to the process's variables at call time.
  // eslint-disable-next-line no-restricted-properties
  const env = options.env ?? process.env;
  const baseURL = nonEmpty(env[definition.baseUrlVariable]) ?? definition.defaultBaseUrl;
  let apiKey: string;
  if (definition.apiKeyVariable === undefined) {
    apiKey = nonEmpty(env.OLLAMA_API_KEY) ?? "ollama";
  } else {
    const key = nonEmpty(env[definition.apiKeyVariable]);
    if (key === undefined) {
      throw new ModelSpecError({
        spec,
        reason: "missing-credentials",
        variables: [definition.apiKeyVariable],
        message: `"${spec}" needs ${definition.label} credentials: set ${definition.apiKeyVariable}${
          definition.baseUrlVariable
            ? ` (and ${definition.baseUrlVariable} for a non-default endpoint)`
            : ""
        }, or run offline against the simulator with \`moa run --simulate\`.`,
      });
    }
    apiKey = key;
  }
  // Whatever a provider echoes of this key in an error is masked from now on.
  registerSecret(apiKey);
  return new AbortableChatOpenAI({
    model,
    apiKey,
    configuration: { baseURL },
    temperature: options.temperature,
    maxTokens: options.maxTokens,
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxRetries: options.maxRetries ?? 2,
    // Usage on streamed responses: every proposal records its tokens.
    streamUsage: true,
    ...options.openAIFields,
  });
}

function nonEmpty(value: string | undefined): string | undefined {
  return value !== undefined && value.trim() !== "" ? value.trim() : undefined;
}
