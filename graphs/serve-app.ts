/**
 * Deployment custom routes (langgraph.json `http.app`): the OpenAI-compatible `moa serve` API
 * (`POST /v1/chat/completions`, `GET /v1/models`, `GET /health`) mounted on the LangGraph
 * server, next to its own routes. Every preset is a virtual model; `MOA_SERVE_MODELS` (a JSON
 * object of name → MoA configuration) adds or replaces some, `MOA_SERVE_API_KEY` requires
 * `Authorization: Bearer <key>` on `/v1/*`, and `MOA_SERVE_MAX_CONCURRENCY` caps runs at once
 * (default 4). Provider base URLs and keys come from the deployment's environment, as for
 * graphs/moa.ts. It imports only the public entries.
 */
import { createMoaServeApp, serveModelLoader, virtualModels } from "../src/serve/index.js";

const env = process.env;

/** The Hono app the LangGraph server mounts at `/`. */
export const app = createMoaServeApp({
  models: virtualModels(
    env.MOA_SERVE_MODELS ? (JSON.parse(env.MOA_SERVE_MODELS) as unknown) : {},
    "MOA_SERVE_MODELS",
  ),
  loadModel: serveModelLoader(env),
  ...(env.MOA_SERVE_API_KEY ? { apiKey: env.MOA_SERVE_API_KEY } : {}),
  ...(env.MOA_SERVE_MAX_CONCURRENCY
    ? { maxConcurrency: Number(env.MOA_SERVE_MAX_CONCURRENCY) }
    : {}),
  log: (line) => console.error(line),
});
