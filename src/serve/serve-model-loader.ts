import { loadChatModel } from "../load-chat-model.js";
import type { ProviderEnvironment } from "../models/index.js";
import type { ServeModelLoader } from "./moa-run.js";

/**
 * The model loader of `moa serve` (and of a deployment's custom routes): `loadChatModel` on
 * `env`, the request's `stop` passed on to OpenAI-compatible providers.
 *
 * @example
 * ```ts
 * createMoaServeApp({ models: virtualModels(), loadModel: serveModelLoader(process.env) });
 * ```
 */
export function serveModelLoader(env: ProviderEnvironment): ServeModelLoader {
  return (spec, { stop, ...settings }) =>
    loadChatModel(spec, {
      env,
      ...settings,
      ...(stop !== undefined ? { openAIFields: { stop } } : {}),
    });
}
