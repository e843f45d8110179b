import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { loadLocalChatModel } from "./local/load-local-chat-model.js";
import {
  loadProviderChatModel,
  type LoadChatModelOptions,
} from "./models/load-provider-chat-model.js";
import { parseModelSpec } from "./models/parse-model-spec.js";
import { checkTimerDelay } from "./utils/timer-delay.js";

// This function sits above both `models/` (the OpenAI-compatible providers) and `local/` (the
// embedded engine, which reads message helpers from `models/`), so neither folder imports the other.
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
  const parsed = parseModelSpec(spec);
  if (options.timeoutMs !== undefined) {
    checkTimerDelay(options.timeoutMs, "timeoutMs", "milliseconds one request may take");
  }
  if (parsed.provider === "local") {
    // The embedded engine (node-llama-cpp, an optional peer): a cached model name or a GGUF
    // path; the file loads on the first call. Reads MOA_MODELS_DIR and MOA_LOCAL_* from `env`.
    return loadLocalChatModel(spec, parsed.model, {
      // eslint-disable-next-line no-restricted-properties
      env: options.env ?? process.env,
      temperature: options.temperature,
      maxTokens: options.maxTokens,
    });
  }
  return loadProviderChatModel(spec, parsed, options);
}
