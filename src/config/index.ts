export {
  MoaConfigSchema,
  parseMoaConfig,
  type MoaConfigInput,
  type ResolvedMoaConfig,
} from "./moa-config.js";
export { configToParams, type ModelLoadSettings, type ModelLoader } from "./config-to-params.js";
export {
  createConfigurableMixtureOfAgents,
  type CreateConfigurableMixtureOfAgentsParams,
} from "./create-configurable-mixture-of-agents.js";
