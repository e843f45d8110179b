export {
  DEFAULT_TIMEOUT_MS,
  type LoadChatModelOptions,
  type ProviderEnvironment,
} from "./load-provider-chat-model.js";
export { parseModelSpec, type ModelSpec } from "./parse-model-spec.js";
export { PROVIDERS, providerVariables, type ProviderDefinition } from "./providers.js";
export { modelName } from "./model-name.js";
export { withSampling, type SamplingOverrides } from "./with-sampling.js";
export { messageText, usageFromMessage } from "./usage.js";
export {
  DEFAULT_PRICES,
  LOCAL_PRICE_SOURCE,
  LOCAL_PROVIDERS,
  findPrice,
  priceTokens,
  type PriceRow,
  type TokenPrice,
} from "./price-table.js";
