import { PROVIDERS, type ProviderEnvironment } from "../models/index.js";

/** A key that is obviously not a real credential. */
export const SIMULATED_API_KEY = "sk-simulated-offline";

/**
 * The environment that points every provider at the loopback simulator, so `--simulate` runs go
 * through the real `ChatOpenAI` HTTP client exactly as real runs do.
 */
export function simulatedEnvironment(
  baseUrl: string,
  env: ProviderEnvironment,
): Record<string, string | undefined> {
  const simulated: Record<string, string | undefined> = { ...env };
  for (const provider of Object.values(PROVIDERS)) {
    simulated[provider.baseUrlVariable] = `${baseUrl}/v1`;
    if (provider.apiKeyVariable) simulated[provider.apiKeyVariable] = SIMULATED_API_KEY;
  }
  return simulated;
}
