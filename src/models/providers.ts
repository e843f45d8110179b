/** How one "provider:model" prefix reaches its server. All are OpenAI-compatible. */
export interface ProviderDefinition {
  /** The prefix, e.g. `together`. */
  name: string;
  /** Human name for messages. */
  label: string;
  /** Environment variable with the base URL, and its public default. */
  baseUrlVariable: string;
  defaultBaseUrl: string;
  /** Environment variable with the API key; `undefined` for keyless servers (Ollama). */
  apiKeyVariable?: string;
}

/**
 * The providers `loadChatModel` knows. Each speaks the OpenAI chat-completions protocol, so one
 * well-tested client (`@langchain/openai`'s ChatOpenAI) serves them all; any other
 * OpenAI-compatible server (vLLM, llama.cpp server, LiteLLM, the loopback simulator) is reached
 * through `openai:` with `OPENAI_BASE_URL`.
 */
export const PROVIDERS: Readonly<Record<string, ProviderDefinition>> = {
  openai: {
    name: "openai",
    label: "OpenAI",
    baseUrlVariable: "OPENAI_BASE_URL",
    defaultBaseUrl: "https://api.openai.com/v1",
    apiKeyVariable: "OPENAI_API_KEY",
  },
  together: {
    name: "together",
    label: "Together AI",
    baseUrlVariable: "TOGETHER_BASE_URL",
    defaultBaseUrl: "https://api.together.xyz/v1",
    apiKeyVariable: "TOGETHER_API_KEY",
  },
  groq: {
    name: "groq",
    label: "Groq",
    baseUrlVariable: "GROQ_BASE_URL",
    defaultBaseUrl: "https://api.groq.com/openai/v1",
    apiKeyVariable: "GROQ_API_KEY",
  },
  ollama: {
    name: "ollama",
    label: "Ollama",
    baseUrlVariable: "OLLAMA_BASE_URL",
    defaultBaseUrl: "http://localhost:11434/v1",
  },
};

/** Every environment variable the providers read (for help texts and `--simulate`). */
export function providerVariables(): string[] {
  return Object.values(PROVIDERS).flatMap((provider) =>
    provider.apiKeyVariable
      ? [provider.apiKeyVariable, provider.baseUrlVariable]
      : [provider.baseUrlVariable],
  );
}
