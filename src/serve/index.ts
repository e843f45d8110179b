/**
 * `moa serve`: MoA virtual models behind an OpenAI-compatible HTTP API (a Hono app).
 *
 * @module
 */
export { createMoaServeApp, type MoaServeAppOptions } from "./create-moa-serve-app.js";
export { virtualModels } from "./virtual-models.js";
export { serveModelLoader } from "./serve-model-loader.js";
export {
  ChatCompletionRequestSchema,
  parseChatCompletionRequest,
  type ChatCompletionRequest,
  type ParsedChatCompletionRequest,
} from "./chat-completion-request.js";
export type { MoaExtension } from "./moa-extension.js";
export type { OpenAIToolCall, ServeModelLoader, ServeModelSettings } from "./moa-run.js";
export { openAIError, type OpenAIErrorBody, type OpenAIErrorType } from "./openai-error.js";
