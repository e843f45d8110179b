/**
 * The embedded local engine: GGUF models on node-llama-cpp (an optional peer dependency,
 * imported only on the first local call), the model cache and hub downloads, and tiny
 * deterministic toy models for tests and demos.
 *
 * Nothing here loads node-llama-cpp at import time, and no declaration mentions its types, so
 * the module is free for users who never run local models.
 *
 * @module
 */
export { ChatLocalModel, type ChatLocalModelParams } from "./chat-local-model.js";
export { disposeLocalModels, localEngineStartMs, localModelStats } from "./local-models.js";
export {
  DEFAULT_MAX_CONTEXT_SIZE,
  DEFAULT_SEQUENCES,
  type LocalModelLoadOptions,
  type LocalModelStats,
} from "./local-model-types.js";
export { loadLocalChatModel, type LoadLocalChatModelOptions } from "./load-local-chat-model.js";
export {
  DEFAULT_MODELS_SUBDIRECTORY,
  LOCAL_ENVIRONMENT,
  isToyModelFile,
  listCachedModels,
  listPartialDownloads,
  modelsDirectory,
  resolveLocalModel,
  type CachedModel,
} from "./models-directory.js";
export {
  DEFAULT_HUB_URL,
  DEFAULT_IDLE_TIMEOUT_MS,
  etagSha256,
  hubFileUrl,
  parseHubReference,
  pullModel,
  type HubReference,
  type PullModelParams,
  type PullProgress,
  type PulledModel,
} from "./pull-model.js";
export { defaultLocalThreads } from "./default-local-threads.js";
export { ModelDownloadError } from "./model-download-error.js";
export {
  CHATML_TEMPLATE,
  TOY_MODEL_DESCRIPTION,
  createToyModel,
  type CreateToyModelParams,
  type ToyModel,
} from "./toy-model.js";
export {
  DEMO_AGGREGATOR,
  DEMO_MODELS,
  DEMO_PROPOSERS,
  ensureDemoModels,
  isDemoModelSpec,
  type EnsuredDemoModels,
} from "./demo-models.js";
export {
  GGUF_VALUE_TYPE,
  encodeGguf,
  type GgufContent,
  type GgufScalarType,
  type GgufTensor,
  type GgufValue,
} from "./gguf-writer.js";
