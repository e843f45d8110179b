import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import type { ChatOpenAIFields } from "@langchain/openai";
import { registerSecret } from "../errors/redact-secrets.js";
import { ModelSpecError } from "../errors/model-spec-error.js";
import { AbortableChatOpenAI } from "./abortable-chat-openai.js";
import type { ModelSpec } from "./parse-model-spec.js";
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
 * The OpenAI-compatible providers of {@link loadChatModel} (`openai:`, `together:`, `groq:`,
 * `ollama:`): reads the provider's base URL and key from `options.env` and builds the client.
 * `loadChatModel` parses the spec, checks the options and routes `local:` to the embedded engine.
 */
export function loadProviderChatModel(
  spec: string,
  { provider, model }: ModelSpec,
  options: LoadChatModelOptions,
): BaseChatModel {
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
